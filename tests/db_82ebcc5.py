"""A database as the version of 82ebcc5 (the start of 2026-12-01) left it, for the upgrade test.

Made from a real one: the sample ingested and built by 82ebcc5's own code, then read with
`duckdb_tables()` / `duckdb_views()`. RAW_DDL is that database's raw tables, exactly;
RELATIONS every other table and view it had. `write_database` rebuilds it: the raw tables
with the old DDL, the exports loaded into them by today's ingest (into the old tables: the
shape is the old one whatever today's DDL says), and each other relation under its old name and
kind (a stub: each is rebuilt or dropped by an upgrade, never read; the seeds' tables, which a
build loads into, with their old columns).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent

RAW_DDL = (
    'CREATE TABLE raw.account_history(export_id INTEGER NOT NULL, file_id INTEGER NOT NULL, row_number BIGINT NOT NULL, endTime TIMESTAMP, "time" TIMESTAMP, artistName VARCHAR, trackName VARCHAR, podcastName VARCHAR, episodeName VARCHAR, audiobookName VARCHAR, chapterName VARCHAR, authorName VARCHAR, msPlayed BIGINT, extra JSON);',
    "CREATE TABLE raw.exports(export_id INTEGER PRIMARY KEY, listener VARCHAR NOT NULL, ingested_at TIMESTAMP NOT NULL, inputs VARCHAR[] NOT NULL, keep_personal_data BOOLEAN NOT NULL, file_count INTEGER NOT NULL, row_count BIGINT NOT NULL);",
    "CREATE TABLE raw.extended_history(export_id INTEGER NOT NULL, file_id INTEGER NOT NULL, row_number BIGINT NOT NULL, ts TIMESTAMP, username VARCHAR, platform VARCHAR, ms_played BIGINT, conn_country VARCHAR, ip_addr_decrypted VARCHAR, ip_addr VARCHAR, user_agent_decrypted VARCHAR, master_metadata_track_name VARCHAR, master_metadata_album_artist_name VARCHAR, master_metadata_album_album_name VARCHAR, spotify_track_uri VARCHAR, episode_name VARCHAR, episode_show_name VARCHAR, spotify_episode_uri VARCHAR, audiobook_title VARCHAR, audiobook_uri VARCHAR, audiobook_chapter_uri VARCHAR, audiobook_chapter_title VARCHAR, reason_start VARCHAR, reason_end VARCHAR, shuffle BOOLEAN, skipped BOOLEAN, offline BOOLEAN, offline_timestamp BIGINT, incognito_mode BOOLEAN, extra JSON);",
    "CREATE TABLE raw.files(file_id INTEGER PRIMARY KEY, export_id INTEGER NOT NULL, path VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, bytes BIGINT NOT NULL, source_kind VARCHAR NOT NULL, format VARCHAR NOT NULL, row_count BIGINT NOT NULL, first_ended_at TIMESTAMP, last_ended_at TIMESTAMP, unknown_keys VARCHAR[] NOT NULL, duplicate_of_file_id INTEGER);",
)
# The seeds' tables as they were (a build loads the seeds into them, so their columns matter).
SEED_DDL = (
    "CREATE TABLE seeds.exclusions(rule_id INTEGER, listener VARCHAR, artist_name VARCHAR, track_name VARCHAR, album_name VARCHAR, show_name VARCHAR, platform VARCHAR, from_date DATE, to_date DATE, reason VARCHAR);",
    "CREATE TABLE seeds.timezones(listener VARCHAR, valid_from TIMESTAMP, valid_to TIMESTAMP, timezone VARCHAR);",
    "CREATE TABLE seeds.track_merges(listener VARCHAR, artist_name VARCHAR, track_name VARCHAR, canonical_artist_name VARCHAR, canonical_track_name VARCHAR, note VARCHAR);",
)
RELATIONS = (
    ("intermediate", "int_sources_ranked", "view"),
    ("intermediate", "int_streams_classified", "view"),
    ("intermediate", "int_streams_deduplicated", "view"),
    ("intermediate", "int_streams_excluded", "view"),
    ("intermediate", "int_streams_localized", "table"),
    ("intermediate", "int_streams_merged", "view"),
    ("intermediate", "int_streams_overlap_resolved", "table"),
    ("intermediate", "int_streams_unioned", "view"),
    ("intermediate", "int_track_merges_resolved", "view"),
    ("main", "artist_discoveries", "table"),
    ("main", "daily_activity", "table"),
    ("main", "exclusions_applied", "table"),
    ("main", "import_audit", "table"),
    ("main", "import_summary", "table"),
    ("main", "listening_clock", "table"),
    ("main", "listening_sessions", "table"),
    ("main", "listening_streaks", "table"),
    ("main", "monthly_discoveries", "table"),
    ("main", "platform_country_monthly", "table"),
    ("main", "plays", "table"),
    ("main", "podcast_episodes", "table"),
    ("main", "quiet_favourites", "table"),
    ("main", "skip_rates", "table"),
    ("main", "streams", "table"),
    ("main", "suggested_track_merges", "table"),
    ("main", "top_albums_by_period", "table"),
    ("main", "top_artists", "table"),
    ("main", "top_artists_by_period", "table"),
    ("main", "top_shows", "table"),
    ("main", "top_tracks", "table"),
    ("main", "top_tracks_by_period", "table"),
    ("main", "track_discoveries", "table"),
    ("main", "wrapped", "table"),
    ("seeds", "exclusions", "table"),
    ("seeds", "timezones", "table"),
    ("seeds", "track_merges", "table"),
    ("staging", "stg_seeds__exclusions", "view"),
    ("staging", "stg_spotify__account_history", "view"),
    ("staging", "stg_spotify__exports", "view"),
    ("staging", "stg_spotify__extended_history", "view"),
    ("staging", "stg_spotify__files", "view"),
)


def write_database(path: Path, zips: list[Path]) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema raw")
        for ddl in RAW_DDL:
            con.execute(ddl)
    finally:
        con.close()
    subprocess.run(
        [sys.executable, "ingest.py", "--quiet", "--db", str(path), *map(str, zips)],
        cwd=ROOT,
        check=True,
    )
    con = duckdb.connect(str(path))
    try:
        for schema in sorted({schema for schema, _, _ in RELATIONS}):
            con.execute(f"create schema if not exists {schema}")
        for ddl in SEED_DDL:
            con.execute(ddl)
        for schema, name, kind in RELATIONS:
            if schema != "seeds":
                body = "(stub integer)" if kind == "table" else "as select 1 as stub"
                con.execute(f"create {kind} {schema}.{name} {body}")
    finally:
        con.close()
