"""The warm dbt the tests build with (tests/warm_dbt.py) behaves as the `dbt` executable would:
dbt's output and exit code, and a run whose caller is killed stops."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from tests.warm_dbt import WarmDbt

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def warm(tmp_path_factory) -> Iterator[WarmDbt]:
    """The suite's warm dbt, or one of this module's own (SPOTIFY_TESTS_REAL_DBT=1)."""
    folder = os.environ.get("SPOTIFY_TESTS_WARM_DBT")
    own = None
    if not folder or os.environ.get("SPOTIFY_TESTS_REAL_DBT") == "1":
        own = WarmDbt(Path(tempfile.mkdtemp(prefix="warm-dbt-")))
        own.start()
    warm = own or WarmDbt(Path(folder))
    assert warm.wait_ready(), "the warm dbt did not start"
    yield warm
    if own:
        own.stop()
        shutil.rmtree(own.folder, ignore_errors=True)


def test_output_and_exit_code_are_dbts(warm):
    version = subprocess.run([warm.client, "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and "Core:" in version.stdout, version
    wrong = subprocess.run([warm.client, "no-such-command"], capture_output=True, text=True)
    assert wrong.returncode == 2 and "No such command" in wrong.stderr, wrong


def test_a_run_whose_caller_is_killed_stops(warm, tmp_path):
    """dbt would wait 60 s for the database this test holds (a plain build's wait for another
    program); its caller is killed: the run stops within 30 s, before that wait could end."""
    db = tmp_path / "held.duckdb"
    holder = duckdb.connect(str(db))
    try:
        env = {**os.environ, "SPOTIFY_DB": db.name, "SPOTIFY_READER_WAIT": "60",
               "DBT_PROFILES_DIR": str(ROOT)}  # fmt: skip
        client = subprocess.Popen(
            [warm.client, "build", "--project-dir", str(ROOT), "--target-path", "target"],
            cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while not (run := runs_in(warm, tmp_path)):
            assert time.monotonic() < deadline, "no dbt run started"
            time.sleep(0.05)
        client.kill()
        client.wait()
        deadline = time.monotonic() + 30
        while runs_in(warm, tmp_path):
            assert time.monotonic() < deadline, (
                f"the run (PID {min(run)}) went on without its caller"
            )
            time.sleep(0.05)
    finally:
        holder.close()


def runs_in(warm: WarmDbt, folder: Path) -> set[int]:
    """The warm dbt's runs working in `folder` (other tests' runs work elsewhere)."""
    found = set()
    for pid in warm.children():
        try:
            if os.readlink(f"/proc/{pid}/cwd") == str(folder):
                found.add(pid)
        except FileNotFoundError:
            pass  # ended meanwhile
    return found
