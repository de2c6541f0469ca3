"""The daily loop of a user, through `make` as the README gives it (issue 16): the demo in its own
database, then your own exports with awkward paths and a listener, the same again (nothing to
do), a changed setting and a removed export, and a database left by an older version.

Each `make` runs in the repository with SPOTIFY_DB, DEMO_DB and HOME in the test's own folder,
and SPOTIFY_SETTINGS_DIR in a folder of its own under target/ (it must be in the project; the
upgrade reads the committed examples, as the shared sample was built); four dbt builds in all
(the demo, the first run, the remove, the upgrade).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from spotify_history.dbt_target import target_folder
from tests.db_82ebcc5 import write_database
from tests.user_loop import new_settings_folder, query

ROOT = Path(__file__).resolve().parent.parent
# One export of each awkward kind, all given at once in one EXPORT: a space and the parentheses
# of a browser's second download, a quote and non-ASCII letters, and `~`.
AWKWARD = {
    "Down loads/my_spotify_data(1).zip": "01_account_2018.zip",
    "it's ünïcødé.zip": "02_account_2019.zip",
    "plain.zip": "06_account_2024.zip",
}
EXPORT = '"~/Down loads/my_spotify_data(1).zip" ~/it\\\'s\\ ünïcødé.zip ~/plain.zip'
LISTENER = "Zoë O'Neil (kitchen)"


def make(
    home: Path, settings: Path, *args: str, check: bool = True, env: dict | None = None
) -> subprocess.CompletedProcess:
    env = {**os.environ, "HOME": str(home), "SPOTIFY_SETTINGS_DIR": str(settings.relative_to(ROOT)),
           **(env or {})}  # fmt: skip
    for name in ("SPOTIFY_DB", "EXPORT", "LISTENER", "EXPORT_ID", "MAKEFLAGS", "MAKELEVEL"):
        env.pop(name, None)
    done = subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), *args],
        env=env,
        capture_output=True,
        text=True,
    )
    if check and done.returncode != 0:
        pytest.fail(f"make {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


@pytest.fixture(scope="module")
def settings() -> Iterator[Path]:
    """A settings folder of the module's own, empty: make creates the files from the examples."""
    folder = new_settings_folder()
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def sample(sample_zips) -> Path:
    """The folder of the session's sample zips."""
    return sample_zips[0].parent


@pytest.fixture(scope="module")
def loop(tmp_path_factory, sample, settings) -> dict:
    """`make demo`, then `make run` on your own exports, as a new user following the README."""
    home = tmp_path_factory.mktemp("home")
    for name, source in AWKWARD.items():
        (home / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(sample / source, home / name)
    # the databases too live where a path breaks a shell line
    dbs = {"demo": home / "a demo (1).duckdb", "mine": home / "mes données" / "spotify.duckdb"}
    dbs["mine"].parent.mkdir()
    demo = make(
        home, settings, "demo", f"DEMO_DB={dbs['demo']}", f"SPOTIFY_DB={dbs['mine']}", "N=3"
    )
    mine_after_demo = dbs["mine"].exists()
    run = make(
        home,
        settings,
        "run",
        f"SPOTIFY_DB={dbs['mine']}",
        f"EXPORT={EXPORT}",
        f"LISTENER={LISTENER}",
        "N=3",
    )
    run_log = (target_folder(dbs["mine"]) / "build.log").read_text()
    return {"home": home, "settings": settings, **dbs, "demo_out": demo.stdout, "mine_after_demo": mine_after_demo,
            "run": run, "run_log": run_log}  # fmt: skip


def test_the_demo_has_its_own_database(loop):
    assert not loop["mine_after_demo"], "make demo wrote to SPOTIFY_DB, the user's database"
    assert query(loop["demo"], "select count(*) from raw.exports") == [(9,)]
    assert str(loop["demo"]) in loop["demo_out"]


def test_run_loads_awkward_paths_given_at_once_for_the_listener(loop):
    exports = query(loop["mine"], "select listener, inputs from raw.exports order by export_id")
    assert exports == [(LISTENER, [Path(name).name]) for name in AWKWARD]
    assert query(loop["mine"], "select distinct listener from top_artists") == [(LISTENER,)]
    out = loop["run"].stdout
    assert "Top artists" in out and f"({LISTENER})" not in out  # one listener: no suffix
    # the first run says which zone it used and how to set yours
    settings = (loop["settings"] / "settings.csv").relative_to(ROOT)
    assert f"local times are in UTC: no time zone is set. Set yours in {settings}" in out


def test_the_first_run_after_the_demo_reuses_its_parse_of_the_project(loop):
    """A new database, yet dbt parses only what changed since the demo's build: nothing."""
    assert "Running with dbt" in loop["run_log"]
    assert "full parse" not in loop["run_log"], loop["run_log"]


def test_run_again_changes_nothing_and_builds_nothing(loop):
    again = make(
        loop["home"], loop["settings"], "run", f"SPOTIFY_DB={loop['mine']}", f"EXPORT={EXPORT}",
        f"LISTENER={LISTENER}", "N=3",
    )  # fmt: skip
    assert again.stdout.count("already loaded, nothing changed") == len(AWKWARD)
    assert "the marts are up to date" in again.stdout
    assert "tests passed" not in again.stdout and "Top artists" in again.stdout


def test_a_bad_export_list_is_one_line(loop):
    done = make(
        loop["home"], loop["settings"], "run", f"SPOTIFY_DB={loop['mine']}", "EXPORT='a.zip",
        check=False,
    )  # fmt: skip
    assert done.returncode != 0
    assert "error: EXPORT: No closing quotation" in done.stderr
    usage = make(loop["home"], loop["settings"], "run", f"SPOTIFY_DB={loop['mine']}", check=False)
    assert usage.returncode != 0 and "usage: make run EXPORT=" in usage.stderr


def test_make_build_force_builds_an_up_to_date_database(loop, tmp_path):
    """FORCE=1 reaches the build: a stand-in dbt shows it ran (and fails, so nothing changes)."""
    fake = tmp_path / "dbt"
    fake.write_text("#!/bin/sh\necho stand-in dbt was run\nexit 1\n")
    fake.chmod(0o755)
    env = {"SPOTIFY_DBT": str(fake)}
    plain = make(loop["home"], loop["settings"], "build", f"SPOTIFY_DB={loop['mine']}", env=env)
    assert "the marts are up to date" in plain.stdout
    forced = make(
        loop["home"], loop["settings"], "build", f"SPOTIFY_DB={loop['mine']}", "FORCE=1",
        env=env, check=False,
    )  # fmt: skip
    assert forced.returncode != 0 and "stand-in dbt was run" in forced.stderr


def test_make_setup_creates_your_files(tmp_path):
    folder = new_settings_folder()
    try:
        make(tmp_path, folder, "setup")
        for name in ("settings", "exclusions", "track_merges", "timezones"):
            assert (folder / f"{name}.csv").read_bytes() == (
                ROOT / "seeds" / f"{name}.csv"
            ).read_bytes()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_setting_and_a_removed_export_reach_the_marts(loop):
    """Your settings file is read by make's build; `make remove` takes the export out and
    rebuilds. The last test of the loop: it changes the loop's database (at the same path, so
    dbt keeps its parse)."""
    db = loop["mine"]
    settings = loop["settings"] / "settings.csv"
    original = settings.read_text()
    listing = make(loop["home"], loop["settings"], "remove", f"SPOTIFY_DB={db}")
    assert "plain.zip" in listing.stdout and "make remove EXPORT_ID=" in listing.stdout
    try:
        settings.write_text(original.replace("timezone,\n", "timezone,Asia/Karachi\n"))
        make(loop["home"], loop["settings"], "remove", f"SPOTIFY_DB={db}", "EXPORT_ID=3")
    finally:
        settings.write_text(original)
    assert query(db, "select export_id from raw.exports order by 1") == [(1,), (2,)]
    assert query(db, "select distinct export_id from streams order by 1") == [(1,), (2,)]
    assert query(db, "select timezone, is_timezone_default from build_settings") == [
        ("Asia/Karachi", False)
    ]


def test_a_database_of_the_previous_version_is_upgraded(tmp_path, sample, built_sample_db):
    """82ebcc5's database: `make build` rebuilds the marts from raw (no re-ingest), and what no
    model makes any more (its old marts and views) is gone."""
    db = tmp_path / "spotify.duckdb"
    write_database(db, sorted(sample.glob("*.zip")))
    raw_before = query(db, "select * from raw.files order by file_id")

    def relations(path: Path) -> set[tuple]:
        return set(
            query(
                path, "select table_schema, table_name, table_type from information_schema.tables"
            )
        )

    old = relations(db)
    # the committed examples, as the built sample was built (read only: none is missing)
    done = make(tmp_path, ROOT / "seeds", "build", f"SPOTIFY_DB={db}")
    removed = {r[:2] for r in old} - {r[:2] for r in relations(db)}
    assert {("main", "artist_discoveries"), ("main", "track_discoveries"),
            ("intermediate", "int_streams_excluded")} <= removed  # fmt: skip
    assert f"removed {len(removed)} relation(s) that no model makes any more" in done.stdout
    assert query(db, "select * from raw.files order by file_id") == raw_before

    builds = ("raw", "builds", "BASE TABLE")
    assert builds in relations(db)  # the upgrade's build recorded itself
    # the shared sample is built with its internal models as views (for the unit tests); a
    # plain build makes them ephemeral but for one view: compare what both make
    internal_views = {
        r
        for r in relations(built_sample_db)
        if r[0] in ("staging", "intermediate") and r[2] == "VIEW"
    } - {("intermediate", "int_streams_in_scope", "VIEW")}
    assert relations(db) - {builds} == relations(built_sample_db) - {builds} - internal_views
    for mart in ("top_tracks", "top_artists", "wrapped", "listening_streaks"):
        assert query(db, f"from {mart} order by all") == query(
            built_sample_db, f"from {mart} order by all"
        ), mart
