"""Storage safety shared by ingest and build: one writer per database, work on a private copy,
and an atomic, fsynced swap, so that an error, a kill or a power cut at any moment leaves the
database as it was or as the finished run left it, never in between.

The lock is `filelock`'s (an OS lock, released by the kernel if the process dies; portable to
Windows). Nothing here imports an OS-specific module.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from filelock import FileLock, Timeout

from spotify_history.errors import UserError, duck_message, lock_holder


@contextmanager
def database_lock(db: Path, wait_seconds: float) -> Iterator[None]:
    """One ingest or build at a time per database (readers are never blocked): an exclusive
    lock on `<db>.lock`, waited for at most `wait_seconds`."""
    # preserve_lock_file: an OS lock only (no lock-by-existence fallback that a kill would
    # leave behind), on a file that stays in place between runs.
    lock = FileLock(db.with_name(db.name + ".lock"), preserve_lock_file=True)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print(f"waiting for another run on {db.name} to finish…", file=sys.stderr, flush=True)
        try:
            lock.acquire(timeout=wait_seconds, poll_interval=0.2)
        except Timeout:
            raise UserError(
                f"{db.name}: another ingest or build is still running after "
                f"{wait_seconds:g} s; try again when it is done"
            ) from None
    try:
        yield
    finally:
        lock.release()


def checkpoint_leftover_wal(db: Path) -> None:
    """A writer that died leaves changes in `<db>.wal`: let DuckDB replay them into the file,
    so a copy of the file alone is complete."""
    if Path(str(db) + ".wal").exists():
        try:
            duckdb.connect(str(db)).close()
        except duckdb.IOException as exc:
            refuse_writers(db).close()  # a writer (the usual owner of a .wal) is named as one
            raise UserError(f"{db.name}: in use by another program ({duck_message(exc)})") from exc


# The private copy's file name, the same for every database: dbt, run in the copy's folder,
# sees the same relative path whichever database it builds, so one parse of the project serves
# them all (spotify_history.build). The name becomes the catalog's name while the copy is open;
# the views never spell it (macros/project/portable_relations.sql), so the swapped-in file opens
# under its own name.
PRIVATE_COPY_NAME = "working_copy.duckdb"


def private_copy_path(db: Path) -> Path:
    """Where the private copy of `db` lives: a folder of its own beside it (the same file
    system, for the atomic swap), as PRIVATE_COPY_NAME."""
    return db.parent / f".{db.name}.private" / PRIVATE_COPY_NAME


# The read-only connection each private copy holds on its original (see `private_copy`).
GUARDS: dict[Path, duckdb.DuckDBPyConnection] = {}


def refuse_writers(db: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to `db`, held for as long as a run works on its copy: it fails
    while another program has the file open for writing (what that session writes would be lost
    at the swap), and while held it keeps any from opening it for writing. Readers are fine."""
    try:
        return duckdb.connect(str(db), read_only=True)
    except duckdb.IOException as exc:
        holder = lock_holder(exc) or "another program"
        raise UserError(
            f"{db.name} is open for writing in {holder}: what that session writes would be "
            f"lost when this run swaps in its copy. Close it (a read-only session, "
            f"`duckdb -readonly {db.name}`, can stay open), then run this again"
        ) from exc


@contextmanager
def private_copy(db: Path) -> Iterator[Path]:
    """A copy of the database to write to, so the original stays untouched until the swap
    (`durable_replace`); none if the database does not exist yet. Refused while another program
    writes to the database, which cannot start writing until the swap (`refuse_writers`). The
    copy's folder is removed on the way out, whatever happens; one left by a killed run is
    removed by the next."""
    copy = private_copy_path(db)
    shutil.rmtree(copy.parent, ignore_errors=True)
    try:
        copy.parent.mkdir()
        if db.exists():
            checkpoint_leftover_wal(db)
            GUARDS[db.resolve()] = refuse_writers(db)
            shutil.copyfile(db, copy)
        yield copy
    finally:
        release_guard(db)
        shutil.rmtree(copy.parent, ignore_errors=True)


def release_guard(db: Path) -> None:
    guard = GUARDS.pop(db.resolve(), None)
    if guard is not None:
        guard.close()


def durable_replace(copy: Path, db: Path) -> None:
    """os.replace, with the new file's data and the rename itself flushed to the disk: after a
    power cut the database is the old file or the new one, whole. Ctrl-C during the rename is
    ignored: the run is done by then, and never reports "unchanged" of a replaced database."""
    with copy.open("rb+") as f:
        os.fsync(f.fileno())
    if os.name == "nt":  # Windows replaces no file that is open; elsewhere the guard stays on
        release_guard(db)
    with sigint_ignored():
        os.replace(copy, db)
    if os.name == "posix":  # a folder cannot be opened for fsync on Windows (nor needs it)
        folder = os.open(db.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


@contextmanager
def sigint_ignored() -> Iterator[None]:
    """Ctrl-C has no effect during the block (main thread only, where Python handles signals)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
