"""What every command-line tool shares: the database argument and opening the built database."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import duckdb

from spotify_history.errors import UserError, first_line


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    """`--db`, defaulting like ingest.py and the dbt profile: $SPOTIFY_DB, else spotify.duckdb."""
    parser.add_argument(
        "--db",
        type=Path,
        default=Path(os.environ.get("SPOTIFY_DB", "spotify.duckdb")),
        help="database file (default: $SPOTIFY_DB, else spotify.duckdb)",
    )


def open_read_only(db: Path) -> duckdb.DuckDBPyConnection:
    """The built database, read-only (works beside the CLI and BI tools), or a clear UserError."""
    if not db.is_file():
        raise UserError(f"{db} does not exist: run `make demo` or `make run EXPORT=…` first")
    try:
        return duckdb.connect(str(db), read_only=True)
    except duckdb.Error as e:
        raise UserError(f"cannot open {db} read-only: {first_line(e)}") from e
