"""Storage safety shared by ingest and build: one writer per database, work on a private copy,
and an atomic, fsynced swap, so that an error, a kill or a power cut at any moment leaves the
database as it was or as the finished run left it, never in between."""

from __future__ import annotations

import fcntl
import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from spotify_history.errors import UserError, duck_message


@contextmanager
def database_lock(db: Path, wait_seconds: float) -> Iterator[None]:
    """One ingest or build at a time per database (readers are never blocked): an exclusive
    lock on `<db>.lock`, waited for at most `wait_seconds`."""
    lock_path = db.with_name(db.name + ".lock")
    with lock_path.open("a") as lock:
        deadline = time.monotonic() + wait_seconds
        said = False
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise UserError(
                        f"{db.name}: another ingest or build is still running after "
                        f"{wait_seconds:g} s; try again when it is done"
                    ) from None
                if not said:
                    print(f"waiting for another run on {db.name} to finish…", file=sys.stderr)
                    said = True
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def checkpoint_leftover_wal(db: Path) -> None:
    """A writer that died leaves changes in `<db>.wal`: let DuckDB replay them into the file,
    so a copy of the file alone is complete."""
    if Path(str(db) + ".wal").exists():
        try:
            duckdb.connect(str(db)).close()
        except duckdb.IOException as exc:
            raise UserError(f"{db.name}: in use by another program ({duck_message(exc)})") from exc


def durable_replace(copy: Path, db: Path) -> None:
    """os.replace, with the new file's data and the rename itself flushed to the disk: after a
    power cut the database is the old file or the new one, whole."""
    with copy.open("rb+") as f:
        os.fsync(f.fileno())
    os.replace(copy, db)
    folder = os.open(db.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def prepare_copy(db: Path, tmp_db: Path) -> None:
    """Start from a copy of the database, so the original stays untouched until the swap."""
    if not db.exists():
        return
    checkpoint_leftover_wal(db)
    try:
        # fails while another process writes the file; readers do not block it
        duckdb.connect(str(db), read_only=True).close()
    except duckdb.IOException as exc:
        raise UserError(
            f"{db.name}: locked by another program writing to it; try again when it is done"
        ) from exc
    shutil.copyfile(db, tmp_db)
