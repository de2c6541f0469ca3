"""Helpers shared by the tests of the daily loop (tests/test_user_loop_*.py) and the end-to-end
tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def copy_of(built_sample_db: Path, folder: Path) -> Path:
    """A copy of the session's built sample to write to."""
    copy = folder / "spotify.duckdb"
    shutil.copyfile(built_sample_db, copy)
    return copy
