"""Fixtures shared by test modules, and the strict mode of `make test`.

Strict mode (SPOTIFY_TESTS_STRICT=1, set by `make test`): a test that skips fails instead, with
its reason. A check the project promises (the browser test of the report, the full-disk tests,
anything behind an optional tool) never passes in CI by not running.

The built sample: `make test` ingests and builds the sample once (every model and every dbt
test) beside pytest, and hands that database over (SPOTIFY_TEST_SAMPLE_DB, with the zips in
SPOTIFY_TEST_SAMPLE_DIR); with SPOTIFY_TEST_SAMPLE_WAIT=1 the tests that read it wait for its
build to finish. Without them (pytest on its own) the session builds it once.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from sample.generate import write_sample
from spotify_history.dbt_target import (
    LAST_PARSE,
    keep_as_the_last_parse,
    target_folder,
    targets_root,
)
from tests.warm_dbt import WarmDbt

ROOT = Path(__file__).resolve().parent.parent
# The tests build on the committed examples (seeds/), never on the developer's my/*.csv;
# relative to the project (dbt refuses an absolute seed folder).
os.environ["SPOTIFY_SETTINGS_DIR"] = "seeds"
STRICT = os.environ.get("SPOTIFY_TESTS_STRICT") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if STRICT and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped in a strict run (make test), which must run it: {reason}"


# The longest modules first, so that with one worker per core (`pytest -n auto --dist loadfile
# --no-loadscope-reorder`, as make test runs it) no long module starts last and runs alone.
LONGEST_FIRST = ("test_spark_parity.py", "test_safety.py", "test_user_loop_make.py")


def pytest_collection_modifyitems(items):
    def rank(item) -> int:
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: the rest keep their order


WARM: WarmDbt | None = None  # the one this process started, if any


def pytest_configure(config):
    """In the process pytest starts (pytest-xdist's controller, or pytest alone): start the warm
    dbt at once, so that it has imported dbt and parsed the project by the time the first build
    needs it. The workers reach it through $SPOTIFY_TESTS_WARM_DBT (the folder of its socket)."""
    global WARM
    if hasattr(config, "workerinput") or os.environ.get("SPOTIFY_TESTS_REAL_DBT") == "1":
        return
    WARM = WarmDbt(Path(tempfile.mkdtemp(prefix="warm-dbt-")))
    WARM.start()
    os.environ["SPOTIFY_TESTS_WARM_DBT"] = str(WARM.folder)


def pytest_unconfigure(config):
    if WARM:
        WARM.stop()
        shutil.rmtree(WARM.folder, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def warm_dbt(dbt_targets_in_tmp):
    """Builds run dbt through the warm dbt (tests/warm_dbt.py) unless SPOTIFY_TESTS_REAL_DBT=1:
    the same dbt command, 3 s sooner. A test that sets $SPOTIFY_DBT itself keeps its own. Once
    the warm dbt has parsed the project, a build's new target folder starts from that parse, as
    it would from the last build's (spotify_history.dbt_target.reuse_the_last_parse)."""
    folder = os.environ.get("SPOTIFY_TESTS_WARM_DBT")
    if folder and os.environ.get("SPOTIFY_TESTS_REAL_DBT") != "1":
        warm = WarmDbt(Path(folder))
        os.environ["SPOTIFY_DBT"] = str(warm.client)
        warm.when_ready(lambda: seed_the_last_parse(warm.parsed()))
    yield


def seed_the_last_parse(parse: Path) -> None:
    if not (targets_root() / LAST_PARSE).exists():  # a build was quicker: its parse is as good
        keep_as_the_last_parse(parse)


@pytest.fixture(scope="session", autouse=True)
def dbt_targets_in_tmp(tmp_path_factory):
    """dbt's target folders of the tests' databases (one per database file) go to the session's
    temporary folder, not the project's target/, where they would pile up run after run."""
    os.environ["SPOTIFY_TARGETS"] = str(tmp_path_factory.mktemp("dbt-targets"))


@pytest.fixture(scope="session")
def sample_zips(tmp_path_factory) -> list[Path]:
    """The bundled sample's zips, in ingest order."""
    given = os.environ.get("SPOTIFY_TEST_SAMPLE_DIR")
    if given:
        return sorted(Path(given).glob("*.zip"))
    return write_sample(tmp_path_factory.mktemp("sample-zips"))


def ingest_and_build(path: Path, zips: list[Path], *ingest_options: str) -> None:
    """Ingest the zips into a new database and build its models as `make build` does (dbt's
    tests run in make test), with dbt's manifest in `target/` beside it."""
    for tool in (["ingest.py", *ingest_options, *map(str, zips)],
                 ["-m", "spotify_history.build", "--exclude-resource-type", "test", "unit_test",
                  "--target-path", str(path.parent / "target")]):  # fmt: skip
        subprocess.run([sys.executable, *tool, "--quiet", "--db", str(path)], cwd=ROOT, check=True)


@pytest.fixture(scope="session")
def built_sample_db_with_personal_data(tmp_path_factory, sample_zips) -> Path:
    """The bundled sample ingested with --keep-personal-data, and built. Read-only."""
    path = tmp_path_factory.mktemp("sample-db-personal") / "kept.duckdb"
    ingest_and_build(path, sample_zips, "--keep-personal-data")
    return path


@pytest.fixture(scope="session")
def built_sample_db(tmp_path_factory, sample_zips) -> Path:
    """The bundled sample, ingested and built, with dbt's manifest in `target/` beside it.
    Shared by the session: use it read-only, or copy it first."""
    tmp = tmp_path_factory.mktemp("sample-db")
    path = tmp / "spotify.duckdb"
    given = os.environ.get("SPOTIFY_TEST_SAMPLE_DB")
    if given:
        if os.environ.get("SPOTIFY_TEST_SAMPLE_WAIT") == "1":
            wait_for_the_sample_build(Path(given))
        (tmp / "target").mkdir()
        shutil.copyfile(given, path)
        shutil.copyfile(
            target_folder(Path(given), ROOT / "target") / "manifest.json",
            tmp / "target" / "manifest.json",
        )
        return path
    ingest_and_build(path, sample_zips)
    return path


def wait_for_the_sample_build(db: Path, timeout: float = 900) -> None:
    """make test builds the sample beside pytest: wait for `<db>.built`; fail at `.failed`."""
    deadline = time.monotonic() + timeout
    while not Path(f"{db}.built").exists():
        if Path(f"{db}.failed").exists():
            pytest.fail("the sample's build failed (make test-sample-db): see make's output above")
        if time.monotonic() > deadline:
            pytest.fail(f"the sample's build did not finish in {timeout:g} s")
        time.sleep(0.1)


@pytest.fixture
def mount_tmpfs(tmp_path: Path):
    """mount_tmpfs("6m"[, folder]): a small file system of that size (root on Linux), at the
    (empty) folder or a new one, for full-disk tests; the test is skipped where one cannot be
    mounted (a failure in strict mode). Unmounted afterwards."""
    mounts: list[Path] = []

    def mount(size: str, where: Path | None = None) -> Path:
        if where is None:
            where = tmp_path / f"disk-{len(mounts)}"
            where.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.strip()}")
        mounts.append(where)
        return where

    try:
        yield mount
    finally:
        for where in mounts:
            subprocess.run(["umount", "-l", str(where)], check=False)
