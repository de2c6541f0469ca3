"""The ingest command line: arguments, the run, and the summary it prints."""

from __future__ import annotations

import argparse
import os
import sys

import duckdb

from spotify_history.archives import DEFAULT_MAX_UNZIPPED
from spotify_history.errors import UserError, duck_message
from spotify_history.ingest import ingest
from spotify_history.progress import Progress


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
    except UserError as exc:
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
