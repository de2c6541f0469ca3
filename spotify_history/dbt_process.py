"""dbt as a child process of `make build`: its output into the build's log with a progress bar,
stopped with us (Ctrl-C, an error, a kill), and a run that ran out of memory retried one model
at a time."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from spotify_history.dbt_results import load_results, merge_results
from spotify_history.progress import progress_bar

# "12:00:01  3 of 120 OK created sql table model main.plays ........ [OK in 0.12s]"
NODE_DONE = re.compile(r"\b(\d+) of (\d+) (?!START)[A-Z]+\b")


def dbt_dies_with_us() -> Callable[[], None] | None:
    """A preexec_fn for the dbt child: Linux sends it SIGTERM when this process dies, even by
    kill -9, so no orphaned dbt goes on building a copy nobody will use. None elsewhere (no
    such call on other systems; Ctrl-C and errors stop dbt in `run_dbt` on every system)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # only where prctl exists

    parent = os.getpid()
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    pr_set_pdeathsig = 1

    def in_child() -> None:
        prctl(pr_set_pdeathsig, signal.SIGTERM)
        if os.getppid() != parent:  # we died before the line above took effect
            os._exit(1)

    return in_child


def run_dbt(
    args: list[str], env: dict[str, str], cwd: Path, log: Path, show_progress: bool
) -> tuple[int, bool]:
    """Run dbt with its output added to `log`, a bar advancing per finished node; returns dbt's
    exit code and whether DuckDB ran out of memory anywhere in the run. dbt is stopped if this
    is interrupted (Ctrl-C) or fails."""
    out_of_memory = False
    with (
        log.open("a", encoding="utf-8") as out,
        progress_bar(show_progress, unit=" nodes", desc="dbt build") as bar,
    ):
        proc = subprocess.Popen(
            args,
            env={**env, "DBT_USE_COLORS": "false"},
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            preexec_fn=dbt_dies_with_us(),
        )
        try:
            for line in proc.stdout:
                out.write(line)
                out.flush()  # the log is read while dbt runs (tail -f, the tests)
                out_of_memory = out_of_memory or "Out of Memory" in line
                if done := NODE_DONE.search(line):
                    bar.total = int(done[2])
                    bar.update(1)
            proc.wait()
        finally:
            if proc.poll() is None:  # interrupted: stop dbt before its copy is removed
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            proc.stdout.close()
    return proc.returncode, out_of_memory


def retry_one_at_a_time(
    retry: list[str],
    target: Path,
    env: dict[str, str],
    cwd: Path,
    log: Path,
    quiet: bool,
    show: bool,
) -> tuple[int, bool]:
    """DuckDB's memory limit is shared by the models dbt builds at once: what did not fit beside
    another model may fit alone (a long history, a small limit). `retry` (a `dbt retry` command)
    builds the failed and skipped nodes of the run in `target` again, one at a time;
    run_results.json then holds every node's last result, so the summary covers the whole
    build."""
    if not quiet:
        print(
            "DuckDB ran out of memory with two models at once: building what failed again, "
            "one model at a time…",
            file=sys.stderr,
            flush=True,
        )
    first = load_results(target)
    args = [*retry, "--target-path", str(target), "--threads", "1"]
    code, out_of_memory = run_dbt(args, env, cwd, log, show)
    merge_results(target, first)
    return code, out_of_memory
