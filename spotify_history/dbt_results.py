"""What a `dbt build` did, in a few lines: read from dbt's own `run_results.json`, with the full
log's path for the details."""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

FAILED = ("error", "fail", "runtime error")
# resource type in a node's unique_id → how the summary names it
KINDS = {
    "model": "models",
    "seed": "seeds",
    "snapshot": "snapshots",
    "test": "data tests",
    "unit_test": "unit tests",
}
SHORT = 300  # characters of a failing node's message shown; the log has all of it


@dataclass
class Summary:
    log: Path
    seconds: float
    ok: bool
    done: Counter[str] = field(default_factory=Counter)  # successful nodes per kind
    failed: list[tuple[str, str]] = field(default_factory=list)  # (node, message)
    skipped: int = 0
    log_tail: list[str] = field(default_factory=list)  # when dbt wrote no results at all

    def log_name(self) -> str:
        try:
            return os.path.relpath(self.log)
        except ValueError:  # another drive on Windows
            return str(self.log)

    def success_text(self) -> str:
        built = [
            f"{self.done[k]} {KINDS[k]}" for k in ("model", "seed", "snapshot") if self.done[k]
        ]
        tests = [f"{self.done[k]} {KINDS[k]}" for k in ("test", "unit_test") if self.done[k]]
        text = "built " + (" and ".join(built) or "nothing")
        if tests:
            text += "; " + " and ".join(tests) + " passed"
        return f"{text} in {self.seconds:.1f} s (dbt's log: {self.log_name()})"

    def failure_text(self) -> str:
        lines = [f"  {node}: {message}" for node, message in self.failed] or [
            f"  {line}" for line in self.log_tail
        ]
        if self.skipped:
            lines.append(f"  ({self.skipped} nodes skipped because of the failure)")
        lines.append(f"dbt's full log: {self.log_name()}")
        return "\n".join(lines)


def short(message: str | None) -> str:
    text = " ".join((message or "failed").split())
    return text if len(text) <= SHORT else text[: SHORT - 1] + "…"


def read_summary(target: Path, log: Path, seconds: float, exit_code: int) -> Summary:
    """The run's outcome from `<target>/run_results.json` and dbt's exit code; where no node
    names the failure (dbt stopped before running any, e.g. a project that does not parse),
    the last lines of its log do."""
    results_file = target / "run_results.json"
    results = json.loads(results_file.read_text())["results"] if results_file.exists() else []
    summary = Summary(log, seconds, ok=exit_code == 0)
    for result in results:
        kind = result["unique_id"].split(".", 1)[0]
        status = result["status"]
        if status in FAILED:
            summary.ok = False
            summary.failed.append((result["unique_id"], short(result.get("message"))))
        elif status == "skipped":
            summary.skipped += 1
        else:
            summary.done[kind] += 1
    if not summary.ok and not summary.failed:
        tail = [line.rstrip() for line in log.read_text(errors="replace").splitlines() if line]
        summary.log_tail = tail[-8:]
    return summary
