"""Phase-2 prototype: the ingest's two passes, today's and a typed fast path, one at a time.

    python -m bench.scratch.fastpath VARIANT EXPORT_DIR

Variants (each a whole process, to pair with another under a timer):
  keys        today's first pass: every row's json_type and exact key list, grouped
  sha_then_keys / sha_beside_keys  sha256 of every file before the first pass, or beside it
  keys_types  the first pass plus the JSON type of every known key, grouped alike
  structure   one json_group_structure per file: the keys AND the JSON types of every key
  checked     today's second pass: every column read as JSON, checked, typed (into a table)
  checked_cheap  today's checks, strings told by their text, dropped columns not read
  typed       the fast path: columns read typed, only null/time checks (into a table)
  bare        the bare read_json floor (typed columns, no checks, into a table)
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from spotify_history.archives import HistoryFile
from spotify_history.checks import Checks
from spotify_history.columns import COLUMNS, key_names


def files_of(export: Path) -> list[HistoryFile]:
    files = []
    for path in sorted(export.rglob("*.json")):
        file = HistoryFile(path.name, path, "", path.stat().st_size, "extended", "extended_v3")
        files.append(file)
    return files


def typed_select(keep_personal: bool = False) -> tuple[str, str]:
    """The typed read's columns spec and its select list (the fast path's checks)."""
    spec, select = [], []
    types = {"string": "VARCHAR", "integer": "BIGINT", "boolean": "BOOLEAN", "time": "VARCHAR"}
    for column in COLUMNS["extended"]:
        q = f'"{column.name}"'
        if column.personal and not keep_personal:
            select.append(f"null::{column.sql_type} as {q}")
            continue
        spec.append(f"'{column.name}': '{types[column.accepts]}'")
        value = q
        if column.accepts == "time":
            value = f"coalesce(try_strptime({q}, '{column.time_format}'), error('bad value: time'))"
        if column.required == "yes":
            value = f"case when {q} is null then error('bad value: missing') else {value} end"
        select.append(f"{value} as {q}")
    return "{" + ", ".join(spec) + "}", ", ".join(select)


def main(argv: list[str]) -> int:
    variant, export = argv[0], Path(argv[1])
    files = files_of(export)
    paths = [str(f.local) for f in files]
    con = duckdb.connect(
        "/tmp/fastpath.duckdb" if variant in ("checked", "checked_cheap", "typed", "bare") else ""
    )
    con.execute("set enable_progress_bar = false")
    if variant == "keys":
        con.execute(
            "select file_index, json_type(json) as t, json_keys(json) as k, count(*) "
            "from read_json_objects(?, format = 'array') group by all",
            [paths],
        ).fetchall()
    elif variant in ("sha_then_keys", "sha_beside_keys"):
        import hashlib
        import threading

        def digest() -> None:
            for f in paths:
                with open(f, "rb") as handle:
                    hashlib.file_digest(handle, "sha256")

        thread = threading.Thread(target=digest)
        thread.start()
        if variant == "sha_then_keys":
            thread.join()
        con.execute(
            "select file_index, json_type(json) as t, json_keys(json) as k, count(*) "
            "from read_json_objects(?, format = 'array') group by all",
            [paths],
        ).fetchall()
        thread.join()
    elif variant == "keys_types":
        jpaths = "[" + ", ".join(f"'$.{k}'" for k in key_names("extended")) + "]"
        con.execute(
            "select file_index, json_type(json) as t, json_keys(json) as k, "
            f"json_type(json, {jpaths}) as types, count(*) "
            "from read_json_objects(?, format = 'array') group by all",
            [paths],
        ).fetchall()
    elif variant == "structure":
        con.execute(
            "select file_index, count(*), count(*) filter (where json_type(json) <> 'OBJECT'), "
            "json_group_structure(json) from read_json_objects(?, format = 'array') group by all",
            [paths],
        ).fetchall()
    elif variant == "checked":
        spec = "{" + ", ".join(f"'{k}': 'JSON'" for k in key_names("extended")) + "}"
        select = Checks(files, False).select_list()
        con.execute(
            f"create or replace table t as select {select} from (select file_index, 0 as row_number, * "
            f"from read_json(?, format = 'array', columns = {spec}))",
            [paths],
        )
    elif variant == "checked_cheap":
        spec, select = cheap_checks_select(files)
        con.execute(
            f"create or replace table t as select {select} from (select file_index, 0 as row_number, * "
            f"from read_json(?, format = 'array', columns = {spec}))",
            [paths],
        )
    elif variant in ("typed", "bare"):
        spec, select = typed_select()
        if variant == "bare":
            select = "*"
        con.execute(
            f"create or replace table t as select {select} "
            f"from read_json(?, format = 'array', columns = {spec})",
            [paths],
        )
    con.close()
    return 0


def cheap_checks_select(files: list[HistoryFile]) -> tuple[str, str]:
    """Today's checks, with a string's JSON type told from its text (a JSON string starts
    with a quote; a JSON null is the text null) instead of json_type(), and the dropped personal
    columns not read at all."""
    checks = Checks(files, False)
    spec, select = [], []
    for column in COLUMNS["extended"]:
        q = f'"{column.name}"'
        if column.personal:
            select.append(f"null::{column.sql_type} as {q}")
            continue
        spec.append(f"'{column.name}': 'JSON'")
        if column.accepts not in ("string", "time"):
            select.append(checks.column(column))
            continue
        text = f"{q}::varchar"
        absent = f"({q} is null or {text} = 'null')"
        cases = []
        if column.required == "yes":
            cases.append(f"when {absent} then {checks.fail(column.name, 'missing', False)}")
        cases.append(f"when {absent} then null")
        cases.append(f"when not starts_with({text}, '\"') then {checks.fail(column.name, 'x')}")
        value = f"({q} ->> '$')"
        if column.accepts == "time":
            value = (
                f"coalesce(try_strptime({value}, '{column.time_format}'), "
                f"{checks.fail(column.name, 'x')})"
            )
        select.append(f"case {' '.join(cases)} else {value} end as {q}")
    return "{" + ", ".join(spec) + "}", ", ".join(select)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
