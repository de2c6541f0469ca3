"""The raw tables, declared: one row per key of each kind of history file.

Each row says what JSON value the key accepts, the SQL type it is stored as, whether it is
personal data (dropped unless --keep-personal-data) and whether a row must have it. The load's
checks (checks.py) and the tables' DDL are generated from these rows, so a new key is one line.
Keys are in Spotify's order, which is the raw tables' column order.
"""

from __future__ import annotations

from dataclasses import dataclass

# what each JSON value kind is: the DuckDB json_type()s accepted, the SQL type it is stored
# as, and how a value of another kind is described in an error
ACCEPTS = {
    "string": (("VARCHAR",), "varchar", "not a string or null"),
    "integer": (("UBIGINT", "BIGINT"), "bigint", "not an integer"),
    "boolean": (("BOOLEAN",), "boolean", "not true, false or null"),
    "time": (("VARCHAR",), "timestamp", "not a time in the format {format}"),
}


@dataclass(frozen=True)
class Column:
    name: str
    accepts: str  # a key of ACCEPTS
    personal: bool = False
    # "yes": every row has it; "or <key>": it or that other key; "unless <format>": every row
    # except in files of that format; "": may be missing
    required: str = ""
    time_format: str = ""  # strptime format, for "time"
    non_negative: bool = False

    @property
    def sql_type(self) -> str:
        return ACCEPTS[self.accepts][1]


def string(name: str, personal: bool = False) -> Column:
    return Column(name, "string", personal=personal)


ACCOUNT = (
    Column("endTime", "time", required="or time", time_format="%Y-%m-%d %H:%M"),
    Column("time", "time", required="or endTime", time_format="%Y-%m-%d %H:%M:%S"),
    string("artistName"),
    string("trackName"),
    string("podcastName"),
    string("episodeName"),
    string("audiobookName"),
    string("chapterName"),
    string("authorName"),
    Column("msPlayed", "integer", required="unless account_time", non_negative=True),
)
EXTENDED = (
    Column("ts", "time", required="yes", time_format="%Y-%m-%dT%H:%M:%SZ"),
    string("username", personal=True),
    string("platform"),
    Column("ms_played", "integer", required="yes", non_negative=True),
    string("conn_country"),
    string("ip_addr_decrypted", personal=True),
    string("ip_addr", personal=True),
    string("user_agent_decrypted", personal=True),
    string("master_metadata_track_name"),
    string("master_metadata_album_artist_name"),
    string("master_metadata_album_album_name"),
    string("spotify_track_uri"),
    string("episode_name"),
    string("episode_show_name"),
    string("spotify_episode_uri"),
    string("audiobook_title"),
    string("audiobook_uri"),
    string("audiobook_chapter_uri"),
    string("audiobook_chapter_title"),
    string("reason_start"),
    string("reason_end"),
    Column("shuffle", "boolean"),
    Column("skipped", "boolean"),
    Column("offline", "boolean"),
    Column("offline_timestamp", "integer"),
    Column("incognito_mode", "boolean"),
)
COLUMNS = {"account": ACCOUNT, "extended": EXTENDED}
TABLES = {"account": "account_history", "extended": "extended_history"}


def key_names(kind: str) -> tuple[str, ...]:
    return tuple(c.name for c in COLUMNS[kind])


def history_table_ddl(kind: str) -> str:
    columns = ", ".join(f'"{c.name}" {c.sql_type}' for c in COLUMNS[kind])
    return (
        f"create table if not exists raw.{TABLES[kind]} (export_id integer not null, "
        f"file_id integer not null, row_number bigint not null, {columns}, extra json);"
    )


DDL = f"""
create schema if not exists raw;
create table if not exists raw.exports (
    export_id integer primary key, listener varchar not null, ingested_at timestamp not null,
    inputs varchar[] not null, keep_personal_data boolean not null, file_count integer not null,
    row_count bigint not null
);
create table if not exists raw.files (
    file_id integer primary key, export_id integer not null, path varchar not null,
    sha256 varchar not null, bytes bigint not null, source_kind varchar not null,
    format varchar not null, row_count bigint not null, first_ended_at timestamp,
    last_ended_at timestamp, unknown_keys varchar[] not null, duplicate_of_file_id integer
);
{history_table_ddl("account")}
{history_table_ddl("extended")}
"""
