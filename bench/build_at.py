"""Build a database with the code of any checkout: its ingest.py, then its plain `dbt build`.

    python -m bench.build_at TREE DB EXPORT... [--keep-personal-data] [--listener NAME]

TREE is a checkout of the project (e.g. `git worktree add --detach /work/wt/baseline 82ebcc5`);
DB is created anew (an existing file is replaced); the exports are ingested in the order given,
with this environment's packages. For a before/after check of the marts, build the same exports
with both checkouts and give both files to `python -m bench.compare_marts`; `make bench
COMPARE_WITH=COMMIT` does that with `compare_with` here.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from bench import compare_marts
from bench.generate import DATA, cache_name, export_dir
from bench.measured import BIN, ROOT


def build_at(
    tree: Path,
    exports: list[Path],
    db: Path,
    target: Path | None = None,
    ingest_args: list[str] | None = None,
) -> None:
    tree, db = tree.resolve(), db.resolve()
    for old in db.parent.glob(db.name + "*"):
        if old.is_file():  # the database, its WAL and lock (a target folder is kept: warm)
            old.unlink()
    env = {**os.environ, "SPOTIFY_DB": str(db), "DBT_PROFILES_DIR": str(tree)}
    target = (target or db.with_name(db.name + ".target")).resolve()
    for cmd in (
        [
            str(BIN / "python"),
            str(tree / "ingest.py"),
            "--quiet",
            "--db",
            str(db),
            *(ingest_args or []),
            *(str(Path(e).resolve()) for e in exports),
        ],
        [str(BIN / "dbt"), "--quiet", "build", "--target-path", str(target)],
    ):
        proc = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
            raise SystemExit(f"build with {tree} failed: {' '.join(cmd)}")


# ---- compare_with: one export built with another commit's models and with this checkout's


def worktree(commit: str) -> tuple[Path, str]:
    sha = subprocess.run(
        ["git", "rev-parse", "--verify", f"{commit}^{{commit}}"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    path = DATA / "worktrees" / sha[:12]
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(path), sha],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    return path, sha


def compare_with(
    commit: str, n: int, spec_path: Path | None, allow: dict[str, str], work: Path
) -> tuple[str, compare_marts.Report, float]:
    """Build the n-stream export with COMMIT's models and with this checkout's; compare."""
    export = export_dir(n)
    tree, sha = worktree(commit)
    before = DATA / f"before-{sha[:12]}-{cache_name(n)}.duckdb"
    after = work / "after.duckdb"
    start = time.perf_counter()
    if not before.exists():
        print(f"building {n:,} streams with {sha[:12]}…", file=sys.stderr)
        partial = before.with_suffix(".partial.duckdb")
        build_at(tree, [export], partial, work / "target-before")
        partial.rename(before)
        for leftover in partial.parent.glob(partial.name + "*"):  # the ingest's lock file
            leftover.unlink()
    print(f"building {n:,} streams with this checkout…", file=sys.stderr)
    build_at(ROOT, [export], after, work / "target-after")
    print("comparing every mart…", file=sys.stderr)
    report = compare_marts.compare(before, after, compare_marts.load_spec(spec_path, allow))
    return sha, report, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", type=Path, help="a checkout of the project")
    parser.add_argument("db", type=Path, help="the database to create")
    parser.add_argument("exports", type=Path, nargs="+")
    parser.add_argument("--keep-personal-data", action="store_true", help="passed to ingest.py")
    parser.add_argument("--listener", help="passed to ingest.py")
    args = parser.parse_args(argv)
    ingest_args = ["--keep-personal-data"] if args.keep_personal_data else []
    ingest_args += ["--listener", args.listener] if args.listener else []
    build_at(args.tree, args.exports, args.db, ingest_args=ingest_args)
    print(f"built {args.db} with {args.tree}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
