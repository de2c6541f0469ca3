"""Refuse to mix the bundled sample into a database that holds someone's real history.

    python -m spotify_history.check_demo_db [--debug] DB SAMPLE_ZIP...

Exit 0 when DB does not exist yet or holds only the sample's exports; otherwise explain and
exit 2, so `make demo` never adds fictional plays to a person's own top lists.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from spotify_history.cli import run_tool
from spotify_history.errors import UserError


def foreign_inputs(db: Path, sample_names: set[str]) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        has_manifest = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'raw' and table_name = 'exports'"
        ).fetchone()[0]
        if not has_manifest:
            return []
        rows = con.execute("select distinct unnest(inputs) from raw.exports").fetchall()
    finally:
        con.close()
    return sorted(name for (name,) in rows if name not in sample_names)


def check(db: Path, samples: set[str]) -> None:
    if not db.exists():
        return
    others = foreign_inputs(db, samples)
    if others:
        raise UserError(
            f"{db} already holds other exports ({', '.join(others)}); the demo will not add the "
            f"sample to them.\nRun it on its own database: make demo SPOTIFY_DB=demo.duckdb"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path, metavar="DB")
    parser.add_argument("samples", nargs="+", type=Path, metavar="SAMPLE_ZIP")
    parser.add_argument("--debug", action="store_true", help="show a traceback on errors")
    args = parser.parse_args(argv)
    samples = {p.name for p in args.samples}
    return run_tool(lambda: check(args.db, samples), db=args.db, debug=args.debug)


if __name__ == "__main__":
    sys.exit(main())
