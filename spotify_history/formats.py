"""What kind of history file this is: a whole JSON array of objects, and which format of its
kind, told from the file's name and the exact set of keys of its rows."""

from __future__ import annotations

from pathlib import PurePosixPath

import duckdb

from spotify_history.archives import ACCOUNT_NAME, HistoryFile, history_kind
from spotify_history.columns import key_names
from spotify_history.errors import UserError, duck_message

AUDIOBOOK_KEYS = {
    "audiobook_title",
    "audiobook_uri",
    "audiobook_chapter_uri",
    "audiobook_chapter_title",
}


def check_shape(file: HistoryFile) -> None:
    """A JSON array, whole: read_json accepts an array cut off after a comma, so check the end."""
    if file.bytes == 0:
        raise UserError(f"{file.path}: empty file")
    with file.local.open("rb") as f:
        head = f.read(64).lstrip(b"\xef\xbb\xbf").lstrip()
        f.seek(max(0, file.bytes - 64))
        tail = f.read().rstrip()
    if not head.startswith(b"["):
        raise UserError(f"{file.path}: not a JSON array of rows (starts with {head[:1]!r})")
    if not tail.endswith(b"]"):
        raise UserError(f"{file.path}: truncated (the JSON array does not end with ']')")


# Per file: each distinct set of keys of its rows, the JSON type of the rows, and how many. An
# element whose text starts with "{" is an object (the reader has checked that it is valid JSON,
# and trims it): json_type parses the others only. Grouping on the key list's text is cheaper
# than grouping on the list.
KEY_SETS = (
    "select file_index, t, any_value(k), count(*) from ("
    "select file_index, json_keys(json) as k, case when starts_with(json, '{') "
    "then 'OBJECT' else json_type(json) end as t "
    "from read_json_objects(?, format = 'array')) group by file_index, t, k::varchar"
)


def scan_keys(con: duckdb.DuckDBPyConnection, files: list[HistoryFile]) -> None:
    """The exact set of keys of every row, and that every element is an object: one parallel
    pass over all files; on a failure, a pass per file names the file at fault."""
    if not files:
        return
    try:
        rows = con.execute(KEY_SETS, [[str(f.local) for f in files]]).fetchall()
    except duckdb.Error:
        for file in files:
            scan_one_file(con, file)
        raise
    for index, kind, keys, n in rows:
        file = files[index]
        if kind != "OBJECT":
            raise UserError(f"{file.path}: not a JSON array of objects (found {kind.lower()})")
        file.keys.update(keys)
        file.row_count += n


def scan_one_file(con: duckdb.DuckDBPyConnection, file: HistoryFile) -> None:
    try:
        con.execute(
            "select count(*) from read_json_objects(?, format = 'array')", [str(file.local)]
        )
    except duckdb.Error as exc:
        raise UserError(f"{file.path}: not valid JSON: {duck_message(exc)}") from exc


def detect_format(file: HistoryFile) -> None:
    kind = history_kind(file.path)
    base = PurePosixPath(file.path).name
    keys = file.keys
    known = set(key_names(kind))
    if kind == "account":
        split = ACCOUNT_NAME.fullmatch(base).group(1)
        if "time" in keys and "msPlayed" not in keys:
            fmt = "account_time"
        elif split:
            fmt = f"account_{split}"
        else:
            fmt = "account"
        if keys and not keys & {"endTime", "time"}:
            raise UserError(f"{file.path}: no endTime in its rows: not a known history format")
    else:
        if keys and "ts" not in keys:
            raise UserError(f"{file.path}: no ts in its rows: not a known history format")
        if "username" in keys or "user_agent_decrypted" in keys or "ip_addr_decrypted" in keys:
            fmt = "extended_v1"
        elif keys & AUDIOBOOK_KEYS:
            fmt = "extended_v3"
        else:
            fmt = "extended_v2"
    file.source_kind = kind
    file.format = fmt
    file.unknown_keys = sorted(keys - known)
