"""Another program holding the database (issue 16): a read-write DuckDB CLI session makes
`make build` refuse, naming it, and keeps its own tables; a read-only one makes a plain `dbt
build` give up within the time the README states (10 s of waiting), naming it and saying to run
`make build`, where it once printed nothing for ten minutes. The test waits 2 s
(SPOTIFY_READER_WAIT) and checks that the profile's own wait, without it, is the README's 10 s."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import jinja2
import pytest
import yaml

from spotify_history.cli import dbt_executable
from tests.user_loop import copy_of

ROOT = Path(__file__).resolve().parent.parent
DUCKDB_CLI = Path(sys.executable).with_name("duckdb")
# Far above the bound (dbt's start-up, then the wait): only a hang reaches it.
HANG = 240
WAIT = 2  # seconds the test's dbt waits for the reader (SPOTIFY_READER_WAIT)


@contextmanager
def cli_session(db: Path, *options: str, first: str = "") -> Iterator[subprocess.Popen]:
    """The DuckDB CLI with `db` open, as a person leaves it open in a terminal; `first` is run
    at once. Yields when the CLI has said it is ready, which it does after opening the file."""
    cli = subprocess.Popen(
        [str(DUCKDB_CLI), *options, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    cli.stdin.write(f"{first}\n.print ready\n")
    cli.stdin.flush()
    try:
        said = []
        while not said or said[-1].strip() != "ready":
            said.append(cli.stdout.readline())
            assert said[-1], "the DuckDB CLI ended before it was ready: " + "".join(said)
        yield cli
    finally:
        cli.stdin.close()
        cli.wait(timeout=60)
        cli.stdout.close()


def holder_pid(message: str, db: Path) -> int:
    """The PID a message names, checked to be a process that has `db` open."""
    found = re.search(r"duckdb \(PID (\d+)\)", message)
    assert found, message
    pid = int(found[1])
    assert str(db) in Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
    return pid


@pytest.fixture
def db(tmp_path, built_sample_db) -> Path:
    return copy_of(built_sample_db, tmp_path)


def test_make_build_refuses_while_a_session_writes_and_its_tables_survive(db):
    env = {**os.environ, "SPOTIFY_SETTINGS_DIR": "seeds"}
    env.pop("MAKEFLAGS", None)
    # checkpointed: no .wal beside the file, so only the session's lock tells it is there
    first = "create table main.my_notes as select 'mine' as note; checkpoint;"
    with cli_session(db, first=first) as cli:
        before = db.read_bytes()
        done = subprocess.run(
            ["make", "--no-print-directory", "-C", str(ROOT), "build", f"SPOTIFY_DB={db}"],
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode != 0
        assert "is open for writing in" in done.stderr and "-readonly" in done.stderr
        holder_pid(done.stderr, db)
        assert db.read_bytes() == before  # the build did not swap anything in
        cli.stdin.write("insert into main.my_notes values ('written after');\n")
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("select note from main.my_notes order by 1").fetchall() == [
            ("mine",),
            ("written after",),
        ]
    finally:
        con.close()


def test_plain_dbt_build_gives_up_on_a_reader_and_says_what_to_do(db, tmp_path):
    env = {
        **os.environ,
        "SPOTIFY_DB": str(db),
        "SPOTIFY_SETTINGS_DIR": "seeds",
        "DBT_PROFILES_DIR": str(ROOT),
        "SPOTIFY_READER_WAIT": str(WAIT),
    }
    dbt = dbt_executable()  # plain dbt (in the suite, the warm one: tests/warm_dbt.py)
    with cli_session(db, "-readonly"):
        try:
            done = subprocess.run(
                [dbt, "build", "--target-path", str(tmp_path / "target")],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=HANG,
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"a plain dbt build was still waiting after {HANG} s")
        out = done.stdout + done.stderr
        assert done.returncode != 0, out
        assert f"gave up after waiting {WAIT} s" in out and "Run `make build` instead" in out, out
        holder_pid(out, db)
    assert "Traceback" not in out


def test_a_plain_dbt_build_waits_10_s_for_a_reader_unless_told_otherwise():
    """The README's 10 s: the profile's wait when SPOTIFY_READER_WAIT is not set."""
    local = yaml.safe_load((ROOT / "profiles.yml").read_text())["spotify"]["outputs"]["local"]
    (plugin,) = local["plugins"]
    assert plugin["module"] == "spotify_history.dbt_connect"
    wait = plugin["config"]["wait_seconds"]
    env = {k: v for k, v in os.environ.items() if k != "SPOTIFY_READER_WAIT"}
    rendered = jinja2.Template(wait).render(
        env_var=lambda name, default=None: env.get(name, default)
    )
    assert float(rendered) == 10
