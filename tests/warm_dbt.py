"""dbt without its start-up, for the tests: a server that has imported dbt and parsed the project
once forks a child for each run, and a small client stands in for the `dbt` executable
($SPOTIFY_DBT, which every tool honours: spotify_history.cli.dbt_executable).

A new dbt process spends about 3 s of CPU before its first node (2.5 s importing dbt, then
building its serializers and templates on first use): a third or more of a build of the
small test databases, and the suite runs about twenty. The child runs the same dbt command line
(`dbt.cli.main.cli`, what the `dbt` executable runs) with the client's arguments, folder,
environment and standard streams (passed over the socket as file descriptors); the client exits
with dbt's code once the child has exited (after its exit functions: DuckDB's file is closed).
Signals the client gets (Ctrl-C, the SIGTERM of a killed build wrapper) go to the child, and a
child whose client is gone stops.

The real executable still runs where the process is what is tested, and once per `make test` in
full: the sample's build beside pytest (every model, unit test and data test), and the safety
tests' gated builds (tests/test_safety.py: kill -9 and Ctrl-C of the wrapper and its dbt).
SPOTIFY_TESTS_REAL_DBT=1 runs the whole suite with the real executable.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = struct.Struct("!I")


def receive(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def serve(path: str, parent: int) -> None:
    """Import dbt and parse the project once (dbt builds much of its machinery on first use),
    then fork a child per connection, until the process that started this one is gone. The
    parse is made as the build wrapper's dbt would see the project (its private copy's name):
    a build's new target folder can start from it (WarmDbt.parsed)."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    from dbt.cli.main import dbtRunner

    from spotify_history.storage import PRIVATE_COPY_NAME

    target = Path(path).parent / "parse"
    os.environ["SPOTIFY_DB"] = PRIVATE_COPY_NAME
    os.environ.setdefault("DBT_PROFILES_DIR", str(ROOT))
    done = dbtRunner().invoke(
        ["parse", "--project-dir", str(ROOT), "--target-path", str(target), "--log-path",
         str(target), "-q"]
    )  # fmt: skip
    if not done.success or DuckDBConnectionManager._ENV is not None:  # no open file to share
        raise SystemExit(f"the warm dbt could not parse the project: {done.exception}")
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop(): a clean exit
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(16)
    listener.settimeout(1)
    Path(path + ".ready").write_text(str(os.getpid()))  # WarmDbt.ready
    while os.getppid() == parent:
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            continue
        if os.fork() == 0:
            listener.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            run_child(conn)
        conn.close()


def run_child(conn: socket.socket) -> None:
    """Run dbt as its executable would, then exit as it does; the client returns once the
    connection closes with the process."""
    code = 2
    try:
        conn.settimeout(None)
        size = HEADER.unpack(receive(conn, HEADER.size))[0]
        message, fds, _, _ = socket.recv_fds(conn, size, 3)
        while len(message) < size:
            message += receive(conn, size - len(message))
        request = json.loads(message)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        conn.sendall(HEADER.pack(os.getpid()))
        # the client gone (killed): stop, as a dbt whose parent died would be stopped
        threading.Thread(target=stop_when_closed, args=(conn,), daemon=True).start()
        sys.argv = ["dbt", *request["args"]]
        from dbt.cli.main import cli

        try:
            cli.main(request["args"], prog_name="dbt")
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    finally:
        # dbt's exit, without the C++ destructors of threads the server started (they abort a
        # fork): the exit functions close DuckDB's file, then the code goes back
        atexit._run_exitfuncs()
        gc.collect()
        sys.stdout.flush()
        sys.stderr.flush()
        with contextlib.suppress(OSError):
            conn.sendall(HEADER.pack(code))
        os._exit(code)


def stop_when_closed(conn: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while conn.recv(1):
            pass
    os.kill(os.getpid(), signal.SIGTERM)


CLIENT = """\
#!{python} -S
import json, os, signal, socket, struct, sys, time
header = struct.Struct("!I")
deadline = time.monotonic() + 120  # the server imports dbt and parses first
while not os.path.exists({path!r} + ".ready"):
    if time.monotonic() > deadline:
        sys.exit("the warm dbt server did not start: see tests/warm_dbt.py")
    time.sleep(0.05)
conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
conn.connect({path!r})
message = json.dumps({{"args": sys.argv[1:], "cwd": os.getcwd(), "env": dict(os.environ)}}).encode()
conn.sendall(header.pack(len(message)))
socket.send_fds(conn, [message], [0, 1, 2])
def receive():
    data = b""
    while len(data) < header.size:
        chunk = conn.recv(header.size - len(data))
        if not chunk:
            return None
        data += chunk
    return header.unpack(data)[0]
child = receive()
if child is None:
    sys.exit("the warm dbt run ended before it started: see tests/warm_dbt.py")
def forward(number, frame):
    os.kill(child, number)
for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
    signal.signal(number, forward)
code = receive()
while conn.recv(1):  # closed when the child has exited
    pass
sys.exit(128 + signal.SIGTERM if code is None else code)
"""


SERVE = "import sys; from tests.warm_dbt import serve; serve(sys.argv[1], int(sys.argv[2]))"


class WarmDbt:
    """The server (started in its own process by `start`) and the client that reaches it, in
    `folder`."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.socket = folder / "dbt.sock"
        self.ready = folder / "dbt.sock.ready"
        self.client = folder / "dbt"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.client.write_text(CLIENT.format(python=sys.executable, path=str(self.socket)))
        self.client.chmod(0o755)
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVE, str(self.socket), str(os.getpid())], cwd=ROOT
        )

    def children(self) -> set[int]:
        """The dbt runs (children) the server has now."""
        server = int(self.ready.read_text())
        found = Path(f"/proc/{server}/task/{server}/children").read_text().split()
        return {int(pid) for pid in found}

    def parsed(self) -> Path:
        return self.folder / "parse" / "partial_parse.msgpack"

    def wait_ready(self, timeout: float = 120) -> bool:
        """Whether the server has parsed the project and listens, within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while not self.ready.exists():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def when_ready(self, then: Callable[[], None]) -> None:
        """Call `then` once the server has parsed the project (in a thread: tests go on; if it
        never does, the client says so to the build that needs it)."""

        def wait() -> None:
            if self.wait_ready():
                then()

        threading.Thread(target=wait, daemon=True).start()

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait()
