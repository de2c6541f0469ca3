"""Build a database with the code of any checkout: its ingest.py, then its plain `dbt build`.

    python -m bench.build_at TREE DB EXPORT... [--keep-personal-data] [--listener NAME]

TREE is a checkout of the project (e.g. `git worktree add --detach /work/wt/baseline 82ebcc5`);
DB is created anew (an existing file is replaced); the exports are ingested in the order given,
with this environment's packages. For a before/after check of the marts, build the same exports
with both checkouts and give both files to `python -m bench.compare_marts`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


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
