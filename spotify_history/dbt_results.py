"""What a `dbt build` did, in a few lines: read from dbt's own `run_results.json`, with the full
log's path for the details."""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

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
SAMPLE_ROWS = 5  # rows shown of what a failing data test found


@dataclass
class Summary:
    log: Path
    seconds: float
    ok: bool
    done: Counter[str] = field(default_factory=Counter)  # successful nodes per kind
    failed: list[tuple[str, str]] = field(default_factory=list)  # (node, message)
    failing_sql: dict[str, str] = field(default_factory=dict)  # failed data test → its query
    found: dict[str, list[str]] = field(default_factory=dict)  # failed data test → rows it found
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
        lines = [f"  {line}" for line in self.log_tail]
        for node, message in self.failed:
            lines.append(f"  {node}: {message}")
            lines += [f"      {row}" for row in self.found.get(node, [])]
        if self.skipped:
            lines.append(f"  ({self.skipped} nodes skipped because of the failure)")
        lines.append(f"dbt's full log: {self.log_name()}")
        return "\n".join(lines)


def short(message: str | None, width: int = SHORT) -> str:
    text = " ".join((message or "failed").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def load_results(target: Path) -> list[dict]:
    """The node results of the run whose run_results.json is in `target` ([] if none)."""
    results_file = target / "run_results.json"
    return json.loads(results_file.read_text())["results"] if results_file.exists() else []


def merge_results(target: Path, earlier: list[dict]) -> None:
    """After `dbt retry`: run_results.json holds every node's last result, the earlier run's
    for the nodes the retry did not run."""
    results_file = target / "run_results.json"
    if results_file.exists():
        again = json.loads(results_file.read_text())
        latest = {r["unique_id"]: r for r in earlier + again["results"]}
        results_file.write_text(json.dumps({**again, "results": list(latest.values())}))


def read_summary(target: Path, log: Path, seconds: float, exit_code: int) -> Summary:
    """The run's outcome from `<target>/run_results.json` and dbt's exit code; where no node
    names the failure (dbt stopped before running any, e.g. a project that does not parse),
    the last lines of its log do."""
    results = load_results(target)
    summary = Summary(log, seconds, ok=exit_code == 0)
    for result in results:
        kind = result["unique_id"].split(".", 1)[0]
        status = result["status"]
        if status in FAILED:
            summary.ok = False
            summary.failed.append((result["unique_id"], short(result.get("message"))))
            if kind == "test" and status == "fail" and result.get("compiled_code"):
                summary.failing_sql[result["unique_id"]] = result["compiled_code"]
        elif status == "skipped":
            summary.skipped += 1
        else:
            summary.done[kind] += 1
    if not summary.ok and not summary.failed:
        tail = [line.rstrip() for line in log.read_text(errors="replace").splitlines() if line]
        summary.log_tail = tail[-8:]
    return summary


def show_what_failing_tests_found(summary: Summary, db: Path) -> None:
    """The first rows each failed data test found ("Got 3 results" says only how many), read
    from the database the build wrote (before it is thrown away), as `column=value` lines."""
    if not summary.failing_sql:
        return
    con = duckdb.connect(str(db), read_only=True)
    try:
        for node, sql in summary.failing_sql.items():
            query = f"select * from (\n{sql.strip().rstrip(';')}\n) limit {SAMPLE_ROWS}"
            try:
                cursor = con.execute(query)
            except duckdb.Error:
                continue  # the test's own message still says what failed
            names = [d[0] for d in cursor.description]
            summary.found[node] = [
                short(", ".join(f"{n}={v}" for n, v in zip(names, row, strict=True)), 160)
                for row in cursor.fetchall()
            ]
    finally:
        con.close()
