"""Helpers shared by the tests of the daily loop (tests/test_user_loop_*.py) and the end-to-end
tests."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
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


def new_settings_folder() -> Path:
    """A settings folder of a test's own (SPOTIFY_SETTINGS_DIR must name a folder in the project:
    dbt refuses a seed folder outside it), not yet created."""
    return ROOT / "target" / f"test-settings-{uuid.uuid4().hex[:8]}"


@contextmanager
def settings_like_the_examples() -> Iterator[Path]:
    """A new settings folder holding copies of the committed examples (seeds/), removed
    afterwards."""
    folder = new_settings_folder()
    shutil.copytree(ROOT / "seeds", folder)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
