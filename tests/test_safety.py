"""Never lose data: the safe build (`python -m spotify_history.build`) and ingest, broken on
purpose: readers during a build, kill -9 and Ctrl-C at chosen moments, two runs at once, a
full disk, an ingest during a build. Over 300 lines on purpose: every scenario in one module,
sharing one built database and one dbt parse.

No test sleeps and then hopes: each waits for an event it can see. The build's dbt is a stand-in
(`$SPOTIFY_DBT`, see `gated_dbt`) that says when it started and waits for the test's go before
it runs the real dbt; the build's log, written line by line, shows how far dbt is. Whole-database
checks: rows of every table in every schema plus a checksum of `top_tracks`, before and after.
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

import ingest
from spotify_history import storage
from tests.ingest_fixtures import v1_row, write_json

ROOT = Path(__file__).resolve().parent.parent
DBT = Path(sys.executable).with_name("dbt")
# A part of the project keeps each build short: the wrapper passes dbt's arguments through.
DBT_ARGS = ["--select", "+top_tracks", "--exclude-resource-type", "test", "unit_test"]
WAIT = 120  # seconds: the bound on waiting for any event, never a delay


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


class Build:
    """One `python -m spotify_history.build` run in its own process group; with `gate`, its
    dbt waits for `go()` after it has started (the lock is held and the copy made).

    dbt's target folder is the one beside the database's folder: the tests that use the
    `db` fixture share it, and dbt keeps its parse of the project there, so it parses the
    project once, not once per test."""

    def __init__(
        self,
        db: Path,
        work: Path,
        gate: bool = False,
        env: dict | None = None,
        args=DBT_ARGS,
        pause_at_node: int | None = None,
        real_dbt: bool = True,
    ):
        self.work = work
        work.mkdir(parents=True, exist_ok=True)
        target = db.parent.parent / "target"
        self.log = target / "build.log"
        self.log.unlink(missing_ok=True)  # a log left by an earlier test's build
        env = {**os.environ, **(env or {})}
        if gate:
            then = DBT if real_dbt else Path(env.get("SPOTIFY_DBT") or DBT)
            env["SPOTIFY_DBT"] = str(gated_dbt(work, pause_at_node, then))
        STARTED.append(self)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "spotify_history.build", "--db", str(db), *args,
             "--target-path", str(target)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            start_new_session=True, preexec_fn=interruptible,
        )  # fmt: skip

    def dbt_started(self) -> None:
        wait_for(lambda: (self.work / "started").exists(), "dbt to start")

    def go(self) -> None:
        (self.work / "go").touch()

    def paused(self) -> None:
        """With pause_at_node: dbt has started that node and holds there, mid-build."""
        wait_for(lambda: (self.work / "paused").exists(), "dbt to pause in its build")

    def wait_for_log(self, text: str) -> None:
        wait_for(lambda: self.log.exists() and text in self.log.read_text(), repr(text))

    def finish(self) -> tuple[int, str, str]:
        out, err = self.proc.communicate(timeout=300)
        return self.proc.returncode, out, err

    def dbt_pid(self) -> int:
        return int((self.work / "started").read_text())


STARTED: list[Build] = []


def interruptible() -> None:
    """In the build's process: Ctrl-C as a terminal delivers it, even when pytest itself was
    started with SIGINT ignored (a background job of a shell), which its children inherit."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture(autouse=True)
def no_build_outlives_its_test():
    """A test that fails half-way may leave a build waiting at its gate: stop its process group
    (the wrapper and its dbt)."""
    yield
    while STARTED:
        build = STARTED.pop()
        group = build.proc.pid  # the wrapper leads its own group, its dbt is in it
        alive = build.proc.poll() is None  # not reaped: its pid (the group's id) is not reused
        started = build.work / "started"
        dbt = int(started.read_text()) if started.exists() else None
        with contextlib.suppress(ProcessLookupError):
            if alive or (dbt and running(dbt) and os.getpgid(dbt) == group):
                os.killpg(group, signal.SIGKILL)
        build.proc.wait()


def gated_dbt(work: Path, pause_at_node: int | None = None, then: Path = DBT) -> Path:
    """An executable standing in for dbt: it writes its pid to `started`, waits for `go`, then
    becomes the dbt `then` (exec: same process, same arguments; the real one unless a test
    needs only the gate: tests/warm_dbt.py). With `pause_at_node`, it runs dbt
    in-process instead, and holds the thread that starts that node (writing `paused`) until it is
    stopped: a build interrupted there is surely mid-way, however fast the machine."""
    script = work / "gated_dbt"
    script.write_text(
        f"#!{sys.executable}\n"
        "import os, sys, time\n"
        f"work = {str(work)!r}\n"
        "with open(os.path.join(work, 'started.tmp'), 'w') as f:\n"
        "    f.write(str(os.getpid()))\n"
        "os.replace(os.path.join(work, 'started.tmp'), os.path.join(work, 'started'))\n"
        "while not os.path.exists(os.path.join(work, 'go')):\n"
        "    time.sleep(0.02)\n"
        + (
            f"os.execv({str(then)!r}, [{str(then)!r}, *sys.argv[1:]])\n"
            if pause_at_node is None
            else "from dbt.cli.main import dbtRunner\n"
            "def hold(event):\n"
            "    if event.info.name == 'LogStartLine' and "
            f"event.data.index == {pause_at_node}:\n"
            "        open(os.path.join(work, 'paused'), 'w').close()\n"
            "        while True:\n"
            "            time.sleep(0.05)\n"
            "sys.exit(0 if dbtRunner(callbacks=[hold]).invoke(sys.argv[1:]).success else 1)\n"
        )
    )
    script.chmod(0o755)
    return script


def run_ingest(db: Path, folder: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "ingest.py", "--quiet", "--db", str(db), *extra, str(folder)],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip


def add_export(db: Path, folder: Path, first: int, n: int) -> None:
    write_json(
        folder / "endsong_0.json",
        [v1_row(i, ms_played=60_000 + i) for i in range(first, first + n)],
    )
    assert ingest.main(["--quiet", "--db", str(db), str(folder)]) == 0


def state(db: Path) -> dict[str, int]:
    """Rows of every table in every schema, and the rows and an order-free checksum of the
    top_tracks view."""
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
        rows, checksum = con.execute(
            "select count(*), coalesce(sum(hash(t)), 0) from top_tracks t"
        ).fetchone()
        found["top_tracks rows"], found["top_tracks checksum"] = rows, int(checksum)
        return found
    finally:
        con.close()


def leftovers(folder: Path, db: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith((db.name, f".{db.name}")))


def running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return status not in ("Z", "X")


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> tuple[Path, dict, dict]:
    """A database built from one small export, then given a second one (not yet built): the
    file, its state now (`before`) and its state once built (`after`). Built where every test
    of the module builds (see Build)."""
    tmp = tmp_path_factory.mktemp("safety")
    db = shared_db(tmp)
    add_export(db, tmp / "a", 0, 40)
    code, _, err = Build(db, tmp / "first").finish()
    assert code == 0, err
    add_export(db, tmp / "b", 1000, 25)
    before = state(db)
    base = tmp / "base" / "spotify.duckdb"
    base.parent.mkdir()
    shutil.copyfile(db, base)
    code, _, err = Build(db, tmp / "second").finish()
    assert code == 0, err
    after = state(db)
    assert before["top_tracks checksum"] != after["top_tracks checksum"]  # b changes the tops
    return base, before, after


def shared_db(tmp: Path) -> Path:
    """The one database path of the module, in an emptied folder."""
    folder = tmp / "shared"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    return folder / "spotify.duckdb"


@pytest.fixture
def db(sample) -> Path:
    """A copy of the sample database, at the same path for every test (see Build)."""
    path = shared_db(sample[0].parent.parent)
    shutil.copyfile(sample[0], path)
    return path


READER = """
import duckdb, sys
con = duckdb.connect(sys.argv[1], read_only=True)
q = "select count(*), sum(hash(t))::varchar from top_tracks t"
print(*con.execute(q).fetchone(), flush=True)
sys.stdin.readline()
print(*con.execute(q).fetchone(), flush=True)
"""


def test_a_reader_neither_blocks_a_build_nor_sees_it_half_done(db, sample, tmp_path):
    _, before, after = sample
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        old = reader.stdout.readline().split()
        assert old == [str(before["top_tracks rows"]), str(before["top_tracks checksum"])]
        code, out, err = Build(db, tmp_path / "build").finish()
        assert code == 0, err
        assert "waiting" not in err
        out, _ = reader.communicate("again\n", timeout=60)
        assert out.split() == old  # its open connection still reads the old, whole build
    finally:
        reader.kill()
    assert state(db) == after  # new readers see the new build


def test_kill_9_at_any_moment_keeps_the_previous_data(db, sample, tmp_path):
    """kill -9 of the wrapper: before dbt runs, while it runs, when it has finished. The last
    moment is about the swap, not about dbt's process: it runs on the warm dbt."""
    base, before, after = sample
    moments = {
        "lock held, copy made, dbt not started": lambda b: b.dbt_started(),
        "dbt building its third node": lambda b: (b.go(), b.wait_for_log(" 3 of ")),
        "dbt done, the swap next": lambda b: (b.go(), b.wait_for_log("Completed successfully")),
    }
    for n, (moment, reach) in enumerate(moments.items()):
        build = Build(db, tmp_path / f"kill-{n}", gate=True, real_dbt=n < 2)
        reach(build)
        build.proc.kill()  # SIGKILL to the wrapper alone: the kernel stops its dbt
        build.proc.wait()
        wait_for(lambda b=build: not running(b.dbt_pid()), "the orphaned dbt to stop")
        now = state(db)  # opens, and is the old database or, if the swap was done, the new one
        assert now in (before, after), moment
        if n < 2:
            assert now == before, moment  # these kills really interrupted the build
        shutil.copyfile(base, db)
    code, _, err = Build(db, tmp_path / "last").finish()
    assert code == 0, err
    assert state(db) == after
    assert leftovers(db.parent, db) == ["spotify.duckdb", "spotify.duckdb.lock"]


def test_ctrl_c_during_a_build_is_one_line_and_stops_dbt(db, sample, tmp_path):
    """As a terminal does it: SIGINT to the wrapper and its dbt (one process group)."""
    build = Build(db, tmp_path / "build", gate=True, pause_at_node=2)
    build.go()
    build.paused()
    os.killpg(build.proc.pid, signal.SIGINT)
    code, _, err = build.finish()
    assert code == 130 and "Traceback" not in err
    assert err.splitlines()[-1] == f"interrupted; {db} is unchanged"  # the only line it adds
    assert not running(build.dbt_pid())
    assert state(db) == sample[1]
    assert leftovers(db.parent, db) == ["spotify.duckdb", "spotify.duckdb.lock"]


def test_two_builds_at_once_take_turns(db, sample, tmp_path):
    with storage.database_lock(db, 1):  # a run in progress: both builds must wait for it
        first, second = Build(db, tmp_path / "b1"), Build(db, tmp_path / "b2")
        for build in (first, second):
            assert "waiting for another run on spotify.duckdb to finish" in (
                build.proc.stderr.readline()
            )
    (code1, _, err1), (code2, _, err2) = first.finish(), second.finish()
    assert (code1, code2) == (0, 0), err1 + err2
    assert state(db) == sample[2]
    assert leftovers(db.parent, db) == ["spotify.duckdb", "spotify.duckdb.lock"]


def test_a_build_gives_up_clearly_when_another_run_does_not_end(db, sample, tmp_path):
    with storage.database_lock(db, 1):
        done = subprocess.run(
            [sys.executable, "-m", "spotify_history.build", "--db", str(db), "--wait", "0.5"],
            cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
    assert done.returncode == 2
    assert "another ingest or build is still running after 0.5 s" in done.stderr
    assert state(db) == sample[1]


def test_an_ingest_during_a_build_waits_and_is_not_lost(db, tmp_path):
    """Without the shared lock the build's swap would throw away rows ingested meanwhile."""
    # the gate holds the build while it holds the lock; its dbt need not be the real process
    build = Build(db, tmp_path / "build", gate=True, real_dbt=False)
    build.dbt_started()  # the build holds the lock
    write_json(tmp_path / "c" / "endsong_0.json", [v1_row(i, ms_played=60_000) for i in range(7)])
    ingesting = subprocess.Popen(
        [sys.executable, "ingest.py", "--quiet", "--db", str(db), str(tmp_path / "c")],
        cwd=ROOT, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert "waiting for another run" in ingesting.stderr.readline()
    build.go()
    code, _, err = build.finish()
    assert code == 0, err
    assert ingesting.wait(timeout=300) == 0, ingesting.stderr.read()
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("select count(*) from raw.exports").fetchone()[0] == 3
    finally:
        con.close()


def test_a_failing_data_test_shows_what_it_found(db, tmp_path):
    con = duckdb.connect(str(db))
    con.execute("update raw.files set format = 'bogus' where file_id = 1")
    con.close()
    before = state(db)
    build = Build(db, tmp_path / "build", args=["--select", "+assert_load_manifest_is_consistent"])
    code, _, err = build.finish()
    assert code == 2 and "Traceback" not in err
    lines = err.splitlines()
    at = next(
        i for i, line in enumerate(lines)
        if line.startswith("  test.spotify.assert_load_manifest_is_consistent: ")
    )  # fmt: skip
    assert "Got 1 result" in lines[at]
    found = lines[at + 1]  # what the test found, column=value
    assert found.startswith("      found_in=") and "file_id=1" in found
    assert found.endswith("problem=unknown format")
    assert lines[-1] == f"dbt's full log: {os.path.relpath(build.log, ROOT)}"
    assert state(db) == before


# ---- a full disk ------------------------------------------------------------------------------


def fill(disk: Path, leave: int) -> None:
    """Take all but `leave` bytes of the file system."""
    (disk / "filler").unlink(missing_ok=True)
    free = shutil.disk_usage(disk).free - leave
    with (disk / "filler").open("wb") as f:
        while free > 0:
            chunk = min(free, 1 << 20)
            f.write(b"\0" * chunk)
            free -= chunk


@pytest.fixture
def small_disk(mount_tmpfs, sample) -> tuple[Path, Path]:
    """A 16 MiB file system (root on Linux) at the module's database folder, holding a copy of
    the sample database."""
    db = shared_db(sample[0].parent.parent)
    mount_tmpfs("16m", db.parent)
    shutil.copyfile(sample[0], db)
    return db.parent, db


def test_an_ingest_that_does_not_fit_is_clear_and_keeps_the_data(small_disk, tmp_path):
    disk, db = small_disk
    original = db.read_bytes()
    big = tmp_path / "big"
    rows = [v1_row(i, ms_played=60_000 + i, platform="x" * 200) for i in range(40_000)]
    write_json(big / "endsong_0.json", rows, indent=None)
    for leave in (len(original) // 2, 2 * len(original)):  # no room for the copy; for the rows
        fill(disk, leave)
        done = run_ingest(db, big)
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr
        assert db.read_bytes() == original
        assert leftovers(disk, db) == ["spotify.duckdb", "spotify.duckdb.lock"]


def test_a_build_that_does_not_fit_is_clear_and_keeps_the_data(small_disk, sample, tmp_path):
    disk, db = small_disk
    original = db.read_bytes()
    # no room for the private copy; room for the copy, not for what dbt and the checkpoint write
    # (a tight margin: a rebuild of this small database reuses the free blocks inside the file,
    # so only its write-ahead log needs room)
    for leave in (1 << 16, len(original) + (4 << 10)):
        fill(disk, leave)
        code, _, err = Build(db, tmp_path / f"build-{leave}").finish()
        assert code == 2
        assert "error: " in err and "Traceback" not in err
        assert f"{db} is unchanged" in err
        assert db.read_bytes() == original
        assert state(db) == sample[1]
        assert leftovers(disk, db) == ["spotify.duckdb", "spotify.duckdb.lock"]


# Last: its memory limit changes the profile dbt sees, which costs the next build a full parse.
def test_out_of_memory_says_how_to_raise_the_limit(db, sample, tmp_path):
    code, _, err = Build(db, tmp_path / "build", env={"SPOTIFY_MEMORY_LIMIT": "2MB"}).finish()
    assert code == 2
    assert "DuckDB ran out of memory: raise its limit, e.g. SPOTIFY_MEMORY_LIMIT=2GB" in err
    assert "dbt's full log: " in err and "Traceback" not in err
    assert state(db) == sample[1]  # the previous build, untouched
