"""Load Spotify listening-history exports into DuckDB, losslessly, with a load manifest.

    python ingest.py [--db PATH] [--listener NAME] [--keep-personal-data] [--quiet] [--debug]
                     [--max-unzipped-bytes N] [--wait SECONDS] EXPORT...

EXPORT is a zip as Spotify sent it, an unzipped folder, or loose JSON files: each zip or folder
is one export; the loose files given in one call together form one export. Give several exports
oldest download first. History files are found by name anywhere inside; their format is then
confirmed from their keys. Every field of every row lands in `raw.account_history` or
`raw.extended_history` with its export, file and row number; `raw.exports` and `raw.files`
record what was loaded. A file already loaded for the listener is not loaded twice.

Safety: the run writes a copy of the database and replaces the original only when everything
succeeded, so an error or a kill at any moment leaves the database as it was. Zip members are
streamed to files this program names (never to their own paths) under caps against zip bombs.
IP addresses, user agents and the username are dropped unless --keep-personal-data.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import os
import re
import shutil
import sys
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import duckdb

# ---- the formats -----------------------------------------------------------------------------

ACCOUNT_NAME = re.compile(r"StreamingHistory(?:_(music|podcast|audiobook|video))?(?:_?\d+)?\.json")
EXTENDED_NAME = re.compile(
    r"(?:endsong(?:_\d+)?|endvideo|Streaming_History_(?:Audio|Video)_.*)\.json"
)

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
AUDIOBOOK_KEYS = {
    "audiobook_title",
    "audiobook_uri",
    "audiobook_chapter_uri",
    "audiobook_chapter_title",
}

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

CHUNK = 1 << 20
DEFAULT_MAX_UNZIPPED = 4 << 30
MAX_RATIO = 100  # uncompressed : compressed, for members over RATIO_FLOOR bytes
RATIO_FLOOR = 10 << 20


class IngestError(Exception):
    """A problem with the input or the database, said in one line for the person."""


@dataclass
class HistoryFile:
    path: str  # inside the export
    local: Path  # where DuckDB reads it
    sha256: str
    bytes: int
    source_kind: str = ""
    format: str = ""
    keys: set[str] = field(default_factory=set)
    unknown_keys: list[str] = field(default_factory=list)
    row_count: int = 0


@dataclass
class Export:
    inputs: list[str]  # base names of what was given
    files: list[HistoryFile] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


# ---- find files ------------------------------------------------------------------------------


def history_kind(name: str) -> str | None:
    base = PurePosixPath(name).name
    if ACCOUNT_NAME.fullmatch(base):
        return "account"
    if EXTENDED_NAME.fullmatch(base):
        return "extended"
    return None


class Reader:
    """Copies or hashes input files into a work folder, enforcing the archive caps."""

    def __init__(self, work: Path, max_unzipped: int) -> None:
        self.work = work
        self.max_unzipped = max_unzipped
        self.unzipped = 0
        self.count = 0

    def from_zip(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str) -> HistoryFile:
        self.count += 1
        # our own name, never the member's path: no zip-slip whatever the member is called
        local = self.work / f"member-{self.count}.json"
        digest, size = hashlib.sha256(), 0
        with archive.open(info) as src, local.open("wb") as dst:
            while chunk := src.read(CHUNK):
                size += len(chunk)
                self.unzipped += len(chunk)
                if self.unzipped > self.max_unzipped:
                    raise IngestError(
                        f"{label}: more than {self.max_unzipped:,} bytes once unzipped; refusing "
                        "(a zip bomb?). Raise the cap with --max-unzipped-bytes if it is real."
                    )
                if size > RATIO_FLOOR and size > MAX_RATIO * max(info.compress_size, 1):
                    raise IngestError(
                        f"{label}: {info.filename} unpacks more than {MAX_RATIO}× its size; "
                        "refusing (a zip bomb?)"
                    )
                digest.update(chunk)
                dst.write(chunk)
        return HistoryFile(info.filename, local, digest.hexdigest(), size)

    @staticmethod
    def from_disk(path: Path, label: str) -> HistoryFile:
        digest, size = hashlib.sha256(), 0
        with path.open("rb") as src:
            while chunk := src.read(CHUNK):
                size += len(chunk)
                digest.update(chunk)
        return HistoryFile(label, path, digest.hexdigest(), size)


def find_exports(paths: list[Path], reader: Reader) -> list[Export]:
    """Each zip or folder is an export; loose JSON files together are one more."""
    exports: list[Export] = []
    loose = Export(inputs=[])
    for path in paths:
        if not path.exists():
            raise IngestError(f"{path.name}: no such file or folder")
        if path.is_dir():
            exports.append(from_folder(path, reader))
        elif zipfile.is_zipfile(path):
            exports.append(from_zip(path, reader))
        elif path.suffix.lower() == ".json":
            loose.inputs.append(path.name)
            if history_kind(path.name) is None:
                raise IngestError(f"{path.name}: not a Spotify streaming-history file name")
            loose.files.append(reader.from_disk(path, path.name))
        else:
            raise IngestError(f"{path.name}: not a zip, a folder or a .json file")
    if loose.files:
        exports.append(loose)
    for export in exports:
        if not export.files:
            raise IngestError(
                f"{', '.join(export.inputs)}: no streaming-history files inside (looked for "
                "StreamingHistory*.json, endsong*.json, Streaming_History_*.json)"
            )
    return exports


def from_folder(folder: Path, reader: Reader) -> Export:
    export = Export(inputs=[folder.name])
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            path = Path(root) / name
            label = path.relative_to(folder).as_posix()
            if history_kind(name) and path.is_file():
                export.files.append(reader.from_disk(path, label))
            else:
                export.ignored.append(label)
    return export


def from_zip(path: Path, reader: Reader) -> Export:
    export = Export(inputs=[path.name])
    try:
        with zipfile.ZipFile(path) as archive:
            for info in sorted(archive.infolist(), key=lambda i: i.filename):
                if info.is_dir():
                    continue
                if history_kind(info.filename):
                    export.files.append(reader.from_zip(archive, info, path.name))
                else:
                    export.ignored.append(info.filename)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise IngestError(f"{path.name}: unreadable zip ({exc})") from exc
    return export


# ---- detect the format ---------------------------------------------------------------------


def check_shape(file: HistoryFile) -> None:
    """A JSON array, whole: read_json accepts an array cut off after a comma, so check the end."""
    if file.bytes == 0:
        raise IngestError(f"{file.path}: empty file")
    with file.local.open("rb") as f:
        head = f.read(64).lstrip(b"\xef\xbb\xbf").lstrip()
        f.seek(max(0, file.bytes - 64))
        tail = f.read().rstrip()
    if not head.startswith(b"["):
        raise IngestError(f"{file.path}: not a JSON array of rows (starts with {head[:1]!r})")
    if not tail.endswith(b"]"):
        raise IngestError(f"{file.path}: truncated (the JSON array does not end with ']')")


def duck_message(exc: Exception) -> str:
    """DuckDB's error without its file path (a temporary name) and hints."""
    text = str(exc).split("\n")[0]
    text = re.sub(r' in file "[^"]*"', "", text)
    return re.sub(r"^[A-Za-z ]+Error: ", "", text)


def scan_keys(con: duckdb.DuckDBPyConnection, files: list[HistoryFile]) -> None:
    """The exact set of keys of every row, and that every element is an object: one parallel
    pass over all files; on a failure, a pass per file names the file at fault."""
    if not files:
        return
    try:
        rows = con.execute(
            "select file_index, json_type(json) as t, json_keys(json) as k, count(*) "
            "from read_json_objects(?, format = 'array') group by all",
            [[str(f.local) for f in files]],
        ).fetchall()
    except duckdb.Error:
        for file in files:
            scan_one_file(con, file)
        raise
    for index, kind, keys, n in rows:
        file = files[index]
        if kind != "OBJECT":
            raise IngestError(f"{file.path}: not a JSON array of objects (found {kind.lower()})")
        file.keys.update(keys)
        file.row_count += n


def scan_one_file(con: duckdb.DuckDBPyConnection, file: HistoryFile) -> None:
    try:
        con.execute(
            "select count(*) from read_json_objects(?, format = 'array')", [str(file.local)]
        )
    except duckdb.Error as exc:
        raise IngestError(f"{file.path}: not valid JSON: {duck_message(exc)}") from exc


def detect_format(file: HistoryFile) -> None:
    kind = history_kind(file.path)
    base = PurePosixPath(file.path).name
    keys = file.keys
    known = set(ACCOUNT_COLUMNS if kind == "account" else EXTENDED_COLUMNS)
    if kind == "account":
        split = ACCOUNT_NAME.fullmatch(base).group(1)
        if "time" in keys and "msPlayed" not in keys:
            fmt = "account_time"
        elif split:
            fmt = f"account_{split}"
        else:
            fmt = "account"
        if keys and not keys & {"endTime", "time"}:
            raise IngestError(f"{file.path}: no endTime in its rows: not a known history format")
    else:
        if keys and "ts" not in keys:
            raise IngestError(f"{file.path}: no ts in its rows: not a known history format")
        if "username" in keys or "user_agent_decrypted" in keys or "ip_addr_decrypted" in keys:
            fmt = "extended_v1"
        elif keys & AUDIOBOOK_KEYS:
            fmt = "extended_v3"
        else:
            fmt = "extended_v2"
    file.source_kind = kind
    file.format = fmt
    file.unknown_keys = sorted(keys - known)


# ---- load with DuckDB --------------------------------------------------------------------------


BATCH_FILES = 16  # files parsed in one parallel read_json: bounds memory, keeps both cores busy


def load_files(
    con: duckdb.DuckDBPyConnection,
    files: list[HistoryFile],
    file_ids: list[int],
    export_id: int,
    keep_personal: bool,
) -> list[tuple]:
    """Insert the rows of files of one source kind, typed, with lineage, checking every value
    on the way in (the first bad value stops the load with its file, row and field).
    Returns each file's (first, last) stream end and its rows per content type.

    Row numbers: DuckDB reads the files in parallel and, preserving insertion order, appends
    them in list order, rows in file order, so one insert gets contiguous rowids. The rows go
    straight from the reader into the table and are numbered afterwards from their rowids
    (number_rows). Numbering them in the read (row_number() over ()) makes the parallel read
    wait for one ordered window, which costs about as much as the read itself: it is used only
    where rows must be matched by number (files with unknown keys), and to name a bad value."""
    kind = files[0].source_kind
    columns = ACCOUNT_COLUMNS if kind == "account" else EXTENDED_COLUMNS
    table = "account_history" if kind == "account" else "extended_history"
    select = ", ".join(Checks(files).column(name, keep_personal) for name in columns)
    with_unknown = [i for i, f in enumerate(files) if f.unknown_keys]
    extra, join = "null::json", ""
    if with_unknown:
        stage_unknown_fields(con, files, with_unknown, columns)
        extra = "nullif(u.extra, '{}'::json)"
        join = (
            " left join unknown_fields as u "
            "on u.unknown_file_index = s.file_index and u.unknown_row_number = s.row_number"
        )
    numbered = bool(with_unknown)
    try:
        con.execute(
            f"insert into raw.{table} select {export_id}, s.file_id, s.row_number, {select}, "
            f"{extra} from ({read_rows(files, file_ids, columns, numbered)}) as s{join}",
            {"files": [str(f.local) for f in files]},
        )
    except duckdb.InvalidInputException as exc:
        if Checks.MARKER not in str(exc):
            raise
        raise first_bad_value(files, file_ids, columns, select) from exc
    if not numbered:
        number_rows(con, table, files, file_ids)
    check_row_numbers(con, table, files, file_ids)
    return file_facts(con, table, files, file_ids)


def read_rows(
    files: list[HistoryFile], file_ids: list[int], columns: tuple[str, ...], numbered: bool
) -> str:
    """The files' rows with file_index, file_id and every column as JSON (so that Checks can
    see its JSON type); row_number is each row's position in its file, or 0 if not numbered."""
    spec = "{" + ", ".join(f"'{k}': 'JSON'" for k in columns) + "}"
    row_number = "0"
    if numbered:  # a global row number minus the rows of earlier files
        offsets = list_literal(file_starts(files, 0))
        row_number = f"row_number() over () - {offsets}[file_index::bigint + 1]"
    return (
        f"select file_index, {row_number} as row_number, "
        f"{list_literal(file_ids)}[file_index::bigint + 1]::integer as file_id, * "
        f"from read_json($files, format = 'array', columns = {spec})"
    )


def number_rows(
    con: duckdb.DuckDBPyConnection, table: str, files: list[HistoryFile], file_ids: list[int]
) -> None:
    """Set each row's position in its file from its rowid: the files' rows were appended by
    one insert, contiguous and in order (check_row_numbers checks the result)."""
    ids = ", ".join(map(str, file_ids))
    first = con.execute(f"select min(rowid) from raw.{table} where file_id in ({ids})").fetchone()[
        0
    ]
    if first is None:
        return
    starts = list_literal(file_starts(files, first))  # rowid of each file's first row
    con.execute(
        f"update raw.{table} set row_number = rowid + 1 - "
        f"{starts}[list_position([{ids}], file_id)] where file_id in ({ids})"
    )


def file_starts(files: list[HistoryFile], first: int) -> list[int]:
    """Where each file's rows begin when the files' rows follow one another from `first`."""
    starts = [first]
    for file in files[:-1]:
        starts.append(starts[-1] + file.row_count)
    return starts


def first_bad_value(
    files: list[HistoryFile], file_ids: list[int], columns: tuple[str, ...], select: str
) -> IngestError:
    """A check failed during the parallel insert (which cannot name the row, or not the first
    one): read the files again, numbered and on one thread, so the error names the first bad
    value in file order. Runs in a scratch database; the load itself is already failed."""
    scratch = duckdb.connect()
    try:
        scratch.execute("set threads = 1")
        scratch.execute(
            f"create temp table checked as select {select} "
            f"from ({read_rows(files, file_ids, columns, numbered=True)}) as s",
            {"files": [str(f.local) for f in files]},
        )
    except duckdb.InvalidInputException as exc:
        marker = str(exc).partition(Checks.MARKER)[2]
        if marker:
            return IngestError(marker.split("\n")[0].strip())
        raise
    finally:
        scratch.close()
    return IngestError("internal error: a value failed its check only once; nothing was written")


def sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class Checks:
    """SQL that types one raw column and stops the load, naming file, row and field, on the
    first value that does not fit its format (DuckDB's error() inside the insert)."""

    MARKER = "bad value: "

    def __init__(self, files: list[HistoryFile]) -> None:
        self.kind = files[0].source_kind
        self.paths = (
            "([" + ", ".join(sql_text(f.path) for f in files) + "])[file_index::bigint + 1]"
        )
        time_variant = [str(i) for i, f in enumerate(files) if f.format == "account_time"]
        self.no_duration = f"file_index in ({', '.join(time_variant)})" if time_variant else "false"

    def fail(self, name: str, problem: str, show_value: bool = True) -> str:
        value = f"coalesce(' (' || {sql_text(chr(39))} || left(\"{name}\"::varchar, 40) || {sql_text(chr(39))} || ')', '')"
        return (
            f"error({sql_text(self.MARKER)} || {self.paths} || ': row ' || row_number || "
            + sql_text(f': field "{name}": {problem}')
            + (f" || {value}" if show_value else "")
            + ")"
        )

    def column(self, name: str, keep_personal: bool) -> str:
        """Every column is read as JSON, so its JSON type can be checked before it is typed:
        read_json with typed columns would silently turn "12" or 1.5 into 12 or 2."""
        q = f'"{name}"'
        absent = f"coalesce(json_type({q}), 'NULL') = 'NULL'"
        text = f"({q} ->> '$')"
        if name in TIME_FORMATS:
            fmt = TIME_FORMATS[name]
            if self.kind == "extended":
                missing = absent
            else:
                other = '"time"' if name == "endTime" else '"endTime"'
                missing = f"{absent} and coalesce(json_type({other}), 'NULL') = 'NULL'"
            problem = "not a time in the format " + fmt.replace("%", "")
            return (
                f"case when {missing} then {self.fail(name, 'missing', False)} "
                f"when {absent} then null "
                f"when json_type({q}) != 'VARCHAR' then {self.fail(name, problem)} "
                f"else coalesce(try_strptime({text}, '{fmt}'), {self.fail(name, problem)}) "
                f"end as {q}"
            )
        if name in INTEGERS:
            required = name in ("ms_played", "msPlayed")
            missing = (
                f"when {absent} and not ({self.no_duration}) then {self.fail(name, 'missing', False)} "
                if required
                else ""
            )
            negative = (
                f"when {q}::varchar like '-%' then {self.fail(name, 'negative')} "
                if required
                else ""
            )
            return (
                f"case {missing}when {absent} then null "
                f"when json_type({q}) not in ('UBIGINT', 'BIGINT') then {self.fail(name, 'not an integer')} "
                f"{negative}else {q}::varchar::bigint end as {q}"
            )
        if name in BOOLEANS:
            return (
                f"case when {absent} then null "
                f"when json_type({q}) != 'BOOLEAN' then {self.fail(name, 'not true, false or null')} "
                f"else {q}::varchar::boolean end as {q}"
            )
        if name in PERSONAL and not keep_personal:
            return f"null::varchar as {q}"
        return (
            f"case when {absent} then null "
            f"when json_type({q}) != 'VARCHAR' then {self.fail(name, 'not a string or null')} "
            f"else {text} end as {q}"
        )


def list_literal(values: list[int]) -> str:
    return "([" + ", ".join(str(v) for v in values) + "]::bigint[])"


def check_row_numbers(
    con: duckdb.DuckDBPyConnection, table: str, files: list[HistoryFile], file_ids: list[int]
) -> None:
    got = dict(
        con.execute(
            f"select file_id, count(*) from raw.{table} where file_id in ({', '.join(map(str, file_ids))}) "
            "group by all having min(row_number) = 1 and max(row_number) = count(*)"
        ).fetchall()
    )
    want = {i: f.row_count for i, f in zip(file_ids, files, strict=True) if f.row_count}
    if got != want:
        raise IngestError("internal error: rows were not read in file order; nothing was written")


def stage_unknown_fields(
    con: duckdb.DuckDBPyConnection,
    files: list[HistoryFile],
    indexes: list[int],
    columns: tuple[str, ...],
) -> None:
    """Keys the project does not know, per row, as a JSON object: kept, never dropped."""
    known = ", ".join(f"'{k}'" for k in columns)
    con.execute(
        "create or replace temp table unknown_fields "
        "(unknown_file_index bigint, unknown_row_number bigint, extra json)"
    )
    for index in indexes:
        con.execute(
            f"insert into unknown_fields select {index}, row_number() over (), "
            "to_json(map_from_entries(list_filter("
            "map_entries(json_transform(json, '\"MAP(VARCHAR, JSON)\"')), "
            f"e -> not list_contains([{known}], e.key)))) "
            "from read_json_objects(?, format = 'array')",
            [str(files[index].local)],
        )


def file_facts(
    con: duckdb.DuckDBPyConnection, table: str, files: list[HistoryFile], file_ids: list[int]
) -> list[tuple]:
    """Per file: earliest and latest stream end, and rows per content type (§3 order)."""
    ids = ", ".join(map(str, file_ids))
    if table == "extended_history":
        ended = "ts"
        content = """case
            when coalesce(audiobook_title, audiobook_uri, audiobook_chapter_uri,
                          audiobook_chapter_title, '') != '' then 'audiobook'
            when coalesce(spotify_episode_uri, episode_name, '') != '' then 'episode'
            when coalesce(spotify_track_uri, master_metadata_track_name, '') != '' then 'track'
            else 'unattributed' end"""
    else:
        ended = 'coalesce("endTime", "time")'
        content = "null"
    facts = {i: [None, None, Counter()] for i in file_ids}
    for file_id, first, last in con.execute(
        f"select file_id, min({ended}), max({ended}) from raw.{table} where file_id in ({ids}) "
        "group by all"
    ).fetchall():
        facts[file_id][:2] = [first, last]
    formats = dict(zip(file_ids, (f.format for f in files), strict=True))
    for file_id, what, n in con.execute(
        f"select file_id, {content}, count(*) from raw.{table} where file_id in ({ids}) group by all"
    ).fetchall():
        facts[file_id][2][what or formats[file_id]] += n
    return [tuple(facts[i]) for i in file_ids]


# ---- record the load -------------------------------------------------------------------------


def ingest(args: argparse.Namespace, progress: Progress) -> list[dict]:
    db = Path(args.db)
    tmp_db = db.with_name(db.name + ".ingest-tmp")
    for stale in (tmp_db, tmp_db.with_name(tmp_db.name + ".wal")):
        stale.unlink(missing_ok=True)
    summaries: list[dict] = []
    with (
        tempfile.TemporaryDirectory(prefix="spotify-ingest-") as work,
        database_lock(db, args.wait),
    ):
        reader = Reader(Path(work), args.max_unzipped_bytes)
        exports = find_exports([Path(p) for p in args.exports], reader)
        try:
            prepare_copy(db, tmp_db)  # inside: a copy cut short (disk full) is removed too
            con = duckdb.connect(str(tmp_db))
            try:
                con.execute(DDL)
                con.execute("begin")
                for export in exports:
                    summaries.append(load_export(con, export, args, progress))
                con.execute("commit")
                con.execute("checkpoint")
            finally:
                con.close()
            if any(s["loaded"] for s in summaries):
                durable_replace(tmp_db, db)
        finally:
            tmp_db.unlink(missing_ok=True)
            tmp_db.with_name(tmp_db.name + ".wal").unlink(missing_ok=True)
    return summaries


@contextmanager
def database_lock(db: Path, wait_seconds: float) -> Iterator[None]:
    """One ingest or build at a time per database (readers are never blocked): an exclusive
    lock on `<db>.lock`, waited for at most `wait_seconds`."""
    lock_path = db.with_name(db.name + ".lock")
    with lock_path.open("a") as lock:
        deadline = time.monotonic() + wait_seconds
        said = False
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IngestError(
                        f"{db.name}: another ingest or build is still running after "
                        f"{wait_seconds:g} s; try again when it is done"
                    ) from None
                if not said:
                    print(f"waiting for another run on {db.name} to finish…", file=sys.stderr)
                    said = True
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def checkpoint_leftover_wal(db: Path) -> None:
    """A writer that died leaves changes in `<db>.wal`: let DuckDB replay them into the file,
    so a copy of the file alone is complete."""
    if Path(str(db) + ".wal").exists():
        try:
            duckdb.connect(str(db)).close()
        except duckdb.IOException as exc:
            raise IngestError(
                f"{db.name}: in use by another program ({duck_message(exc)})"
            ) from exc


def durable_replace(copy: Path, db: Path) -> None:
    """os.replace, with the new file's data and the rename itself flushed to the disk: after a
    power cut the database is the old file or the new one, whole."""
    with copy.open("rb+") as f:
        os.fsync(f.fileno())
    os.replace(copy, db)
    folder = os.open(db.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def prepare_copy(db: Path, tmp_db: Path) -> None:
    """Start from a copy of the database, so the original stays untouched until the swap."""
    if not db.exists():
        return
    checkpoint_leftover_wal(db)
    try:
        # fails while another process writes the file; readers do not block it
        duckdb.connect(str(db), read_only=True).close()
    except duckdb.IOException as exc:
        raise IngestError(
            f"{db.name}: locked by another program writing to it; try again when it is done"
        ) from exc
    shutil.copyfile(db, tmp_db)


def load_export(
    con: duckdb.DuckDBPyConnection, export: Export, args: argparse.Namespace, progress: Progress
) -> dict:
    export_id = next_id(con, "exports", "export_id")
    first_file_id = next_id(con, "files", "file_id")
    loaded = con.execute(
        "select f.sha256, f.file_id, f.source_kind, f.format, f.row_count, f.first_ended_at, "
        "f.last_ended_at, f.unknown_keys from raw.files as f join raw.exports as e using (export_id) "
        "where e.listener = ? and f.duplicate_of_file_id is null",
        [args.listener],
    ).fetchall()
    seen = {row[0]: row[1:] for row in loaded}
    for file in export.files:
        check_shape(file)
    # a file whose content is already loaded (earlier, or earlier in this export) is not again
    new: dict[str, tuple[int, HistoryFile]] = {}
    for offset, file in enumerate(export.files):
        if file.sha256 not in seen and file.sha256 not in new:
            new[file.sha256] = (first_file_id + offset, file)
    scan_keys(con, [f for _, f in new.values()])
    for _, file in new.values():
        detect_format(file)
    counts: Counter[str] = Counter()
    for kind in ("account", "extended"):
        batch = [(i, f) for i, f in new.values() if f.source_kind == kind]
        for start in range(0, len(batch), BATCH_FILES):
            chunk = batch[start : start + BATCH_FILES]
            for _, file in chunk:
                progress.file(file.path)
            facts = load_files(
                con,
                [f for _, f in chunk],
                [i for i, _ in chunk],
                export_id,
                args.keep_personal_data,
            )
            for (file_id, file), (first, last, content) in zip(chunk, facts, strict=True):
                seen[file.sha256] = (file_id, file.source_kind, file.format, file.row_count,
                                     first, last, file.unknown_keys)  # fmt: skip
                counts.update(content)
                progress.rows(file.row_count)
    manifest = []
    for offset, file in enumerate(export.files):
        file_id = first_file_id + offset
        original, kind, fmt, n, first, last, unknown = seen[file.sha256]
        manifest.append((file_id, export_id, file.path, file.sha256, file.bytes, kind, fmt, n,
                         first, last, unknown, None if original == file_id else original))  # fmt: skip
    rows_added = sum(f.row_count for _, f in new.values())
    summary = {
        "inputs": export.inputs,
        "files": len(export.files),
        "skipped": len(export.files) - len(new),
        "ignored": len(export.ignored),
        "rows": rows_added,
        "counts": counts,
        "unknown_keys": sorted({k for _, f in new.values() for k in f.unknown_keys}),
        "loaded": bool(new),
        "export_id": export_id,
    }
    if not new:
        return summary
    con.execute(
        "insert into raw.exports values (?, ?, ?, ?, ?, ?, ?)",
        [export_id, args.listener, datetime.now(UTC).replace(tzinfo=None), export.inputs,
         args.keep_personal_data, len(export.files), rows_added],
    )  # fmt: skip
    con.executemany("insert into raw.files values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", manifest)
    summary["span"] = con.execute(
        "select min(first_ended_at), max(last_ended_at) from raw.files where export_id = ?",
        [export_id],
    ).fetchone()
    return summary


def next_id(con: duckdb.DuckDBPyConnection, table: str, column: str) -> int:
    return con.execute(f"select coalesce(max({column}), 0) + 1 from raw.{table}").fetchone()[0]


# ---- talk to the person ------------------------------------------------------------------------


class Progress:
    """Files and rows on stderr while loading, only on a terminal and unless --quiet."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.total_rows = 0
        self.done = 0

    def file(self, path: str) -> None:
        self.done += 1
        if self.enabled:
            name = path if len(path) < 60 else "…" + path[-59:]
            print(
                f"\r\033[K[{self.done} files, {self.total_rows:,} rows] {name}",
                end="",
                file=sys.stderr,
            )

    def rows(self, n: int) -> None:
        self.total_rows += n

    def finish(self) -> None:
        if self.enabled:
            print("\r\033[K", end="", file=sys.stderr)


def describe(summary: dict) -> str:
    name = ", ".join(summary["inputs"])
    if not summary["loaded"]:
        return f"{name}: already loaded, nothing changed ({summary['files']} files)"
    first, last = summary["span"]
    counts = ", ".join(f"{n:,} {kind}" for kind, n in sorted(summary["counts"].items()))
    parts = [
        f"{name}: export {summary['export_id']}: {summary['files'] - summary['skipped']} files loaded"
        + (f", {summary['skipped']} already loaded" if summary["skipped"] else ""),
        f"{summary['rows']:,} rows ({counts or 'none'})",
        f"{first:%Y-%m-%d} → {last:%Y-%m-%d}" if first else "no streams",
    ]
    if summary["unknown_keys"]:
        parts.append("unknown keys kept in `extra`: " + ", ".join(summary["unknown_keys"]))
    if summary["ignored"]:
        parts.append(f"{summary['ignored']} other files ignored")
    return "; ".join(parts)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="ingest.py",
        description="Load Spotify streaming-history exports (zip, folder or JSON files) into DuckDB.",
    )
    parser.add_argument("exports", nargs="+", metavar="EXPORT", help="zip, folder or JSON files")
    parser.add_argument(
        "--db",
        default=os.environ.get("SPOTIFY_DB", "spotify.duckdb"),
        help="database file (default: $SPOTIFY_DB, else spotify.duckdb)",
    )
    parser.add_argument("--listener", default="me", help="whose history this is (default: me)")
    parser.add_argument(
        "--keep-personal-data",
        action="store_true",
        help="also store IP addresses, user agents and the username (dropped by default)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress and no summary")
    parser.add_argument("--debug", action="store_true", help="show a traceback on errors")
    parser.add_argument(
        "--wait",
        type=float,
        default=300,
        help="seconds to wait for another ingest or build on the database (default 300)",
    )
    parser.add_argument(
        "--max-unzipped-bytes",
        type=int,
        default=DEFAULT_MAX_UNZIPPED,
        help=f"refuse zips that unpack to more than this (default {DEFAULT_MAX_UNZIPPED:,})",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    progress = Progress(enabled=not args.quiet and sys.stderr.isatty())
    try:
        summaries = ingest(args, progress)
    except IngestError as exc:
        progress.finish()
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (duckdb.Error, OSError) as exc:
        progress.finish()
        if args.debug:
            raise
        print(f"error: {type(exc).__name__}: {duck_message(exc)}", file=sys.stderr)
        return 2
    progress.finish()
    if not args.quiet:
        for summary in summaries:
            print(describe(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
