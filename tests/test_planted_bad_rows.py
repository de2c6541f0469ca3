"""A bad row of each kind stops the build with a message that says what and where.

Rows are planted the way bad data would arrive — in the raw tables the ingest writes — and
behind the ingest, in the rows the rules hand to the one wide table, as a bug in a rule would
leave them. The database itself is never changed by a failed build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent

KEPT_EXTENDED_ROW = """
    (file_id, row_number) = (
        select (file_id, row_number) from main.streams
        where source_kind = 'extended' order by stream_id limit 1
    )
"""


def build(db: Path, *dbt_args: str) -> subprocess.CompletedProcess:
    """The intermediate models as views (as the sample was built), so that a selected model
    reads the relations upstream of it, planted ones included, instead of inlining them."""
    return subprocess.run(
        [sys.executable, "-m", "spotify_history.build", "--db", str(db), "--quiet", *dbt_args],
        cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "SPOTIFY_INTERNAL_MATERIALIZATION": "view"},
    )  # fmt: skip


@pytest.fixture(scope="module")
def planted_path(tmp_path_factory) -> Path:
    """One path for every planted database, so dbt parses the project once for them all."""
    return tmp_path_factory.mktemp("planted") / "spotify.duckdb"


def planted(built_sample_db: Path, db: Path, *statements: str) -> Path:
    """A fresh copy of the built sample at `db`, with `statements` run on it."""
    shutil.copyfile(built_sample_db, db)
    con = duckdb.connect(str(db))
    try:
        for statement in statements:
            con.execute(statement)
    finally:
        con.close()
    return db


def test_bad_raw_rows_of_every_kind_are_named(built_sample_db, planted_path):
    db = planted(
        built_sample_db,
        planted_path,
        # null: a stream without its end time
        f"update raw.extended_history set ts = null where {KEPT_EXTENDED_ROW}",
        # out of range: a negative duration
        "update raw.extended_history set ms_played = -5 where (file_id, row_number) = "
        "(select (file_id, max(row_number)) from raw.extended_history group by file_id "
        "order by file_id limit 1)",
        # duplicate key: a row number twice in its file
        "insert into raw.extended_history by name select * exclude (row_number), 1 as row_number "
        "from raw.extended_history where row_number = 2 order by file_id limit 1",
        # unknown value: a format nobody knows
        "update raw.files set format = 'extended_v9' where file_id = "
        "(select max(file_id) from raw.files where source_kind = 'extended')",
        # orphan: a row of a file that does not exist
        "insert into raw.extended_history by name select * exclude (file_id), 99999 as file_id "
        "from raw.extended_history limit 1",
    )
    before = db.read_bytes()
    done = build(db, "--select", "+assert_load_manifest_is_consistent")
    assert done.returncode == 2, done.stdout + done.stderr
    message = done.stderr
    assert "assert_load_manifest_is_consistent" in message
    for problem in (
        "no end time",
        "negative ms_played",
        "row_number repeated in its file",
        "unknown format",
        "file_id has no file",
    ):
        assert problem in message, problem
    assert "raw.extended_history" in message and "raw.files" in message
    assert db.read_bytes() == before, "a failed build leaves the database as it was"


# The rows the rules hand to int_streams_localized, as a table that can be changed (the sample
# has the intermediate models as views).
RULES_OUTPUT = "intermediate.int_streams_counted"
AS_A_TABLE = (
    f"create table intermediate.planted as from {RULES_OUTPUT}",
    f"drop view {RULES_OUTPUT}",
    f"alter table intermediate.planted rename to {RULES_OUTPUT.split('.')[1]}",
)
FIRST_KEPT_TRACK = (
    f"(select min(stream_id) from {RULES_OUTPUT} where is_kept and content_type = 'track')"
)
FIRST_DROPPED = f"(select min(stream_id) from {RULES_OUTPUT} where not is_kept)"


def test_a_rule_gone_wrong_stops_at_the_constraints(built_sample_db, planted_path):
    """As if a rule upstream produced bad values: the wide table's contract refuses them, for
    kept streams and dropped rows alike, and the message names the model and the column (one
    build per value: a model stops at its first violation)."""
    for statement, message in (
        (
            f"update {RULES_OUTPUT} set listener = null where stream_id = {FIRST_KEPT_TRACK}",
            "NOT NULL constraint failed: int_streams_localized.listener",
        ),
        (
            f"update {RULES_OUTPUT} set content_type = 'video' "
            f"where stream_id = {FIRST_DROPPED} and not is_kept",
            "CHECK constraint failed on table int_streams_localized with expression "
            "CHECK((content_type IN",
        ),
        (
            f"update {RULES_OUTPUT} set ms_played = -1 where stream_id = {FIRST_KEPT_TRACK}",
            "CHECK((ms_played >= 0))",
        ),
    ):
        db = planted(built_sample_db, planted_path, *AS_A_TABLE, statement)
        done = build(db, "--select", "int_streams_localized")
        assert done.returncode == 2, done.stdout + done.stderr
        assert "int_streams_localized" in done.stderr, done.stderr
        assert message in done.stderr, done.stderr


def test_a_stream_twice_fails_the_key_test(built_sample_db, planted_path):
    db = planted(
        built_sample_db,
        planted_path,
        *AS_A_TABLE,
        f"insert into {RULES_OUTPUT} select * from {RULES_OUTPUT} "
        "where is_kept order by stream_id limit 1",
    )
    done = build(db, "--select", "int_streams_localized")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "int_streams_localized" in done.stderr and "stream_id" in done.stderr
