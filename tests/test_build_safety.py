"""spotify_history.build: readers during a build, kill -9 during a build, two runs at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

import ingest
from spotify_history import storage
from tests.ingest_fixtures import v1_row, write_json

ROOT = Path(__file__).resolve().parent.parent
# a subset keeps each build short; the wrapper passes any dbt arguments through
DBT_ARGS = ["--quiet", "--select", "+top_tracks", "--exclude-resource-type", "test", "unit_test"]


def build(db: Path, target: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "spotify_history.build", "--db", str(db), *extra, *DBT_ARGS,
         "--target-path", str(target)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip


def plays(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select sum(play_count)::bigint from top_tracks").fetchone()[0]
    finally:
        con.close()


def add_export(db: Path, folder: Path, first: int, n: int) -> None:
    rows = [v1_row(i, ms_played=60_000 + i) for i in range(first, first + n)]
    write_json(folder / "endsong_0.json", rows)
    assert ingest.main(["--quiet", "--db", str(db), str(folder)]) == 0


@pytest.fixture
def built(tmp_path: Path) -> Path:
    db = tmp_path / "spotify.duckdb"
    add_export(db, tmp_path / "a", 0, 40)
    assert build(db, tmp_path / "target").wait() == 0
    assert plays(db) == 40
    return db


def test_a_reader_holding_the_file_neither_blocks_nor_sees_a_half_build(built, tmp_path):
    add_export(built, tmp_path / "b", 1000, 25)
    reader = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys\n"
         f"con = duckdb.connect({str(built)!r}, read_only=True)\n"
         "q = 'select sum(play_count)::bigint from top_tracks'\n"
         "print(con.execute(q).fetchone()[0], flush=True)\n"
         "sys.stdin.readline()\n"
         "print(con.execute(q).fetchone()[0], flush=True)\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert reader.stdout.readline().strip() == "40"
    proc = build(built, tmp_path / "target")
    assert proc.wait() == 0, proc.stderr.read()
    out, _ = reader.communicate("go\n")
    assert out.strip() == "40"  # the open connection kept the old, complete file
    assert plays(built) == 65  # new readers see the new build


def test_kill_during_a_build_leaves_the_previous_build(built, tmp_path):
    add_export(built, tmp_path / "b", 1000, 25)
    for delay in (1.0, 3.0):
        proc = build(built, tmp_path / "target")
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert plays(built) in (40, 65)  # the old build, or the new one if it had finished
    proc = build(built, tmp_path / "target")
    assert proc.wait() == 0, proc.stderr.read()
    assert plays(built) == 65
    assert not any(p.name.endswith(".build") for p in tmp_path.iterdir())


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in path.read_text().split()] if path.exists() else []


def running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_killing_the_wrapper_stops_its_dbt(built, tmp_path):
    add_export(built, tmp_path / "b", 1000, 25)
    proc = build(built, tmp_path / "target")
    deadline = time.monotonic() + 30
    while not (dbt := children(proc.pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert dbt, "the wrapper never started dbt"
    proc.send_signal(signal.SIGKILL)  # dbt is starting: left alone, it would run for seconds
    proc.wait()
    deadline = time.monotonic() + 2
    while any(map(running, dbt)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(running, dbt)), "dbt kept running after its wrapper was killed"
    assert plays(built) == 40


def test_out_of_memory_says_how_to_raise_the_limit(built, tmp_path):
    add_export(built, tmp_path / "b", 1000, 25)
    proc = subprocess.run(
        [sys.executable, "-m", "spotify_history.build", "--db", str(built), *DBT_ARGS,
         "--target-path", str(tmp_path / "target")],
        cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "SPOTIFY_MEMORY_LIMIT": "2MB"},
    )  # fmt: skip
    assert proc.returncode != 0
    assert "DuckDB ran out of memory: raise its limit, e.g. SPOTIFY_MEMORY_LIMIT=2GB" in proc.stderr
    assert plays(built) == 40  # the previous build, untouched


def test_two_builds_at_once_take_turns(built, tmp_path):
    add_export(built, tmp_path / "b", 1000, 25)
    first = build(built, tmp_path / "t1")
    time.sleep(0.3)
    second = build(built, tmp_path / "t2")
    assert first.wait() == 0 and second.wait() == 0
    assert "waiting for another run" in second.stderr.read()
    assert plays(built) == 65


def test_a_build_gives_up_clearly_when_another_run_does_not_end(built, tmp_path):
    with storage.database_lock(built, 1):
        proc = build(built, tmp_path / "target", "--wait", "0.5")
        assert proc.wait() == 2
        assert "another ingest or build is still running" in proc.stderr.read()
    assert plays(built) == 40


@pytest.fixture
def small_disk(mount_tmpfs) -> Path:
    """A 6 MiB file system, where it can be mounted (root on Linux); skipped elsewhere."""
    return mount_tmpfs("6m")


def test_a_full_disk_is_a_clear_error_and_keeps_the_data(small_disk, tmp_path):
    db = small_disk / "spotify.duckdb"
    add_export(db, tmp_path / "a", 0, 40)
    before = db.read_bytes()
    big = tmp_path / "big"
    rows = [v1_row(i, ms_played=60_000 + i, platform="x" * 200) for i in range(40_000)]
    write_json(big / "endsong_0.json", rows, indent=None)
    done = subprocess.run(
        [sys.executable, "ingest.py", "--db", str(db), str(big)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr
    assert db.read_bytes() == before
    assert sorted(p.name for p in small_disk.iterdir()) == ["spotify.duckdb", "spotify.duckdb.lock"]
    # a build with no room for its private copy says so and leaves the database alone
    filler = small_disk / "filler"
    with filler.open("wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
        except OSError:
            pass
    proc = build(db, tmp_path / "target")
    assert proc.wait() == 2
    err = proc.stderr.read()
    assert err.startswith("error: ") and "is unchanged" in err and "Traceback" not in err
    assert db.read_bytes() == before


def test_an_ingest_during_a_build_waits_and_is_not_lost(built, tmp_path):
    """Without the shared lock the build's swap would throw away rows ingested meanwhile."""
    proc = build(built, tmp_path / "target")
    time.sleep(0.5)
    write_json(tmp_path / "b" / "endsong_0.json", [v1_row(i, ms_played=60_000) for i in range(7)])
    done = subprocess.run(
        [sys.executable, "ingest.py", "--quiet", "--db", str(built), str(tmp_path / "b")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.wait() == 0 and done.returncode == 0, done.stderr
    assert "waiting for another run" in done.stderr
    con = duckdb.connect(str(built), read_only=True)
    try:
        assert con.execute("select count(*) from raw.exports").fetchone()[0] == 2
    finally:
        con.close()
