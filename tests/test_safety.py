"""Never lose data: `spotify_history.build` on the real sample, broken on purpose.

Complements test_build_safety.py (small fixtures, lock time-out, ingest during a build, no room
for the copy) with the full sample and whole-database checks: row counts of every table in
every schema plus a checksum of `top_tracks`, before and after. The privacy audit of every
column of every table is test_end_to_end.py::test_no_personal_data_anywhere_unless_asked.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from sample.generate import write_sample

ROOT = Path(__file__).resolve().parent.parent
# Models only: data tests read and never change the database, and `make test` runs them all.
DBT_ARGS = ["--quiet", "--exclude-resource-type", "test", "unit_test"]

pytestmark = pytest.mark.slow  # about 90 s on 2 cores: a dozen dbt builds


def start_build(db: Path, target: Path) -> subprocess.Popen:
    """`python -m spotify_history.build` in its own process group (so a test can clean up the dbt
    child that a kill -9 of the wrapper orphans)."""
    return subprocess.Popen(
        [sys.executable, "-m", "spotify_history.build", "--db", str(db), *DBT_ARGS,
         "--target-path", str(target)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )  # fmt: skip


def finish(proc: subprocess.Popen) -> tuple[int, str]:
    out, err = proc.communicate(timeout=300)
    return proc.returncode, out + err


def ingest(db: Path, *zips: Path) -> None:
    subprocess.run(
        [sys.executable, "ingest.py", "--quiet", "--db", str(db), *map(str, zips)],
        cwd=ROOT,
        check=True,
    )


def state(db: Path) -> dict[str, int]:
    """Rows of every table in every schema, and an order-free checksum of top_tracks."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = current_database() order by all"
        ).fetchall()
        found = {
            f"{s}.{t}": con.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0]
            for s, t in tables
        }
        found["top_tracks checksum"] = int(
            con.execute("select sum(hash(t)) from top_tracks t").fetchone()[0]
        )
        return found
    finally:
        con.close()


def leftovers(folder: Path, db: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith((db.name, f".{db.name}")))


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    """A database built from downloads 01–08, then given download 09 (not yet built), with
    its state now (`before`), its state once built (`after`) and how long a build takes."""
    tmp = tmp_path_factory.mktemp("safety")
    zips = write_sample(tmp / "zips")
    base = tmp / "base.duckdb"
    ingest(base, *zips[:-1])
    code, out = finish(start_build(base, tmp / "target"))
    assert code == 0, out
    ingest(base, zips[-1])
    before = state(base)
    ref = tmp / "ref" / "spotify.duckdb"
    ref.parent.mkdir()
    shutil.copyfile(base, ref)
    started = time.monotonic()
    code, out = finish(start_build(ref, tmp / "target"))
    seconds = time.monotonic() - started
    assert code == 0, out
    after = state(ref)
    assert before["top_tracks checksum"] != after["top_tracks checksum"]  # 09 changes the tops
    return base, before, after, seconds


@pytest.fixture
def db(sample_db, tmp_path) -> Path:
    path = tmp_path / "spotify.duckdb"
    shutil.copyfile(sample_db[0], path)
    return path


READER = """
import duckdb, sys
con = duckdb.connect(sys.argv[1], read_only=True)
q = "select count(*), sum(hash(t))::varchar from top_tracks t"
print(*con.execute(q).fetchone(), flush=True)
sys.stdin.readline()
print(*con.execute(q).fetchone(), flush=True)
"""


def test_a_reader_neither_blocks_a_build_nor_sees_it_half_done(db, sample_db, tmp_path):
    _, before, after, seconds = sample_db
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        old = reader.stdout.readline().split()
        assert old == [str(before["main.top_tracks"]), str(before["top_tracks checksum"])]
        started = time.monotonic()
        code, out = finish(start_build(db, tmp_path / "target"))
        assert code == 0, out
        assert "waiting" not in out
        assert time.monotonic() - started < seconds * 2 + 10  # not held up by the reader
        out, _ = reader.communicate("again\n", timeout=60)
        assert out.split() == old  # its open connection still reads the old, whole build
    finally:
        reader.kill()
    assert state(db) == after  # new readers see the new build


def test_kill_9_at_any_moment_keeps_the_previous_data(db, sample_db, tmp_path):
    _, before, after, seconds = sample_db
    outcomes = []
    for fraction in (0.05, 0.3, 0.55, 0.8, 0.97):
        proc = start_build(db, tmp_path / "target")
        time.sleep(seconds * fraction)
        proc.kill()  # SIGKILL to the wrapper alone; its dbt child is orphaned and runs on
        proc.wait()
        now = state(db)  # opens, and is the old database or, if the swap was done, the new
        assert now in (before, after), f"kill at {fraction:.0%} of a build"
        outcomes.append(now == after)
        with contextlib.suppress(ProcessLookupError):  # clean up the orphan before the next trial
            os.killpg(proc.pid, signal.SIGKILL)
        assert state(db) == now  # the orphan never touched the database
        if now == after:  # start the next trial from the old data again
            shutil.copyfile(sample_db[0], db)
    assert outcomes[:3] == [False] * 3, outcomes  # the early kills really interrupted a build
    code, out = finish(start_build(db, tmp_path / "target"))
    assert code == 0, out
    assert state(db) == after
    assert leftovers(tmp_path, db) == ["spotify.duckdb", "spotify.duckdb.lock"]


def test_two_builds_at_once_take_turns(db, sample_db, tmp_path):
    first = start_build(db, tmp_path / "t1")
    time.sleep(1)
    second = start_build(db, tmp_path / "t2")
    (code1, out1), (code2, out2) = finish(first), finish(second)
    assert (code1, code2) == (0, 0), out1 + out2
    assert "waiting for another run on spotify.duckdb to finish" in out2
    assert state(db) == sample_db[2]
    assert leftovers(tmp_path, db) == ["spotify.duckdb", "spotify.duckdb.lock"]


@pytest.fixture
def small_disk(mount_tmpfs) -> Path:
    """A small tmpfs (we may be root on Linux); skipped where it cannot be mounted."""
    return mount_tmpfs("64m")


def fill(disk: Path, leave: int) -> None:
    """Take all but `leave` bytes of the file system."""
    free = shutil.disk_usage(disk).free - leave
    with (disk / "filler").open("wb") as f:
        f.truncate(0)
        while free > 0:
            chunk = min(free, 1 << 20)
            f.write(b"\0" * chunk)
            free -= chunk


def test_a_disk_full_during_dbt_is_clear_and_keeps_the_data(small_disk, sample_db, tmp_path):
    """The private copy fits, but dbt's writes to it do not."""
    db = small_disk / "spotify.duckdb"
    shutil.copyfile(sample_db[0], db)
    fill(small_disk, db.stat().st_size + 256 * 1024)
    original = db.read_bytes()
    code, out = finish(start_build(db, tmp_path / "target"))
    assert code != 0
    assert "Traceback" not in out
    assert f"dbt build failed: {db} is unchanged." in out
    assert db.read_bytes() == original
    assert state(db) == sample_db[1]
    assert leftovers(small_disk, db) == ["spotify.duckdb", "spotify.duckdb.lock"]


def test_an_ingest_whose_copy_does_not_fit_leaves_no_partial_file(small_disk, sample_db):
    db = small_disk / "spotify.duckdb"
    shutil.copyfile(sample_db[0], db)
    zips = sorted((sample_db[0].parent / "zips").glob("*.zip"))
    fill(small_disk, db.stat().st_size // 2)
    original = db.read_bytes()
    done = subprocess.run(
        [sys.executable, "ingest.py", "--db", str(db), *map(str, zips)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr
    assert db.read_bytes() == original
    assert leftovers(small_disk, db) == ["spotify.duckdb", "spotify.duckdb.lock"]
