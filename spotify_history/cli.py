"""What every command-line tool shares: `--db` and `--debug`, opening the built database, the
wording for a database that is missing or not built, the dbt they run, and `run_tool`, the one
wrapper that turns errors and Ctrl-C into one line and an exit code."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb

from spotify_history.errors import UserError, duck_message, first_line

EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a Ctrl-C


# DuckDB names a database after its file (raw.duckdb is the catalog `raw`): a file named like
# one of the project's schemas makes every `raw.x` (or `main.x`…) ambiguous inside it.
SCHEMA_NAMES = {"raw", "main", "staging", "intermediate", "seeds", "system", "temp", "memory"}


def database_file(text: str) -> Path:
    """A `--db` value: a path whose file name is not one of the schema names (SCHEMA_NAMES)."""
    path = Path(os.path.expanduser(text))
    if path.stem.lower() in SCHEMA_NAMES:
        raise argparse.ArgumentTypeError(
            f"{text}: DuckDB names a database after its file, and {path.stem!r} is the name of "
            f"one of its schemas; choose another file name (for example spotify.duckdb)"
        )
    return path


def dbt_executable() -> str:
    """The dbt the tools run: the one installed beside this Python, or $SPOTIFY_DBT if set (the
    tests set it, to pause a build or to start dbt sooner: tests/warm_dbt.py)."""
    return os.environ.get("SPOTIFY_DBT") or str(Path(sys.executable).with_name("dbt"))


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    """`--db`, defaulting like ingest.py and the dbt profile ($SPOTIFY_DB, else spotify.duckdb),
    and `--debug`."""
    parser.add_argument(
        "--db",
        type=database_file,
        default=os.environ.get("SPOTIFY_DB", "spotify.duckdb"),
        help="database file (default: $SPOTIFY_DB, else spotify.duckdb)",
    )
    parser.add_argument("--debug", action="store_true", help="show a traceback on errors")


def add_wait_argument(parser: argparse.ArgumentParser) -> None:
    """`--wait`: how long a writing tool waits for another ingest or build on the database."""
    parser.add_argument(
        "--wait",
        type=float,
        default=300,
        help="seconds to wait for another ingest or build on the database (default 300)",
    )


def run_tool(action: Callable[[], object], *, db: Path, debug: bool = False) -> int:
    """Run a tool's work: its exit code if it returns an int, else 0; a UserError, or a DuckDB or OS
    error, is one line on stderr and exit code 2 (with --debug: the traceback); Ctrl-C is one
    line and exit code 130. Every tool leaves the database as it was unless it finished."""
    try:
        code = action()
        return code if isinstance(code, int) else 0
    except KeyboardInterrupt:
        print(f"interrupted; {db} is unchanged", file=sys.stderr)
        return EXIT_INTERRUPTED
    except UserError as exc:
        if debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
    except (duckdb.Error, OSError) as exc:
        if debug:
            raise
        print(f"error: {duck_message(exc)}; {db} is unchanged", file=sys.stderr)
    return EXIT_USER_ERROR


def missing_database(db: Path) -> UserError:
    return UserError(f"{db} does not exist: run `make demo` or `make run EXPORT=…` first")


def not_built(db: Path, what: str = "") -> UserError:
    """The one wording, in every tool, for a database whose marts are not built (yet)."""
    return UserError(f"{db} has no {what or 'marts'} yet: run `make build` first")


def open_read_only(db: Path) -> duckdb.DuckDBPyConnection:
    """The built database, read-only (works beside the CLI and BI tools), or a clear UserError."""
    if not db.is_file():
        raise missing_database(db)
    try:
        return duckdb.connect(str(db), read_only=True)
    except duckdb.Error as e:
        raise UserError(f"cannot open {db} read-only: {first_line(e)}") from e
