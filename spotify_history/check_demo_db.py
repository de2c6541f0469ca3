"""Refuse to mix the bundled sample into a database that holds someone's real history.

    python -m spotify_history.check_demo_db DB SAMPLE_ZIP...

Exit 0 when DB does not exist yet or holds only the sample's exports; otherwise explain and
exit 1, so `make demo` never adds fictional plays to a person's own top lists.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb


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


def main(argv: list[str]) -> int:
    db, samples = Path(argv[0]), {Path(p).name for p in argv[1:]}
    if not db.exists():
        return 0
    others = foreign_inputs(db, samples)
    if others:
        print(
            f"{db} already holds other exports ({', '.join(others)}); the demo will not add the "
            f"sample to them.\nRun it on its own database: make demo SPOTIFY_DB=demo.duckdb",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
