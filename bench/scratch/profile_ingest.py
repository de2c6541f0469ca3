"""Where ingest.py spends its time: each DuckDB statement over 50 ms, and Python's own profile.

    python -m bench.scratch.profile_ingest EXPORT_DIR [DB]

A measuring aid for phase 2 of issue 14 (ingest ≤ 2.0 × bare read_json); not part of make bench.
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import time
from pathlib import Path

import duckdb

from spotify_history import ingest, ingest_cli, loading

TIMES: list[tuple[float, str]] = []


class TimedConnection:
    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con

    def execute(self, sql: str, *args, **kwargs):
        start = time.perf_counter()
        result = self._con.execute(sql, *args, **kwargs)
        TIMES.append((time.perf_counter() - start, " ".join(sql.split())[:110]))
        return result

    def __getattr__(self, name: str):
        return getattr(self._con, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self._con.__exit__(*exc)


def main(argv: list[str]) -> int:
    export = argv[0]
    db = Path(argv[1] if len(argv) > 1 else "/tmp/profile_ingest.duckdb")
    for p in db.parent.glob(db.name + "*"):
        p.unlink()
    real_connect = duckdb.connect

    def timed_connect(*args, **kwargs) -> TimedConnection:
        return TimedConnection(real_connect(*args, **kwargs))

    class TimedDuckDB:  # the duckdb module, but connections time their statements
        connect = staticmethod(timed_connect)

        def __getattr__(self, name: str):
            return getattr(duckdb, name)

    for module in (ingest, loading):
        module.duckdb = TimedDuckDB()
    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.enable()
    try:
        code = ingest_cli.main(["--quiet", "--db", str(db), export])
    finally:
        profile.disable()
    total = time.perf_counter() - start
    print(f"ingest: {total:.2f} s (exit {code})")
    print(f"DuckDB statements: {sum(t for t, _ in TIMES):.2f} s in {len(TIMES)}")
    for seconds, sql in sorted(TIMES, reverse=True)[:15]:
        if seconds > 0.05:
            print(f"  {seconds:6.2f}  {sql}")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
