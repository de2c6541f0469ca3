"""Run `dbt build` so that nobody ever sees, or is left with, a half-built database.

    python -m spotify_history.build [--db PATH] [--wait SECONDS] [DBT_ARGS...]

DuckDB allows one writer or many readers per file. A DuckDB CLI or BI tool holding
`spotify.duckdb` open would make a plain `dbt build` fail, and a build killed half-way would
leave half-replaced tables. So this:

1. takes the project's lock on the database (`<db>.lock`, shared with ingest.py), waiting a
   bounded time if another ingest or build holds it;
2. copies the database into a private folder next to it, under the same file name (dbt's
   views name their database, which DuckDB derives from the file name);
3. runs `dbt build` on the copy;
4. only if dbt succeeded, checkpoints the copy and `os.replace`s it over the original: one
   atomic rename. Readers that had the old file open keep reading the old, complete data; new
   readers see the new one. On failure or a kill the original is untouched and the copy is
   removed (now, or by the next run). The copy and the rename are fsynced first, so a power
   cut cannot leave a half-written file either; if this process is killed, the kernel stops
   its dbt too.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb

from spotify_history.cli import add_db_argument
from spotify_history.errors import UserError
from spotify_history.storage import checkpoint_leftover_wal, database_lock, durable_replace


def private_copy_dir(db: Path) -> Path:
    return db.parent / f".{db.name}.build"


def dbt_dies_with_us() -> Callable[[], None] | None:
    """A preexec_fn for the dbt child: Linux sends it SIGTERM when this process dies, even by
    kill -9, so no orphaned dbt goes on building a copy nobody will use. None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    parent = os.getpid()
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    pr_set_pdeathsig = 1

    def in_child() -> None:
        prctl(pr_set_pdeathsig, signal.SIGTERM)
        if os.getppid() != parent:  # we died before the line above took effect
            os._exit(1)

    return in_child


def run_dbt(args: list[str], env: dict[str, str]) -> tuple[int, bool]:
    """Run dbt, its output passed through line by line (in colour on a terminal); returns its
    exit code and whether DuckDB ran out of memory, wherever in the run that happened."""
    if sys.stdout.isatty():
        env = {**env, "DBT_USE_COLORS": "true"}
    out_of_memory = False
    with subprocess.Popen(
        args,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        preexec_fn=dbt_dies_with_us(),
    ) as proc:
        for line in proc.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            out_of_memory = out_of_memory or "Out of Memory" in line
    return proc.returncode, out_of_memory


def build(db: Path, dbt_args: list[str], wait_seconds: float) -> int:
    if not db.exists():
        print(f"error: {db} does not exist: run ingest.py first", file=sys.stderr)
        return 2
    work = private_copy_dir(db)
    try:
        with database_lock(db, wait_seconds):
            shutil.rmtree(work, ignore_errors=True)  # left by a killed run
            work.mkdir()
            copy = work / db.name
            checkpoint_leftover_wal(db)
            shutil.copyfile(db, copy)
            print(f"dbt build on a private copy of {db.name}…", file=sys.stderr, flush=True)
            dbt = Path(sys.executable).with_name("dbt")
            env = {**os.environ, "SPOTIFY_DB": str(copy.resolve())}
            code, out_of_memory = run_dbt([str(dbt), "build", *dbt_args], env)
            if code != 0:
                print(f"dbt build failed: {db} is left as it was.", file=sys.stderr)
                if out_of_memory:
                    now = os.environ.get("SPOTIFY_MEMORY_LIMIT", "the default in profiles.yml")
                    print(
                        "DuckDB ran out of memory: raise its limit, e.g. "
                        f"SPOTIFY_MEMORY_LIMIT=2GB make build (now {now}).",
                        file=sys.stderr,
                    )
                return code
            duckdb.connect(str(copy)).execute("checkpoint").close()
            durable_replace(copy, db)
            return 0
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (OSError, duckdb.Error) as exc:  # e.g. no space left for the copy
        print(f"error: {exc}; {db} is left as it was.", file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_db_argument(parser)
    parser.add_argument(
        "--wait",
        type=float,
        default=300,
        help="seconds to wait for another ingest or build to finish (default 300)",
    )
    args, dbt_args = parser.parse_known_args(argv)
    return build(args.db, dbt_args, args.wait)


if __name__ == "__main__":
    sys.exit(main())
