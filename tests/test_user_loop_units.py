"""The parts of the daily loop (issue 16) that need no dbt build of their own: the build's
fingerprint and its skip, stale relations, the raw tables an older version made, and removing an
export. Your settings files and the EXPORT list are in test_user_settings_files.py; the whole
loop through make is in test_user_loop_make.py."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pytest

from spotify_history import build as build_tool
from spotify_history import build_state, dbt_process, remove_export
from spotify_history.dbt_target import target_folder
from spotify_history.errors import UserError
from tests.db_82ebcc5 import RAW_DDL
from tests.user_loop import copy_of, query

ROOT = Path(__file__).resolve().parent.parent


# --- the build's fingerprint and its skip -----------------------------------------------------


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the project's dbt files and the examples as the settings folder."""
    copy = tmp_path / "project"
    for name in ("models", "macros", "tests", "seeds"):
        shutil.copytree(ROOT / name, copy / name)
    for name in build_state.PROJECT_FILES:
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, copy / name)
    return copy


@pytest.fixture
def db(tmp_path, built_sample_db) -> Path:
    return copy_of(built_sample_db, tmp_path)


def test_the_fingerprint_changes_with_every_input_and_only_then(project, db):
    def fingerprint() -> str:
        con = duckdb.connect(str(db), read_only=True)
        try:
            return build_state.fingerprint(con, project / "seeds", [], project)
        finally:
            con.close()

    first = fingerprint()
    assert fingerprint() == first
    (project / "tests" / "test_anything.py").write_text("# pytest's, not dbt's\n")
    assert fingerprint() == first
    seen = {first}
    edits = [
        ("seeds/settings.csv", "timezone,\n", "timezone,Asia/Karachi\n"),
        ("seeds/exclusions.csv", "reason\n", "reason\n1,,X,,,,,,,\n"),
        ("models/marts/top_tracks.sql", "select", "select  "),
        ("macros/rules/is_skip.sql", "{%", "{%  "),
        ("tests/assert_settings_are_valid.sql", "with", "with "),
        ("dbt_project.yml", "version:", "version:  "),
    ]
    for path, old, new in edits:
        target = project / path
        target.write_text(target.read_text().replace(old, new, 1))
        now = fingerprint()
        assert now not in seen, path
        seen.add(now)
    con = duckdb.connect(str(db))
    con.execute("delete from raw.account_history where file_id = 1 and row_number = 1")
    con.close()
    assert fingerprint() not in seen, "raw rows"
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert build_state.fingerprint(con, project / "seeds", ["--select", "x"], project) != (
            build_state.fingerprint(con, project / "seeds", [], project)
        )
    finally:
        con.close()


def test_an_unchanged_database_is_not_built_again(db, monkeypatch):
    monkeypatch.setenv("SPOTIFY_SETTINGS_DIR", "seeds")
    con = duckdb.connect(str(db))
    try:
        build_state.record_build(con, build_state.fingerprint(con, ROOT / "seeds", []), [])
    finally:
        con.close()
    runs = []

    def run_build(*args):
        runs.append(args)
        raise UserError("dbt would run here")

    monkeypatch.setattr(build_tool, "run_build", run_build)
    outcome = build_tool.build(db, [], wait_seconds=5, quiet=True)
    assert outcome.summary is None and runs == []
    assert "the marts are up to date" in build_tool.describe(db, outcome)[0]
    with pytest.raises(UserError, match="dbt would run here"):
        build_tool.build(db, [], wait_seconds=5, quiet=True, force=True)
    assert len(runs) == 1


@pytest.mark.parametrize("given", [["--target-path", "rel/t"], ["--target-path=rel/t"], []])
def test_dbt_gets_its_target_folder_as_an_absolute_path(tmp_path, monkeypatch, given):
    """dbt runs in the private copy's folder: a target folder given relative to where the build
    was started must reach it absolute, once."""
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "spotify.duckdb"
    target, args = build_tool.with_target(db, ["--select", "plays", *given])
    expected = (tmp_path / "rel" / "t") if given else target_folder(db)
    assert target == expected.resolve() and target.is_absolute()
    assert args == ["--select", "plays", "--target-path", str(target)]


def test_stale_relations_go_and_yours_stay(db, built_sample_db):
    made = build_state.manifest_relations(built_sample_db.parent / "target" / "manifest.json")
    assert "main.top_tracks" in made and "seeds.settings" in made
    con = duckdb.connect(str(db))
    try:
        con.execute("create table main.my_own_table as select 1 as x")
        con.execute("create table main.artist_discoveries as select 1 as x")  # 82ebcc5's
        con.execute("create table main.some_mart as select 1 as x")  # made by an earlier build
        # `make build` keeps staging ephemeral (no schema); make test's sample build has views there
        con.execute("create schema if not exists staging")
        con.execute("create view staging.stg_old as select 1 as x")
        con.execute("create view intermediate.int_streams_excluded as select 1 as x")
        dropped = build_state.drop_stale_relations(con, made, ["main.some_mart"])
        left = {
            f"{s}.{n}"
            for s, n in con.execute(
                "select table_schema, table_name from information_schema.tables"
            ).fetchall()
        }
    finally:
        con.close()
    assert sorted(dropped) == [
        "intermediate.int_streams_excluded",
        "main.artist_discoveries",
        "main.some_mart",
        "staging.stg_old",
    ]
    assert "main.my_own_table" in left and set(made) <= left


def test_the_raw_tables_have_the_shape_82ebcc5_made(tmp_path):
    """The raw tables of a database built by 82ebcc5 are those ingest makes today, so an upgrade
    needs no migration of raw. If this fails, the shape changed: write the migration first."""
    db = tmp_path / "new.duckdb"
    subprocess.run(
        [sys.executable, "ingest.py", "--quiet", "--db", str(db), str(sample_zip(tmp_path))],
        cwd=ROOT,
        check=True,
    )
    assert (
        tuple(
            sql
            for (sql,) in query(
                db, "select sql from duckdb_tables() where schema_name = 'raw' order by table_name"
            )
        )
        == RAW_DDL
    )


# --- removing an export -----------------------------------------------------------------------


def sample_zip(folder: Path) -> Path:
    """A small export of two account-data files, from the bundled sample's generator."""
    from sample.generate import write_sample

    zips = write_sample(folder / "sample")
    return next(z for z in zips if z.name.startswith("02_"))


def test_remove_an_export_whose_file_a_later_export_shares(tmp_path):
    source = sample_zip(tmp_path)
    with zipfile.ZipFile(source) as archive:
        names = sorted(n for n in archive.namelist() if "StreamingHistory" in n)
        members = {n: archive.read(n) for n in names}
    first, second = tmp_path / "first.zip", tmp_path / "second.zip"
    with zipfile.ZipFile(first, "w") as z:
        z.writestr(names[0], members[names[0]])
    with zipfile.ZipFile(second, "w") as z:
        for name in names:
            z.writestr(name, members[name])
    db = tmp_path / "spotify.duckdb"
    for export in (first, second):
        subprocess.run(
            [sys.executable, "ingest.py", "--quiet", "--db", str(db), str(export)],
            cwd=ROOT,
            check=True,
        )
    rows_before = query(db, "select count(*) from raw.account_history")[0][0]
    shared = query(db, "select row_count from raw.files where file_id = 1")[0][0]
    assert query(db, "select duplicate_of_file_id from raw.files where export_id = 2") == [
        (1,),
        (None,),
    ]
    assert remove_export.main(["--db", str(db), "1"]) == 0
    assert query(db, "select export_id from raw.exports") == [(2,)]
    assert query(db, "select count(*) from raw.account_history")[0][0] == rows_before
    assert query(db, "select distinct export_id, file_id from raw.account_history order by 2") == [
        (2, 2),
        (2, 3),
    ]
    assert query(db, "select file_id, duplicate_of_file_id from raw.files order by 1") == [
        (2, None),
        (3, None),
    ]
    assert query(db, "select row_count from raw.exports")[0][0] == rows_before
    assert shared > 0
    assert remove_export.main(["--db", str(db), "9"]) == 2  # no such export
    assert remove_export.main(["--db", str(db)]) == 0  # the list


def test_out_of_memory_builds_again_one_model_at_a_time(tmp_path, monkeypatch):
    """Models built at once share DuckDB's memory limit: when a build runs out of memory, what
    failed or was skipped is built again with one thread (`dbt retry`), and the summary covers
    every node of the build."""
    runs = []
    target = tmp_path / "t"

    def node(name, status):
        return {"unique_id": f"model.spotify.{name}", "status": status, "message": ""}

    def fake_dbt(args, env, cwd, log, show):
        runs.append(args)
        results = (
            [node("plays", "success"), node("top_tracks", "error"), node("wrapped", "skipped")]
            if len(runs) == 1
            else [node("top_tracks", "success"), node("wrapped", "success")]
        )
        (target / "run_results.json").write_text(json.dumps({"results": results}))
        return (1, True) if len(runs) == 1 else (0, False)

    monkeypatch.setattr(build_tool, "run_dbt", fake_dbt)
    monkeypatch.setattr(dbt_process, "run_dbt", fake_dbt)
    summary = build_tool.run_build(tmp_path / "db.duckdb", tmp_path / "c.duckdb", [], target, True)
    assert summary.ok and summary.done["model"] == 3 and summary.skipped == 0
    assert runs[0][1] == "build" and "--threads" not in runs[0]
    assert runs[1][1] == "retry" and runs[1][-2:] == ["--threads", "1"]
