"""Take it anywhere: `python -m spotify_history.export` (CSV/Parquet files) and BI access via SQLAlchemy.

The sample is ingested and built once for the session; every export reads that database
read-only and writes into the test's own folder.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent
INTEGER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT"}


@pytest.fixture(scope="module")
def db(built_sample_db) -> Path:
    """The sample, built once for the session (tests/conftest.py); every test reads it only."""
    return built_sample_db


def run_export(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "spotify_history.export", *map(str, args)],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip


def reader(path: Path) -> str:
    quoted = "'" + str(path).replace("'", "''") + "'"
    return f"read_{path.suffix[1:]}({quoted})"


def tables_and_columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in con.execute(
        "select c.table_name, c.column_name, c.data_type from duckdb_columns() c "
        "join information_schema.tables t on c.database_name = t.table_catalog "
        "and c.schema_name = t.table_schema and c.table_name = t.table_name "
        "where c.database_name = current_database() and c.schema_name = 'main' "
        "order by c.table_name, c.column_index"
    ).fetchall():
        found.setdefault(table, []).append((column, data_type))
    return found


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_every_mart_exported_once_with_its_rows_and_column_order(db, tmp_path, fmt):
    # Apostrophe and space in the folder: paths are quoted, not pasted into SQL.
    out = tmp_path / "my exports 'x'"
    con = duckdb.connect(str(db), read_only=True)  # a reader holding the file meanwhile
    try:
        before = db.stat().st_mtime_ns
        done = run_export("--db", db, "--format", fmt, "--out", out)
        assert done.returncode == 0, done.stderr
        assert db.stat().st_mtime_ns == before  # opened read-only: file untouched
        marts = tables_and_columns(con)
        assert {"top_tracks", "top_artists", "streams", "plays", "wrapped"} <= set(marts)
        others = con.execute(
            "select table_name from duckdb_tables() where schema_name <> 'main' union all "
            "select view_name from duckdb_views() where not internal and schema_name <> 'main'"
        ).fetchall()
        assert len(others) > 10 and not {o for (o,) in others} & set(marts)  # views, raw.*: no
        assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.{fmt}" for t in marts)
        *lines, where = done.stdout.splitlines()
        assert len(lines) == len(marts)  # one line per file, with its row count
        assert where == f"wrote {len(marts)} {fmt} files to {out}/"  # then where they are
        printed = {Path(line.rsplit("  ", 1)[0]).name: line for line in lines}
        for table, want in marts.items():
            path = out / f"{table}.{fmt}"
            (rows,) = con.execute(f'select count(*) from main."{table}"').fetchone()
            assert printed[path.name].endswith(f"  {rows} rows")
            assert con.execute(f"select count(*) from {reader(path)}").fetchone() == (rows,)
            got = con.execute(f"describe select * from {reader(path)}").fetchall()
            assert [g[0] for g in got] == [w[0] for w in want], table
            if fmt == "parquet":  # same types, so integers are integers and lists lists
                assert [g[1] for g in got] == [w[1] for w in want], table
        if fmt == "parquet":
            checked = 0
            for table, want in marts.items():  # the Parquet physical type itself
                path = reader(out / f"{table}.parquet").replace("read_parquet", "parquet_schema")
                physical = dict(con.execute(f"select name, type from {path}").fetchall())
                for column, data_type in want:
                    if data_type in INTEGER_TYPES:
                        assert physical[column] in ("INT32", "INT64"), (table, column)
                        checked += 1
            assert checked > 50
    finally:
        con.close()


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_list_columns_survive(db, tmp_path, fmt):
    out = tmp_path / "out"
    assert run_export("--db", db, "--format", fmt, "--out", out).returncode == 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        want = con.execute(
            "select local_year, top_tracks, top_artists from wrapped order by all"
        ).fetchall()
        got = con.execute(
            f"select local_year, top_tracks, top_artists from {reader(out / f'wrapped.{fmt}')} "
            "order by local_year"
        ).fetchall()
    finally:
        con.close()
    assert want and all(isinstance(row[1], list) and row[1] for row in want)
    if fmt == "csv":  # JSON text in CSV
        got = [(year, json.loads(tracks), json.loads(artists)) for year, tracks, artists in got]
    assert sorted(got) == sorted(want)


def make_db(path: Path, sql: str) -> Path:
    con = duckdb.connect(str(path))
    con.execute(sql)
    con.close()
    return path


def test_wide_integers_become_bigint_and_ratios_stay_double(tmp_path):
    db = make_db(
        tmp_path / "tiny.duckdb",
        "create table sums as select sum(x::bigint) as total, sum(x::hugeint)::uhugeint as u, "
        "count(*)::ubigint as n, avg(x) as ratio, list(x order by x) as xs, "
        "{'a': 1} as s from range(5) t(x)",
    )
    out = tmp_path / "out"
    done = run_export("--db", db, "--out", out)
    assert done.returncode == 0, done.stderr
    con = duckdb.connect()
    try:
        got = con.execute(f"describe select * from {reader(out / 'sums.parquet')}").fetchall()
        assert [(g[0], g[1]) for g in got] == [
            ("total", "BIGINT"), ("u", "BIGINT"), ("n", "BIGINT"), ("ratio", "DOUBLE"),
            ("xs", "BIGINT[]"), ("s", "STRUCT(a INTEGER)"),
        ]  # fmt: skip
        row = con.execute(f"select * from {reader(out / 'sums.parquet')}").fetchone()
        assert row == (10, 10, 5, 2.0, [0, 1, 2, 3, 4], {"a": 1})
        assert run_export("--db", db, "--out", out, "--format", "csv").returncode == 0
        text = (out / "sums.csv").read_text().splitlines()
        assert text == ["total,u,n,ratio,xs,s", '10,10,5,2.0,"[0,1,2,3,4]","{""a"":1}"']
    finally:
        con.close()


def test_a_sum_too_big_for_bigint_stops_loudly_and_keeps_the_old_file(tmp_path):
    db = make_db(
        tmp_path / "big.duckdb",
        "create table a_ok as select 1 as x; "
        "create table big as select sum(x) as total from (values (9223372036854775807::bigint), "
        "(1::bigint)) t(x)",
    )
    out = tmp_path / "out"
    out.mkdir()
    (out / "big.parquet").write_bytes(b"previous export")
    done = run_export("--db", db, "--out", out)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "big.total" in done.stderr and "9223372036854775808" in done.stderr
    assert (out / "big.parquet").read_bytes() == b"previous export"  # never half-written
    assert sorted(p.name for p in out.iterdir()) == ["a_ok.parquet", "big.parquet"]  # no temp


def test_missing_or_unbuilt_database_is_one_line_exit_2(tmp_path):
    empty = make_db(tmp_path / "empty.duckdb", "create schema raw; create table raw.t (x int)")
    junk = tmp_path / "junk.duckdb"
    junk.write_text("not a database")
    for path, message in [
        (tmp_path / "missing.duckdb", "does not exist"),
        (empty, "make build"),
        (junk, "cannot open"),
    ]:
        done = run_export("--db", path, "--out", tmp_path / "out")
        assert done.returncode == 2, path
        assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1, done.stderr
        assert message in done.stderr
        assert done.stdout == ""
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("query", "connect_args"),
    [("", {"read_only": True}), ("?access_mode=read_only", {})],
    ids=["connect_args", "url"],
)
def test_bi_tools_read_every_mart_and_its_comments_through_sqlalchemy(db, query, connect_args):
    """As Superset and other SQLAlchemy BI tools connect: duckdb_engine, read-only."""
    import sqlalchemy as sa

    con = duckdb.connect(str(db), read_only=True)
    try:
        marts = tables_and_columns(con)
        counts = {t: con.execute(f'select count(*) from main."{t}"').fetchone()[0] for t in marts}
    finally:
        con.close()
    engine = sa.create_engine(f"duckdb:///{db}{query}", connect_args=connect_args)
    try:
        inspector = sa.inspect(engine)
        listed = inspector.get_table_names(schema="main") + inspector.get_view_names(schema="main")
        assert set(listed) == set(marts)
        # Reflection is the driver's, whichever way read-only was asked for: checked once.
        reflected = marts if connect_args else {}
        for table, want in reflected.items():
            comment = inspector.get_table_comment(table, schema="main")["text"]
            assert comment and comment.strip(), table
            if table == "wrapped":  # list columns: readable, but of a type SQLAlchemy lacks
                with pytest.warns(sa.exc.SAWarning, match="Did not recognize type 'list'"):
                    got = inspector.get_columns(table, schema="main")
            else:
                got = inspector.get_columns(table, schema="main")
            assert [c["name"] for c in got] == [c for c, _ in want], table
            assert all(c["comment"] and c["comment"].strip() for c in got), table
        with engine.connect() as connection:
            assert connection.execute(
                sa.text("select current_setting('access_mode')")
            ).scalar() == ("read_only")
            for table, rows in counts.items():
                result = connection.execute(sa.text(f'select * from main."{table}"')).fetchall()
                assert len(result) == rows, table
            with pytest.raises(sa.exc.DBAPIError, match="read-only"):
                connection.execute(sa.text("create table main.x (y int)"))
    finally:
        engine.dispose()
