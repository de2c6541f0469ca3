"""Write every mart to a CSV or Parquet file, for spreadsheets, notebooks and other tools.

    python -m scripts.export_marts [--db PATH] [--format csv|parquet] [--out exports]

One file per table of the default schema (the marts), columns in the table's order. Opens the
database read-only. Integers stay integers: a HUGEINT (DuckDB's type for sums of BIGINT) is
cast to BIGINT, and the export stops if a value would not fit. Lists stay lists in Parquet and
become JSON text in CSV. Each file is written under a temporary name and renamed when complete.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import duckdb

from scripts import add_db_argument


def marts(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        name
        for (name,) in con.execute(
            "select table_name from duckdb_tables() where database_name = current_database() "
            "and schema_name = 'main' order by table_name"
        ).fetchall()
    ]


def select_list(con: duckdb.DuckDBPyConnection, table: str, fmt: str) -> str:
    """The table's columns in order, with the casts that keep them plain for other tools."""
    parts = []
    for column, data_type in con.execute(
        "select column_name, data_type from duckdb_columns() where database_name = "
        "current_database() and schema_name = 'main' and table_name = ? order by column_index",
        [table],
    ).fetchall():
        q = f'"{column}"'
        if data_type in ("HUGEINT", "UHUGEINT"):
            parts.append(f"{q}::bigint as {q}")  # raises on overflow: never a silent double
        elif fmt == "csv" and (data_type.endswith("[]") or data_type.startswith(("STRUCT", "MAP"))):
            parts.append(f"to_json({q}) as {q}")
        else:
            parts.append(q)
    return ", ".join(parts)


def export(db: Path, fmt: str, out: Path) -> int:
    if not db.exists():
        print(
            f"error: {db} does not exist: run `make demo` or `make run EXPORT=…` first",
            file=sys.stderr,
        )
        return 2
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = marts(con)
        if "top_tracks" not in tables:
            print(f"error: {db} is not built yet: run `make build`", file=sys.stderr)
            return 2
        out.mkdir(parents=True, exist_ok=True)
        options = "(format parquet)" if fmt == "parquet" else "(format csv, header true)"
        for table in tables:
            target = out / f"{table}.{fmt}"
            partial = out / f".{table}.{fmt}.partial"
            con.execute(
                f'copy (select {select_list(con, table, fmt)} from main."{table}") '
                f"to '{partial}' {options}"
            )
            os.replace(partial, target)
            (rows,) = con.execute(f'select count(*) from main."{table}"').fetchone()
            print(f"{target}  {rows:,} rows")
    finally:
        con.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_db_argument(parser)
    parser.add_argument("--format", choices=["csv", "parquet"], default="parquet")
    parser.add_argument("--out", type=Path, default=Path("exports"))
    args = parser.parse_args(argv)
    return export(args.db, args.format, args.out)


if __name__ == "__main__":
    sys.exit(main())
