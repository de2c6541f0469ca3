"""The raw tables: every key of each kind of history file, as a column, and their DDL."""

from __future__ import annotations

# The keys of each kind of file, in Spotify's order: the raw tables' columns. Every one is read
# as JSON and checked for its JSON type before it is typed (see Checks).
ACCOUNT_COLUMNS = (
    "endTime",
    "time",
    "artistName",
    "trackName",
    "podcastName",
    "episodeName",
    "audiobookName",
    "chapterName",
    "authorName",
    "msPlayed",
)
EXTENDED_COLUMNS = (
    "ts",
    "username",
    "platform",
    "ms_played",
    "conn_country",
    "ip_addr_decrypted",
    "ip_addr",
    "user_agent_decrypted",
    "master_metadata_track_name",
    "master_metadata_album_artist_name",
    "master_metadata_album_album_name",
    "spotify_track_uri",
    "episode_name",
    "episode_show_name",
    "spotify_episode_uri",
    "audiobook_title",
    "audiobook_uri",
    "audiobook_chapter_uri",
    "audiobook_chapter_title",
    "reason_start",
    "reason_end",
    "shuffle",
    "skipped",
    "offline",
    "offline_timestamp",
    "incognito_mode",
)
PERSONAL = ("username", "ip_addr_decrypted", "ip_addr", "user_agent_decrypted")
TIME_FORMATS = {
    "endTime": "%Y-%m-%d %H:%M",
    "time": "%Y-%m-%d %H:%M:%S",
    "ts": "%Y-%m-%dT%H:%M:%SZ",
}
INTEGERS = ("msPlayed", "ms_played", "offline_timestamp")
BOOLEANS = ("shuffle", "skipped", "offline", "incognito_mode")

DDL = """
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
create table if not exists raw.account_history (
    export_id integer not null, file_id integer not null, row_number bigint not null,
    "endTime" timestamp, "time" timestamp, "artistName" varchar, "trackName" varchar,
    "podcastName" varchar, "episodeName" varchar, "audiobookName" varchar, "chapterName" varchar,
    "authorName" varchar, "msPlayed" bigint, extra json
);
create table if not exists raw.extended_history (
    export_id integer not null, file_id integer not null, row_number bigint not null,
    ts timestamp, username varchar, platform varchar, ms_played bigint, conn_country varchar,
    ip_addr_decrypted varchar, ip_addr varchar, user_agent_decrypted varchar,
    master_metadata_track_name varchar, master_metadata_album_artist_name varchar,
    master_metadata_album_album_name varchar, spotify_track_uri varchar, episode_name varchar,
    episode_show_name varchar, spotify_episode_uri varchar, audiobook_title varchar,
    audiobook_uri varchar, audiobook_chapter_uri varchar, audiobook_chapter_title varchar,
    reason_start varchar, reason_end varchar, shuffle boolean, skipped boolean, offline boolean,
    offline_timestamp bigint, incognito_mode boolean, extra json
);
"""
