"""Counts never depend on --keep-personal-data.

The sample holds rows that one playback event left twice, differing only in a personal field
(another IP address, a user agent null in one copy and "" in the other). Loaded without the
personal fields they look identical; loaded with them they do not. The exact-duplicates rule
leaves the personal fields out, so every mart — streams, plays, every top list and habit — is
the same either way.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent


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
