"""`make test` itself: sqlfluff runs again only when what its verdict depends on changed, and
the tests that read the built sample wait for its build, which runs beside pytest."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

import pytest

from tests.conftest import wait_for_the_sample_build

ROOT = Path(__file__).resolve().parent.parent


def lint_is_up_to_date(stamp: Path, *changed: str) -> bool:
    """make's own answer (-q), as if the `changed` files had just been written (-W)."""
    whatif = [arg for name in changed for arg in ("-W", name)]
    done = subprocess.run(
        ["make", "--no-print-directory", "-q", *whatif, f"SQL_LINTED={stamp}", str(stamp)],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    return done.returncode == 0


def test_the_sql_is_linted_again_only_when_its_inputs_change(tmp_path):
    stamp = tmp_path / "sql-linted"
    assert not lint_is_up_to_date(stamp)  # never linted
    stamp.touch()  # a clean lint, just now
    assert lint_is_up_to_date(stamp)
    for changed in ("models/marts/top_tracks.sql", "tests/assert_habits_time_adds_up.sql",
                    "macros/cross_engine/sql.sql", ".sqlfluff", ".venv/.installed"):  # fmt: skip
        assert (ROOT / changed).exists(), changed
        assert not lint_is_up_to_date(stamp, changed), changed
    assert lint_is_up_to_date(stamp, "spotify_history/build.py", "README.md")


def test_a_test_waits_for_the_sample_build_and_fails_with_it(tmp_path):
    db = tmp_path / "test.duckdb"
    threading.Timer(0.3, Path(f"{db}.built").touch).start()
    wait_for_the_sample_build(db)  # returns once it is built
    failed = tmp_path / "other.duckdb"
    Path(f"{failed}.failed").touch()
    with pytest.raises(pytest.fail.Exception, match="the sample's build failed"):
        wait_for_the_sample_build(failed)
