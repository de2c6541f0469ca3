"""The ingest command line: arguments, the run, and the summary it prints."""

from __future__ import annotations

import argparse
import sys

from spotify_history.archives import DEFAULT_MAX_UNZIPPED
from spotify_history.cli import add_common_arguments, run_tool
from spotify_history.ingest import ingest
from spotify_history.progress import progress_bar


def describe(summary: dict) -> str:
    name = ", ".join(summary["inputs"])
    if not summary["loaded"]:
        return f"{name}: already loaded, nothing changed ({summary['files']} files)"
    first, last = summary["span"]
    counts = ", ".join(f"{fmt} {n:,}" for fmt, n in summary["counts"].most_common())
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
    add_common_arguments(parser)
    parser.add_argument("--listener", default="me", help="whose history this is (default: me)")
    parser.add_argument(
        "--keep-personal-data",
        action="store_true",
        help="also store IP addresses, user agents and the username (dropped by default)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress and no summary")
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

    def run() -> None:
        with progress_bar(not args.quiet and sys.stderr.isatty(), " rows", "loading") as bar:
            summaries = ingest(args, bar)
        if not args.quiet:
            for summary in summaries:
                print(describe(summary))

    return run_tool(run, db=args.db, debug=args.debug)
