"""Print the top tracks and artists of a built database as aligned tables.

    python scripts/top.py [--db PATH] [-n N] [--listener NAME]

Opens the database read-only, so it works while a DuckDB CLI or BI tool has it open.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path

import duckdb

from scripts import add_db_argument

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


def display_width(text: str) -> int:
    """Terminal columns of `text`: CJK and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - display_width(text))
    return fill + text if right else text + fill


def format_table(header: list[str], rows: list[tuple]) -> str:
    """Align columns; numbers to the right, text to the left; null shows as an empty cell."""
    cells = [["" if v is None else str(v) for v in row] for row in rows]
    numeric = [
        all(isinstance(row[i], int) for row in rows if row[i] is not None)
        for i in range(len(header))
    ]
    widths = [
        max([display_width(header[i])] + [display_width(row[i]) for row in cells])
        for i in range(len(header))
    ]
    lines = [
        "  ".join(pad(header[i], widths[i], numeric[i]) for i in range(len(header))),
        "  ".join("-" * w for w in widths),
    ]
    lines += [
        "  ".join(pad(row[i], widths[i], numeric[i]) for i in range(len(header))) for row in cells
    ]
    return "\n".join(line.rstrip() for line in lines)


def listeners(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        r[0] for r in con.execute("select distinct listener from top_tracks order by 1").fetchall()
    ]


def print_tops(db: Path, n: int, listener: str | None = None) -> int:
    if not db.exists():
        print(
            f"error: {db} does not exist: run `make run EXPORT=…` or `make demo` first",
            file=sys.stderr,
        )
        return 2
    con = duckdb.connect(str(db), read_only=True)
    try:
        try:
            names = [listener] if listener else listeners(con)
        except duckdb.CatalogException:
            print(f"error: {db} has no top_tracks table: run `dbt build` first", file=sys.stderr)
            return 2
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
    add_db_argument(parser)
    parser.add_argument("-n", type=int, default=10, help="rows per list (default 10)")
    parser.add_argument("--listener", help="only this listener (default: every listener)")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("-n must be at least 1")
    return print_tops(args.db, args.n, args.listener)


if __name__ == "__main__":
    sys.exit(main())
