"""Write the raw tables (raw.*) of a DuckDB database as Parquet, partitioned by listener.

    python -m spotify_history.raw_parquet [--db PATH] [--out DIR]

The dbt target `spark` reads raw data from here (Spark never parses Spotify's JSON). Every
column keeps its DuckDB type (JSON as a string); the history and manifest tables carry their
export's `listener` as the partition column (`<table>/listener=<name>/…`), so a cluster
reads one listener's rows without touching the others'. The whole copy is written next to
the old one and swapped in by a rename: a reader sees the old copy or the new one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

import duckdb

from spotify_history.cli import database_file

# table → how to find each row's listener (exports has it; the others join their export)
TABLES = {
    "exports": "select * from raw.exports",
    "files": "select f.*, e.listener from raw.files as f join raw.exports as e using (export_id)",
    "account_history": (
        "select h.*, e.listener from raw.account_history as h join raw.exports as e using (export_id)"
    ),
    "extended_history": (
        "select h.*, e.listener from raw.extended_history as h join raw.exports as e using (export_id)"
    ),
}
# Hive's (and Spark's) directory name for a null partition value
EMPTY = "__HIVE_DEFAULT_PARTITION__"


def default_out() -> Path:
    return Path(os.environ.get("SPOTIFY_SPARK_DIR", "target/spark")) / "raw"


def write_raw_parquet(db: Path, out: Path) -> dict[str, int]:
    """Every raw table of `db` under `out/<table>/listener=…/`; returns rows per table."""
    if not db.exists():
        raise SystemExit(f"no database at {db}: run ingest.py first")
    out = out.absolute()
    staging = out.with_name(f".{out.name}.new")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    counts = {}
    with duckdb.connect(str(db), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        for table, query in TABLES.items():
            counts[table] = con.execute(f"select count(*) from ({query})").fetchone()[0]
            if counts[table]:
                target, options = staging / table, ", partition_by (listener)"
            else:
                # no rows: one empty file keeps the schema, in the partition of null listeners
                target, options = staging / table / f"listener={EMPTY}" / "empty.parquet", ""
                query = f"select * exclude (listener) from ({query})"
                target.parent.mkdir(parents=True)
            quoted = str(target).replace("'", "''")
            con.execute(f"copy ({query}) to '{quoted}' (format parquet, compression zstd{options})")
    old = out.with_name(f".{out.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db", type=database_file, default=os.environ.get("SPOTIFY_DB", "spotify.duckdb")
    )
    parser.add_argument("--out", type=Path, default=None, help="default: $SPOTIFY_SPARK_DIR/raw")
    args = parser.parse_args(argv)
    out = args.out or default_out()
    counts = write_raw_parquet(args.db, out)
    rows = ", ".join(f"{table} {n}" for table, n in counts.items())
    print(f"raw Parquet in {out}: {rows}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
