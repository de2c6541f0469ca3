"""Fixtures shared by test modules."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sample.generate import write_sample

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def built_sample_db(tmp_path_factory) -> Path:
    """The bundled sample, ingested and built (models only: dbt's tests run in `make test`).
    Shared by the session: use it read-only, or copy it first."""
    tmp = tmp_path_factory.mktemp("sample-db")
    zips = write_sample(tmp / "zips")
    path = tmp / "spotify.duckdb"
    subprocess.run(
        [sys.executable, "ingest.py", "--quiet", "--db", str(path), *map(str, zips)],
        cwd=ROOT, check=True,
    )  # fmt: skip
    subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), "--quiet", "build",
         "--exclude-resource-type", "test", "unit_test", "--target-path", str(tmp / "target")],
        cwd=ROOT, env={**os.environ, "SPOTIFY_DB": str(path), "DBT_PROFILES_DIR": str(ROOT)},
        check=True,
    )  # fmt: skip
    return path


@pytest.fixture
def mount_tmpfs(tmp_path: Path):
    """mount_tmpfs("6m"): a small file system of that size (root on Linux), for full-disk
    tests; the test is skipped where one cannot be mounted. Unmounted afterwards."""
    mounts: list[Path] = []

    def mount(size: str) -> Path:
        where = tmp_path / f"disk-{len(mounts)}"
        where.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.strip()}")
        mounts.append(where)
        return where

    try:
        yield mount
    finally:
        for where in mounts:
            subprocess.run(["umount", "-l", str(where)], check=False)
