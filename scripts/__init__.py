"""Small command-line tools around the built database (see the Makefile)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    """`--db`, defaulting like ingest.py and the dbt profile: $SPOTIFY_DB, else spotify.duckdb."""
    parser.add_argument(
        "--db",
        type=Path,
        default=Path(os.environ.get("SPOTIFY_DB", "spotify.duckdb")),
        help="database file (default: $SPOTIFY_DB, else spotify.duckdb)",
    )
