"""Remove one export from the database, as if it had never been loaded; or list the exports.

    python -m spotify_history.remove_export [--db PATH] [--wait SECONDS] [--debug] [EXPORT_ID]

With no EXPORT_ID it lists the exports (id, listener, what was given, when, rows).
The export's rows and its load manifest (`raw.exports`, `raw.files`) go; a file that a later
export also contained was loaded once, under the first export: its rows move to the later
export, where they would have been had the first never been loaded. Like every write, this
takes the database's lock and works on a private copy swapped in at the end (storage.py). The
marts still show the old data until the next build: `make remove` runs it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from spotify_history.cli import (
    add_common_arguments,
    add_wait_argument,
    missing_database,
    run_tool,
)
from spotify_history.display import format_table
from spotify_history.errors import UserError
from spotify_history.storage import database_lock, durable_replace, private_copy

HISTORY_TABLES = ("raw.account_history", "raw.extended_history")


def list_exports(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "select export_id, listener, array_to_string(inputs, ', ') as inputs, "
        "strftime(ingested_at, '%Y-%m-%d %H:%M') as ingested_at, row_count "
        "from raw.exports order by export_id"
    ).fetchall()


def move_shared_files(con: duckdb.DuckDBPyConnection, export_id: int) -> int:
    """Files of `export_id` that later exports also contained: each one's rows move to the first
    such later file, which becomes the loaded copy; the others point at it. Returns how many."""
    moves = con.execute(
        "select f.file_id, min(d.file_id) from raw.files as f "
        "join raw.files as d on d.duplicate_of_file_id = f.file_id and d.export_id != f.export_id "
        "where f.export_id = ? group by f.file_id",
        [export_id],
    ).fetchall()
    for old, new in moves:
        (new_export,) = con.execute(
            "select export_id from raw.files where file_id = ?", [new]
        ).fetchone()
        for table in HISTORY_TABLES:
            con.execute(
                f"update {table} set export_id = ?, file_id = ? where file_id = ?",
                [new_export, new, old],
            )
        con.execute(
            "update raw.files set duplicate_of_file_id = case when file_id = ? then null else ? "
            "end where duplicate_of_file_id = ?",
            [new, new, old],
        )
        con.execute(
            "update raw.exports set row_count = row_count + "
            "(select row_count from raw.files where file_id = ?) where export_id = ?",
            [old, new_export],
        )
    return len(moves)


def remove(con: duckdb.DuckDBPyConnection, export_id: int) -> str:
    found = con.execute(
        "select listener, array_to_string(inputs, ', '), row_count from raw.exports "
        "where export_id = ?",
        [export_id],
    ).fetchone()
    if found is None:
        raise UserError(
            f"there is no export {export_id}; `make remove` without EXPORT_ID lists them"
        )
    listener, inputs, rows = found
    moved = move_shared_files(con, export_id)
    for table in HISTORY_TABLES:
        con.execute(f"delete from {table} where export_id = ?", [export_id])
    con.execute("delete from raw.files where export_id = ?", [export_id])
    con.execute("delete from raw.exports where export_id = ?", [export_id])
    kept = f"; {moved} file(s) it shared with later exports stay, under those" if moved else ""
    return f"removed export {export_id} ({inputs}, listener {listener}, {rows:,} rows){kept}"


def run(db: Path, export_id: int | None, wait_seconds: float) -> int:
    if not db.is_file():
        raise missing_database(db)
    if export_id is None:
        con = duckdb.connect(str(db), read_only=True)
        try:
            rows = list_exports(con)
        finally:
            con.close()
        header = ["export_id", "listener", "inputs", "ingested_at", "row_count"]
        print(format_table(header, rows) if rows else f"{db} holds no exports")
        print("remove one: make remove EXPORT_ID=<export_id>")
        return 0
    with database_lock(db, wait_seconds), private_copy(db) as copy:
        con = duckdb.connect(str(copy))
        try:
            con.execute("begin")
            message = remove(con, export_id)
            con.execute("commit")
            con.execute("checkpoint")
        finally:
            con.close()
        durable_replace(copy, db)
    print(f"{message}. The marts show it until the next build (`make build`).")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("export_id", nargs="?", type=int, metavar="EXPORT_ID")
    add_common_arguments(parser)
    add_wait_argument(parser)
    args = parser.parse_args(argv)
    return run_tool(lambda: run(args.db, args.export_id, args.wait), db=args.db, debug=args.debug)


if __name__ == "__main__":
    sys.exit(main())
