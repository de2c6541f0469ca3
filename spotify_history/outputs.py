"""Where the tools that read a built database write what they make of it (report, exports, docs),
and how a file is written so that nobody ever sees half of it."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path


def beside_database(db: Path, what: str) -> Path:
    """Where a tool writes what it makes from `db` unless told otherwise: next to the database,
    named after it (`music/spotify.duckdb` → `music/spotify-report.html`), so the outputs of two
    databases never overwrite each other."""
    return db.parent / f"{db.stem}-{what}"


def add_out_argument(parser: argparse.ArgumentParser, what: str, kind: str) -> None:
    """`--out`: where the tool writes its `kind` (default: beside the database, <db name>-`what`)."""
    parser.add_argument(
        "--out", type=Path, help=f"the {kind} (default: next to the database, <db name>-{what})"
    )


def out_path(args: argparse.Namespace, what: str) -> Path:
    """The `--out` given, else the place beside the database (`args.db`)."""
    return args.out or beside_database(args.db, what)


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(out: Path, text: str) -> None:
    """Write `text` to `out` under a temporary name in the same folder, then rename it over `out`:
    a failure or Ctrl-C leaves the previous file (or none), never a half-written one."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o666 & ~current_umask())  # as any new file (mkstemp makes it private)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
