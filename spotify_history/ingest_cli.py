"""The ingest command line: arguments, the run, and the summary it prints."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path

from spotify_history.archives import DEFAULT_MAX_UNZIPPED
from spotify_history.cli import add_common_arguments, add_wait_argument, run_tool
from spotify_history.errors import UserError
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


def split_export_list(text: str) -> list[str]:
    """`make run EXPORT=…`: the path of one existing file or folder as it is (spaces and all),
    else several paths split like a shell line (quote a path with spaces: "my data.zip", or
    escape them: my\\ data.zip); a leading `~` is your home folder. Nothing else is expanded:
    no variables, no wildcards, and parentheses are plain characters."""
    text = text.strip()
    if not text:
        return []
    if Path(os.path.expanduser(text)).exists():
        return [os.path.expanduser(text)]
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise UserError(
            f"EXPORT: {exc} in {text!r}; put a path with spaces or quotes in quotes, "
            """e.g. EXPORT='"my data (1).zip" other.zip'"""
        ) from None
    return [os.path.expanduser(word) for word in words]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="ingest.py",
        description="Load Spotify streaming-history exports (zip, folder or JSON files) into DuckDB.",
    )
    parser.add_argument("exports", nargs="*", metavar="EXPORT", help="zip, folder or JSON files")
    parser.add_argument(
        "--export-list",
        metavar="TEXT",
        help="more exports in one string, as `make run EXPORT=…` gives them: one existing path "
        "as it is, else paths split like a shell line (quotes, backslashes), ~ expanded",
    )
    add_common_arguments(parser)
    parser.add_argument("--listener", default="me", help="whose history this is (default: me)")
    parser.add_argument(
        "--keep-personal-data",
        action="store_true",
        help="also store IP addresses, user agents and the username (dropped by default)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress and no summary")
    add_wait_argument(parser)
    parser.add_argument(
        "--max-unzipped-bytes",
        type=int,
        default=DEFAULT_MAX_UNZIPPED,
        help=f"refuse zips that unpack to more than this (default {DEFAULT_MAX_UNZIPPED:,})",
    )
    args = parser.parse_args(argv)
    if not args.exports and not (args.export_list or "").strip():
        parser.error("give at least one EXPORT (zip, folder or JSON file)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)

    def run() -> None:
        if args.export_list:
            args.exports += split_export_list(args.export_list)
        with progress_bar(not args.quiet and sys.stderr.isatty(), " rows", "loading") as bar:
            summaries = ingest(args, bar)
        if not args.quiet:
            for summary in summaries:
                print(describe(summary))

    return run_tool(run, db=args.db, debug=args.debug)
