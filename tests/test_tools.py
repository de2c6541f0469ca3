"""Every tool behaves alike: it runs the way its own usage line says, and says "not built yet"
in the same words."""

from __future__ import annotations

import importlib
import shlex
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ["build", "top", "explain", "export", "report", "check_demo_db"]
NOT_BUILT = "yet: run `make build` first"


def usage_line(module) -> list[str]:
    """The first indented line of the module's docstring: its usage, as a command line."""
    line = next(line for line in module.__doc__.splitlines() if line.startswith("    "))
    return shlex.split(line.strip())


@pytest.mark.parametrize("tool", [*TOOLS, "ingest"])
def test_each_tool_runs_as_its_usage_line_says(tool):
    module = importlib.import_module("ingest" if tool == "ingest" else f"spotify_history.{tool}")
    words = usage_line(module)
    command = words[:3] if words[1] == "-m" else words[:2]
    assert command in (["python", "-m", f"spotify_history.{tool}"], ["python", "ingest.py"])
    done = subprocess.run(
        [sys.executable, *command[1:], "--help"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "--debug" in done.stdout


def test_the_makefile_runs_the_tools_as_their_usage_lines_say():
    makefile = (ROOT / "Makefile").read_text()
    for tool in TOOLS:
        assert f"python -m spotify_history.{tool}" in makefile, tool
    assert "scripts" not in makefile


@pytest.mark.parametrize(
    "args",
    [
        ["top"],
        ["explain", "--artist", "x"],
        ["export", "--out", "{tmp}/out"],
        ["report", "--out", "{tmp}/r.html"],
    ],
    ids=lambda a: a[0],
)
def test_one_wording_for_marts_not_built(tmp_path, args):
    db = tmp_path / "spotify.duckdb"
    con = duckdb.connect(str(db))  # ingested, not built
    con.execute("create schema raw; create table raw.exports (export_id int)")
    con.close()
    tool, *rest = args
    done = subprocess.run(
        [sys.executable, "-m", f"spotify_history.{tool}", "--db", str(db),
         *(a.format(tmp=tmp_path) for a in rest)],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {db} has no ") and done.stderr.endswith(f"{NOT_BUILT}\n")
    assert done.stderr.count("\n") == 1


@pytest.mark.parametrize("tool", ["ingest.py", "spotify_history.build", "spotify_history.top"])
def test_a_database_named_like_a_schema_is_refused_by_name(tmp_path, tool):
    """DuckDB names a database after its file: raw.duckdb would make every raw.x ambiguous."""
    db = tmp_path / "raw.duckdb"
    command = [tool] if tool.endswith(".py") else ["-m", tool]
    done = subprocess.run(
        [sys.executable, *command, "--db", str(db)], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 2
    assert f"{db}: DuckDB names a database after its file" in done.stderr
    assert "choose another file name" in done.stderr and "Traceback" not in done.stderr
    assert not db.exists()


def test_a_python_file_over_300_lines_says_why_at_its_top():
    """The codebase's rule for newcomers: a module longer than ~300 lines states its reason in
    its docstring ("Over 300 lines on purpose: ..."), or is split."""
    tracked = subprocess.run(
        ["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    long_without_reason = []
    for name in tracked:
        text = (ROOT / name).read_text()
        head = text.split('"""')[1] if text.startswith('"""') else ""
        if text.count("\n") > 300 and "Over 300 lines on purpose" not in head:
            long_without_reason.append(name)
    assert tracked and long_without_reason == []
