"""dbt's target folder for each database, and the saved parse a new one starts from.

Each database file gets its own target folder (`target/<stem>-<hash of its path>/`), so two
builds at once never share one and switching between databases costs no re-parse. A new target
folder starts from the parse of the last build, which dbt checks against the project as always.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def targets_root() -> Path:
    """Where the target folders live: $SPOTIFY_TARGETS (the tests' temporary folder), else
    target/."""
    return Path(os.environ.get("SPOTIFY_TARGETS") or ROOT / "target")


def target_folder(db: Path, root: Path | None = None) -> Path:
    """dbt's target folder for this database: one per database file, named for its stem and a
    hash of its full path, so two builds at once never share one. They live in `root`, else
    `targets_root()`."""
    key = hashlib.sha256(str(db.resolve()).encode()).hexdigest()[:10]
    return (root or targets_root()) / f"{db.stem}-{key}"


# dbt's saved parse of the project (written in the target folder), and the copy of the last one
# that every build's target folder starts from. Not dbt's own file name in target/: a plain
# `dbt build` (its path in the profile is your database's, not the private copy's) keeps its own.
PARSE = "partial_parse.msgpack"
LAST_PARSE = "last-build-parse.msgpack"


def reuse_the_last_parse(target: Path) -> None:
    """A target folder without a parse starts from the last build's: dbt checks it against the
    project, the settings and the profile as always (and parses anew what changed), so a new
    database's first build costs a partial parse, not a full one."""
    last = targets_root() / LAST_PARSE
    if not (target / PARSE).exists() and last.exists():
        shutil.copyfile(last, target / PARSE)


def keep_the_last_parse(target: Path) -> None:
    """After a build: its parse becomes the one the next new target folder starts from."""
    if (target / PARSE).exists():
        keep_as_the_last_parse(target / PARSE)


def keep_as_the_last_parse(parse: Path) -> None:
    """`parse` becomes the one new target folders start from (written whole, then renamed:
    two builds at once never leave half a file)."""
    last = targets_root() / LAST_PARSE
    last.parent.mkdir(parents=True, exist_ok=True)
    partial = last.with_name(f"{LAST_PARSE}.{os.getpid()}")
    shutil.copyfile(parse, partial)
    os.replace(partial, last)
