"""Load the rows of history files into the raw tables, typed and checked, with lineage."""

from __future__ import annotations

import duckdb

from spotify_history.archives import HistoryFile
from spotify_history.checks import MARKER, Checks, list_literal
from spotify_history.columns import COLUMNS, TABLES, key_names
from spotify_history.errors import UserError

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
    Returns each file's (first, last) stream end.

    Row numbers: DuckDB reads the files in parallel and, preserving insertion order, appends
    them in list order, rows in file order, so one insert gets contiguous rowids. The rows go
    straight from the reader into the table and are numbered afterwards from their rowids
    (number_rows). Numbering them in the read (row_number() over ()) makes the parallel read
    wait for one ordered window, which costs about as much as the read itself: it is used only
    where rows must be matched by number (files with unknown keys), and to name a bad value."""
    kind = files[0].source_kind
    columns = key_names(kind)
    # personal fields that are dropped are not read at all (their select is a typed null)
    read = tuple(c.name for c in COLUMNS[kind] if keep_personal or not c.personal)
    table = TABLES[kind]
    select = Checks(files, keep_personal).select_list()
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
            f"{extra} from ({read_rows(files, file_ids, read, numbered)}) as s{join}",
            {"files": [str(f.local) for f in files]},
        )
    except duckdb.InvalidInputException as exc:
        if MARKER not in str(exc):
            raise
        raise first_bad_value(files, file_ids, read, select) from exc
    if not numbered:
        number_rows(con, table, files, file_ids)
    check_row_numbers(con, table, files, file_ids)
    return stream_spans(con, table, file_ids)


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
) -> UserError:
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
        marker = str(exc).partition(MARKER)[2]
        if marker:
            return UserError(marker.split("\n")[0].strip())
        raise
    finally:
        scratch.close()
    return UserError("internal error: a value failed its check only once; nothing was written")


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
        raise UserError("internal error: rows were not read in file order; nothing was written")


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


def stream_spans(con: duckdb.DuckDBPyConnection, table: str, file_ids: list[int]) -> list[tuple]:
    """Per file: its earliest and latest stream end (None, None for a file with no rows)."""
    ended = "ts" if table == "extended_history" else 'coalesce("endTime", "time")'
    spans = dict.fromkeys(file_ids, (None, None))
    for file_id, first, last in con.execute(
        f"select file_id, min({ended}), max({ended}) from raw.{table} "
        f"where file_id in ({', '.join(map(str, file_ids))}) group by all"
    ).fetchall():
        spans[file_id] = (first, last)
    return [spans[i] for i in file_ids]
