"""Write every mart to a CSV or Parquet file, for spreadsheets, notebooks and BI tools.

    python -m spotify_history.export [--db PATH] [--format csv|parquet] [--out DIR] [--debug]

One file per table or view of the default schema `main` (the marts, discovered, not listed here):
`<out>/<table>.<format>`, columns in the table's own order. The folder is next to the database,
named after it (spotify.duckdb → spotify-exports/), unless --out names another. The database
is opened read-only, so the export runs beside readers and never changes the file.

Types stay plain for other tools: a HUGEINT, UHUGEINT or UBIGINT column (what DuckDB gives a sum
of integers) is written as BIGINT, after checking that every value fits; a value that does not
stops the export with the table, column and value. DOUBLEs (the ratios) are left as they are.
Lists, structs and maps stay nested in Parquet and are written as JSON text in CSV.

Each file is written under a hidden temporary name in the same folder and renamed over the
target only when complete, so a failed or interrupted export leaves the previous file (or none),
never a half-written one. One line per file with its row count, then one saying where they are; errors and Ctrl-C as every
tool (spotify_history.cli.run_tool).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

import duckdb

from spotify_history.cli import add_common_arguments, not_built, open_read_only, run_tool
from spotify_history.errors import UserError, first_line
from spotify_history.outputs import add_out_argument, out_path

SCHEMA = "main"
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1
# Integer types that Parquet readers and spreadsheets do not all take: written as BIGINT.
WIDE_INTEGERS = ("HUGEINT", "UHUGEINT", "UBIGINT")
NESTED = re.compile(r"^(STRUCT|MAP|UNION)\(|\[\d*\]$")  # STRUCT(…), MAP(…), UNION(…), T[], T[n]
OPTIONS = {"parquet": "(format parquet)", "csv": "(format csv, header true)"}


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def marts(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every table and view of the default schema of this database file, by name."""
    return [
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = current_database() and table_schema = ? order by table_name",
            [SCHEMA],
        ).fetchall()
    ]


def columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    """(name, type) of each column, in the table's order."""
    return con.execute(
        "select column_name, data_type from duckdb_columns() where database_name = "
        "current_database() and schema_name = ? and table_name = ? order by column_index",
        [SCHEMA, table],
    ).fetchall()


def check_fits_bigint(con: duckdb.DuckDBPyConnection, table: str, column: str) -> None:
    low, high = con.execute(
        f"select min({ident(column)})::varchar, max({ident(column)})::varchar "
        f"from {ident(SCHEMA)}.{ident(table)}"
    ).fetchone()
    for value in (low, high):
        if value is not None and not BIGINT_MIN <= int(value) <= BIGINT_MAX:
            raise UserError(
                f"{table}.{column} holds {value}, which does not fit in a 64-bit integer "
                "(BIGINT); nothing was written for this table"
            )


def select_list(con: duckdb.DuckDBPyConnection, table: str, fmt: str) -> str:
    """The table's columns in order, with the casts that keep them plain for other tools."""
    parts = []
    for column, data_type in columns(con, table):
        q = ident(column)
        if data_type in WIDE_INTEGERS:
            check_fits_bigint(con, table, column)
            parts.append(f"{q}::bigint as {q}")  # the cast also raises on overflow
        elif fmt == "csv" and NESTED.search(data_type):
            parts.append(f"to_json({q})::varchar as {q}")
        else:
            parts.append(q)
    return ", ".join(parts)


def write_one(con: duckdb.DuckDBPyConnection, table: str, fmt: str, out: Path) -> Path:
    target = out / f"{table}.{fmt}"
    partial = out / f".{table}.{fmt}.{os.getpid()}.partial"
    try:
        query = f"select {select_list(con, table, fmt)} from {ident(SCHEMA)}.{ident(table)}"
        (rows,) = con.execute(
            f"copy ({query}) to {literal(str(partial))} {OPTIONS[fmt]}"
        ).fetchone()
        os.replace(partial, target)
    except duckdb.Error as e:
        raise UserError(f"{table}: {first_line(e)}") from e
    except OSError as e:
        raise UserError(f"{target}: {e.strerror or e}") from e
    finally:
        partial.unlink(missing_ok=True)
    print(f"{target}  {rows} rows", flush=True)
    return target


def export(db: Path, fmt: str, out: Path) -> list[Path]:
    con = open_read_only(db)
    try:
        tables = marts(con)
        if not tables:
            raise not_built(db)
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise UserError(f"cannot create {out}: {e.strerror or e}") from e
        written = [write_one(con, table, fmt, out) for table in tables]
    finally:
        con.close()
    print(f"wrote {len(written)} {fmt} files to {out.resolve()}{os.sep}")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser)
    parser.add_argument("--format", choices=sorted(OPTIONS), default="parquet")
    add_out_argument(parser, "exports", "folder")
    args = parser.parse_args(argv)
    out = out_path(args, "exports")
    return run_tool(lambda: export(args.db, args.format, out), db=args.db, debug=args.debug)


if __name__ == "__main__":
    sys.exit(main())
