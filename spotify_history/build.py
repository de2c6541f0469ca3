"""Run `dbt build` so that nobody ever sees, or is left with, a half-built database.

    python -m spotify_history.build [--db PATH] [--wait SECONDS] [--quiet] [--debug] [DBT_ARGS...]

DuckDB allows one writer or many readers per file. A DuckDB CLI or BI tool holding
`spotify.duckdb` open would make a plain `dbt build` fail, and a build killed half-way would
leave half-replaced tables. So this:

1. takes the project's lock on the database (`<db>.lock`, shared with ingest.py), waiting a
   bounded time if another ingest or build holds it;
2. copies the database to its private copy (storage.private_copy), and gives each database
   its own dbt target folder (`target/<db-key>/`); dbt runs in the copy's folder and sees it
   by the same relative name whichever database it builds, so the project parsed for one
   database serves the next (a new database's first build reuses the last parse: see
   dbt_target.py);
3. runs `dbt build` on the copy, showing a progress bar and, at the end, a short summary; dbt's
   whole output goes to `build.log` in that target folder, which the summary names;
4. only if dbt succeeded, checkpoints the copy and swaps it in (storage.durable_replace). On a
   failure, Ctrl-C or a kill the original is untouched and the copy is removed (now, or by the
   next run); where the OS allows it, a killed wrapper takes its dbt with it.

Any other arguments go to `dbt build` as they are (e.g. `--select top_tracks+`). The dbt run
is the one beside this Python, or $SPOTIFY_DBT if set (spotify_history.cli.dbt_executable).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from spotify_history.build_state import (
    drop_stale_relations,
    fingerprint,
    last_build,
    manifest_relations,
    record_build,
)
from spotify_history.cli import (
    add_common_arguments,
    add_wait_argument,
    dbt_executable,
    missing_database,
    run_tool,
)
from spotify_history.dbt_process import retry_one_at_a_time, run_dbt
from spotify_history.dbt_results import Summary, read_summary, show_what_failing_tests_found
from spotify_history.dbt_target import keep_the_last_parse, reuse_the_last_parse, target_folder
from spotify_history.errors import UserError
from spotify_history.storage import (
    checkpoint_leftover_wal,
    database_lock,
    durable_replace,
    private_copy,
    refuse_writers,
)
from spotify_history.user_files import announce, ensure_user_files, rel, settings_dir

ROOT = Path(__file__).resolve().parent.parent


def with_target(db: Path, dbt_args: list[str]) -> tuple[Path, list[str]]:
    """dbt's target folder for this run, as an absolute path (dbt runs in another folder), and
    dbt's arguments naming it: the database's own folder, or the one the caller gave with
    --target-path."""
    rest = list(dbt_args)
    target = target_folder(db)
    for at, arg in enumerate(dbt_args):
        if arg == "--target-path":
            target, rest = Path(dbt_args[at + 1]), dbt_args[:at] + dbt_args[at + 2 :]
        elif arg.startswith("--target-path="):
            target, rest = Path(arg.partition("=")[2]), dbt_args[:at] + dbt_args[at + 1 :]
    target = target.resolve()
    return target, [*rest, "--target-path", str(target)]


@dataclass
class Outcome:
    summary: Summary | None = None  # None: skipped, the marts were up to date
    last_built_at: datetime | None = None
    dropped: list[str] = field(default_factory=list)  # relations no model makes any more
    timezone_default: bool = False


def build(
    db: Path, dbt_args: list[str], wait_seconds: float, quiet: bool, force: bool = False
) -> Outcome:
    if not db.exists():
        raise missing_database(db)
    announce(ensure_user_files())
    state_args = list(dbt_args)
    target, dbt_args = with_target(db, dbt_args)
    with database_lock(db, wait_seconds):
        checkpoint_leftover_wal(db)
        con = refuse_writers(db)
        try:
            now = fingerprint(con, settings_dir(), state_args)
            last = last_build(con)
        finally:
            con.close()
        outcome = Outcome(last_built_at=last[0] if last else None)
        if last and last[1] == now and not force:
            return outcome
        with private_copy(db) as copy:
            outcome.summary = run_build(db, copy, dbt_args, target, quiet)
            con = duckdb.connect(str(copy))
            try:
                made = manifest_relations(target / "manifest.json")
                outcome.dropped = drop_stale_relations(con, made, last[2] if last else [])
                record_build(con, now, made)
                outcome.timezone_default = timezone_is_default(con)
                con.execute("checkpoint")
            finally:
                con.close()
            durable_replace(copy, db)
    return outcome


def timezone_is_default(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the build used the default zone because none is set (False if a partial build
    made no build_settings)."""
    try:
        return con.execute("select is_timezone_default from main.build_settings").fetchone()[0]
    except duckdb.CatalogException:
        return False


def run_build(db: Path, copy: Path, dbt_args: list[str], target: Path, quiet: bool) -> Summary:
    """dbt build on the private copy; a UserError (the original unchanged) if it failed."""
    target.mkdir(parents=True, exist_ok=True)
    log = target / "build.log"
    (target / "run_results.json").unlink(missing_ok=True)  # never report an older run
    if not quiet:
        print(f"dbt build on a private copy of {db.name}…", file=sys.stderr, flush=True)
    # dbt in the copy's folder, the copy by its bare name: the same profile for every database
    env = {**os.environ, "SPOTIFY_DB": copy.name}
    env.setdefault("DBT_PROFILES_DIR", str(ROOT))
    args = [dbt_executable(), "build", "--project-dir", str(ROOT), *dbt_args]
    reuse_the_last_parse(target)
    started = time.monotonic()
    show = not quiet and sys.stderr.isatty()
    log.write_text("")
    code, out_of_memory = run_dbt(args, env, copy.parent, log, show)
    if code != 0 and out_of_memory:
        retry = [dbt_executable(), "retry", "--project-dir", str(ROOT)]
        code, out_of_memory = retry_one_at_a_time(retry, target, env, copy.parent, log, quiet, show)
    summary = read_summary(target, log, time.monotonic() - started, code)
    keep_the_last_parse(target)
    if not summary.ok:
        show_what_failing_tests_found(summary, copy)
        hint = ""
        if out_of_memory:
            now = os.environ.get("SPOTIFY_MEMORY_LIMIT", "the default in profiles.yml")
            hint = (
                "\nDuckDB ran out of memory: raise its limit, e.g. "
                f"SPOTIFY_MEMORY_LIMIT=2GB make build (now {now})."
            )
        raise UserError(f"dbt build failed: {db} is unchanged.\n{summary.failure_text()}{hint}")
    return summary


def describe(db: Path, outcome: Outcome) -> list[str]:
    """What the build did, for the terminal."""
    if outcome.summary is None:
        return [
            f"{db}: the marts are up to date (nothing they are built from changed since the "
            f"build of {outcome.last_built_at:%Y-%m-%d %H:%M} UTC); `make build FORCE=1` "
            "rebuilds anyway"
        ]
    lines = [outcome.summary.success_text()]
    if outcome.dropped:
        lines.append(
            f"removed {len(outcome.dropped)} relation(s) that no model makes any more: "
            + ", ".join(outcome.dropped)
        )
    if outcome.timezone_default:
        lines.append(
            f"local times are in UTC: no time zone is set. Set yours in "
            f"{rel(settings_dir() / 'settings.csv')} (a line like `timezone,Europe/Berlin`, "
            "any IANA name), then `make build`"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser)
    add_wait_argument(parser)
    parser.add_argument("--quiet", action="store_true", help="no progress bar, only the summary")
    parser.add_argument(
        "--force", action="store_true", help="build even when nothing changed since the last build"
    )
    args, dbt_args = parser.parse_known_args(argv)

    def run() -> None:
        outcome = build(args.db, dbt_args, args.wait, args.quiet, args.force)
        print("\n".join(describe(args.db, outcome)))

    return run_tool(run, db=args.db, debug=args.debug)


if __name__ == "__main__":
    sys.exit(main())
