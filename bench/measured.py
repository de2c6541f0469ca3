"""What the bench measures: the steps (each a process, timed and its peak memory read), one run
of a step, a size's results, and the machine and checkout they were measured on. bench/run.py
fills them; bench/report.py sets them beside the targets."""

from __future__ import annotations

import os
import platform
import resource
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GIB = 1024**3
# the tiny export: the untimed warm-up build, and the (z) step
WARM_UP_STREAMS = 2_000

STEPS = {
    "c": "(c) ingest.py",
    "d": "(d) plain dbt build",
    "w": "(w) make build (copy, build, swap)",
    "r": "(r) make run (ingest + make build + tops)",
    "e": "(e) re-ingest (changes nothing)",
    "a": "(a) plain-Python baseline",
    "b": "(b) bare read_json",
    "b2": "(b') read_json, every column as JSON",
    "k": "(k) every row's exact keys (a second pass)",
    "o": "(o) one read: keys and every column as JSON",
    "h": "(h) sha256 of every file",
    "p": "(p) dbt start-up: warm parse, one-model project",
    "p2": "(p') dbt parse of this project (warm)",
    "s": "(s) copy + fsync + swap of the built database",
    "z": f"(z) plain dbt build of {WARM_UP_STREAMS:,} streams (every node, next to no data)",
}
PIPELINE = ("c", "d", "w", "r", "e")


@dataclass
class Run:
    seconds: float
    peak_rss: int  # bytes


@dataclass
class SizeResult:
    n: int
    runs: dict[str, list[Run]] = field(default_factory=dict)
    breakdown: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)
    load: tuple[float, float] = (0.0, 0.0)  # load average before and after
    # share of the machine's CPU (all cores, over the timed runs) used by other work than the
    # bench's own processes; None where /proc/stat is missing
    other_cpu: float | None = None

    def best(self, key: str) -> float:
        return min(r.seconds for r in self.runs[key])

    def worst(self, key: str) -> float:
        return max(r.seconds for r in self.runs[key])

    def rss(self, key: str) -> int:
        return max(r.peak_rss for r in self.runs[key])


# ---- the machine and the checkout measured ------------------------------------------------


def machine_busy_seconds() -> float | None:
    """CPU seconds all cores spent busy since boot (Linux /proc/stat), else None."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    """CPU seconds of the bench and every process it has waited for (their children too)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def git_state() -> str:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()

    dirty = " + uncommitted changes" if git("status", "--porcelain", "--", ".") else ""
    return (
        f"{git('rev-parse', '--short', 'HEAD')} ({git('rev-parse', '--abbrev-ref', 'HEAD')}){dirty}"
    )


def machine() -> list[str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    mem = next(
        (
            int(line.split()[1]) * 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    dbt = subprocess.run([str(BIN / "dbt"), "--version"], capture_output=True, text=True).stdout
    dbt_core = next((ln.split(":")[1].strip() for ln in dbt.splitlines() if "installed" in ln), "?")
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores; memory {mem / GIB:.0f} GiB",
        f"- {platform.platform()}; Python {platform.python_version()}",
        f"- duckdb {duckdb.__version__}; dbt-core {dbt_core}",
    ]
