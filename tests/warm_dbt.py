"""dbt without its start-up, for the tests: a server that has imported dbt and parsed the project
once forks a child for each run, and a small client stands in for the `dbt` executable
($SPOTIFY_DBT, which every tool honours: spotify_history.cli.dbt_executable).

A new dbt process spends about 3 s of CPU before its first node (2.5 s importing dbt, then
building its serializers and templates on first use): most of a build of the small test
databases, and the suite runs about twenty. The child runs the same dbt command line
(`dbt.cli.main.cli`, what the `dbt` executable runs) with the client's arguments, folder,
environment and standard streams (passed over the socket as file descriptors); the client exits
with dbt's code once the child has exited (DuckDB closes the file at exit, as in dbt itself).
Signals the client gets (Ctrl-C, the SIGTERM of a killed build wrapper) go to the child, and a
child whose client is gone stops.

The real executable still runs where the process is what is tested, and once per `make test` in
full: the sample's build before pytest (every model, unit test and data test), and the safety
tests' gated builds (tests/test_safety.py: kill -9 and Ctrl-C of the wrapper and its dbt).
SPOTIFY_TESTS_REAL_DBT=1 runs the whole suite with the real executable.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
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
    then fork a child per connection, until the process that started this one is gone."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    from dbt.cli.main import dbtRunner

    with tempfile.TemporaryDirectory() as tmp:
        parsed = dbtRunner().invoke(
            ["parse", "--project-dir", str(ROOT), "--target-path", tmp, "--log-path", tmp, "-q"]
        )
    if not parsed.success or DuckDBConnectionManager._ENV is not None:  # no file open to share
        raise SystemExit(f"the warm dbt could not parse the project: {parsed.exception}")
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop(): a clean exit
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(16)
    listener.settimeout(1)
    Path(path + ".ready").touch()
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
    """Run dbt as its executable would, then exit as it does (DuckDB closes its file at exit):
    the code is sent first, and the client returns once the connection closes with the process."""
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
        with contextlib.suppress(OSError):
            conn.sendall(HEADER.pack(code))
    sys.exit(code)  # connection and file closed by the interpreter's exit, as in dbt itself


def stop_when_closed(conn: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while conn.recv(1):
            pass
    os.kill(os.getpid(), signal.SIGTERM)


CLIENT = """\
#!{python} -S
import json, os, signal, socket, struct, sys
header = struct.Struct("!I")
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
    """The server, in its own process, and the client executable that reaches it."""

    def __init__(self, folder: Path):
        self.socket = folder / "dbt.sock"
        self.client = folder / "dbt"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.client.write_text(CLIENT.format(python=sys.executable, path=str(self.socket)))
        self.client.chmod(0o755)
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVE, str(self.socket), str(os.getpid())], cwd=ROOT
        )

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not Path(str(self.socket) + ".ready").exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the warm dbt server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait()
