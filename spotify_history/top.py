"""Print the top tracks and artists of a built database as aligned tables.

    python -m spotify_history.top [--db PATH] [-n N] [--listener NAME] [--debug]

Opens the database read-only, so it works while a DuckDB CLI or BI tool has it open.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from spotify_history.cli import add_common_arguments, not_built, open_read_only, run_tool
from spotify_history.display import format_table

TOPS = {
    "Top tracks": (
        "top_tracks",
        ["rank", "artist_name", "track_name", "play_count", "minutes_played"],
        "rank, artist_name, track_name",
    ),
    "Top artists": (
        "top_artists",
        ["rank", "artist_name", "play_count", "track_count", "minutes_played"],
        "rank, artist_name",
    ),
}


def listeners(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        r[0] for r in con.execute("select distinct listener from top_tracks order by 1").fetchall()
    ]


def print_tops(db: Path, n: int, listener: str | None = None) -> int:
    con = open_read_only(db)
    try:
        try:
            names = [listener] if listener else listeners(con)
        except duckdb.CatalogException:
            raise not_built(db) from None
        for name in names:
            for title, (table, columns, order) in TOPS.items():
                rows = con.execute(
                    f"select {', '.join(columns)} from {table} where listener = ? "
                    f"order by {order} limit ?",
                    [name, n],
                ).fetchall()
                who = f" ({name})" if len(names) > 1 else ""
                print(f"\n{title}{who}\n")
                print(format_table(columns, rows) if rows else "(no counted plays)")
    finally:
        con.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser)
    parser.add_argument("-n", type=int, default=10, help="rows per list (default 10)")
    parser.add_argument("--listener", help="only this listener (default: every listener)")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("-n must be at least 1")
    return run_tool(
        lambda: print_tops(args.db, args.n, args.listener), db=args.db, debug=args.debug
    )


if __name__ == "__main__":
    sys.exit(main())
