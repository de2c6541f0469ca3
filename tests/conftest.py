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
