"""Personal data: none is stored unless asked, and counts never depend on --keep-personal-data.

No IP address, user agent or username of the sample is in any column of any table or view, nor
in any exported file, unless the export was loaded with --keep-personal-data.

The sample holds rows that one playback event left twice, differing only in a personal field
(another IP address, a user agent null in one copy and "" in the other). Loaded without the
personal fields they look identical; loaded with them they do not. The exact-duplicates rule
leaves the personal fields out, so every mart — streams, plays, every top list and habit — is
the same either way.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent
# Spotify's extended history files, by name (written out again: the tests stay independent)
EXTENDED_NAME = re.compile(r"(endsong(_\d+)?|endvideo|Streaming_History_(Audio|Video)_.*)\.json")


@pytest.fixture(scope="module")
def built_with_personal_data(built_sample_db_with_personal_data) -> Path:
    """The sample loaded with --keep-personal-data and built (tests/conftest.py)."""
    return built_sample_db_with_personal_data


def mart_fingerprints(db: Path) -> dict[str, tuple[int, int]]:
    """Rows and an order-free hash of every row, per table and view of schema main."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        marts = [
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables "
                "where table_catalog = current_database() and table_schema = 'main'"
            ).fetchall()
        ]
        return {
            mart: con.execute(f'select count(*), sum(hash(m)) from main."{mart}" as m').fetchone()
            for mart in marts
        }
    finally:
        con.close()


def test_the_sample_has_rows_that_differ_only_in_personal_fields(built_with_personal_data):
    con = duckdb.connect(str(built_with_personal_data), read_only=True)
    try:
        (twins,) = con.execute(
            """
            select count(*) from (
                select ts, ms_played, master_metadata_track_name, reason_end, export_id
                from raw.extended_history
                group by all
                having count(distinct coalesce(ip_addr_decrypted, ip_addr, '?')) > 1
                    or count(distinct coalesce(user_agent_decrypted, '<null>')) > 1
            )
            """
        ).fetchone()
    finally:
        con.close()
    assert twins > 5


def test_every_mart_is_the_same_with_and_without_personal_data(
    built_sample_db, built_with_personal_data
):
    without = mart_fingerprints(built_sample_db)
    with_personal = mart_fingerprints(built_with_personal_data)
    assert {"streams", "plays", "top_tracks", "top_artists", "wrapped"} <= set(without)
    assert with_personal == without


def personal_values(zips: list[Path]) -> set[str]:
    """The IP addresses, user agents and usernames the sample's extended files contain."""
    found = set()
    for path in zips:
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                if EXTENDED_NAME.fullmatch(member.rsplit("/", 1)[-1]):
                    for row in json.loads(archive.read(member)):
                        for key in (
                            "ip_addr_decrypted",
                            "ip_addr",
                            "user_agent_decrypted",
                            "username",
                        ):
                            if row.get(key) not in (None, "", "unknown"):
                                found.add(row[key])
    return found


def any_of(values: set[str]) -> str:
    """A regular expression (DuckDB's, RE2) matching any of the values, each taken literally."""
    assert not any("\\E" in v for v in values)
    return "|".join(f"\\Q{v}\\E" for v in sorted(values))


def files_containing(folder: Path, values: set[str]) -> list[str]:
    """The exported files (CSV, or Parquet read back column by column) holding any of the
    values."""
    con = duckdb.connect()
    try:
        found = []
        for path in sorted(folder.iterdir()):
            query = (
                "select regexp_matches(content, $2) from read_text($1)"
                if path.suffix == ".csv"
                else "select exists (select 1 from read_parquet($1) t "
                "where regexp_matches(t::varchar, $2))"
            )
            if con.execute(query, [str(path), any_of(values)]).fetchone()[0]:
                found.append(path.name)
        return found
    finally:
        con.close()


def tables_containing(db: Path, values: set[str], only_schema: str | None = None) -> set[str]:
    """Every text or JSON column of every table and view (of one schema, if given), searched
    for any of the values: one pass over each relation (its text columns at once, one regular
    expression of every value quoted literally), then over its columns one by one where that
    found one. The views of staging and intermediate are left out: a user's database has one,
    int_streams_in_scope (the others are ephemeral; the shared sample has them as views for the
    unit tests), and each re-runs the rules over the tables searched here."""
    pattern = any_of(values)
    con = duckdb.connect(str(db), read_only=True)
    try:
        relations: dict[tuple[str, str], list[str]] = {}
        for schema, table, column in con.execute(
            "select schema_name, table_name, column_name from duckdb_columns() "
            "where database_name = current_database() and data_type in ('VARCHAR', 'JSON') "
            "and schema_name = coalesce($1, schema_name) and (schema_name, table_name) not in "
            "(select (schema_name, view_name) from duckdb_views() "
            " where schema_name in ('staging', 'intermediate'))",
            [only_schema],
        ).fetchall():
            relations.setdefault((schema, table), []).append(column)

        def found(schema: str, table: str, columns: list[str]) -> bool:
            text = " or ".join(f'regexp_matches(t."{c}"::varchar, $1)' for c in columns)
            query = f'select exists (select 1 from "{schema}"."{table}" t where {text})'
            return con.execute(query, [pattern]).fetchone()[0]

        return {
            f"{schema}.{table}.{column}"
            for (schema, table), columns in relations.items()
            if found(schema, table, columns)
            for column in columns
            if found(schema, table, [column])
        }
    finally:
        con.close()


def test_no_personal_data_anywhere_unless_asked(
    built_sample_db, sample_zips, built_sample_db_with_personal_data, tmp_path
):
    from spotify_history import export

    values = personal_values(sample_zips)
    assert len(values) > 10
    assert tables_containing(built_sample_db, values) == set()
    for fmt in ("csv", "parquet"):  # nor in any exported file
        out = tmp_path / fmt
        assert export.main(["--db", str(built_sample_db), "--format", fmt, "--out", str(out)]) == 0
        assert len(list(out.iterdir())) > 20
        assert files_containing(out, values) == []
    # the file scan finds a value where there is one
    planted = tmp_path / "planted"
    planted.mkdir()
    value = sorted(values)[len(values) // 2]
    con = duckdb.connect()
    con.execute(f"copy (select 1 as n, ? as agent) to '{planted}/a.parquet'", [value])
    con.execute(f"copy (select ? as agent) to '{planted}/b.csv'", [f"x{value}y"])
    con.close()
    assert files_containing(planted, values) == ["a.parquet", "b.csv"]
    # with --keep-personal-data, the raw tables' personal columns hold them (and so the scan
    # above could find them)
    kept = built_sample_db_with_personal_data
    assert {h.rsplit(".", 1)[1] for h in tables_containing(kept, values, only_schema="raw")} == {
        "ip_addr_decrypted", "ip_addr", "user_agent_decrypted", "username",
    }  # fmt: skip
