"""Every example in the README is run, on a copy of the built sample, and what the README shows
as output is what the command prints. The README itself is parsed, so a new example is covered
the day it is written.

What counts as an example: a fenced code block whose lines are commands (`make …`, `python …`,
`.venv/bin/…`, `dbt …`, or `$ ` prompts followed by their output). Each database file a command
names (`spotify.duckdb`, `demo.duckdb`, …) is replaced by the copy, which is also SPOTIFY_DB.
A few examples cannot run here (`make test` is CI itself; `make run EXPORT=~/Downloads/…` needs
your own export): the README marks each one, just above it, with

    <!-- not run by tests/test_readme.py: why; see tests/test_file.py::test_name -->

and every test it names must exist. A ```csv example must have the columns of a file in seeds/;
the `ingest.py` synopsis must name exactly the options of `ingest.py --help`.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
COMMAND = re.compile(r"^(\$ |make\b|python3?\b|\.venv/bin/|dbt\b|[A-Z_]+=\S* )")
FENCE = re.compile(r"^(\s*)```(\w*)\s*$")
NOT_RUN = re.compile(r"<!--\s*not run by tests/test_readme\.py:(.*?)-->", re.DOTALL)
SEE = re.compile(r"see\s+(tests/[\w/]+\.py)(?:::(\w+))?")


@dataclass
class Block:
    line: int  # where it starts in README.md, 1-based
    info: str  # the fence's language: sh, csv, or ""
    lines: list[str]  # its content, the indentation of its fence removed
    not_run: str | None  # the marker's text above it, if any

    @property
    def commands(self) -> list[tuple[str, list[str]]]:
        """(command, the output the README shows for it) of each command of the block."""
        found: list[tuple[str, list[str]]] = []
        prompts = any(line.startswith("$ ") for line in self.lines)
        for line in self.lines:
            if prompts and not line.startswith("$ "):
                if line.strip() and found:
                    found[-1][1].append(line.rstrip())
                continue
            command = line.removeprefix("$ ").strip()
            if command and not command.startswith("#"):
                found.append((command, []))
        return found


def readme_blocks() -> list[Block]:
    text = README.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    at = 0
    while at < len(text):
        opening = FENCE.match(text[at])
        if not opening:
            at += 1
            continue
        indent, info = opening.groups()
        end = next(i for i in range(at + 1, len(text)) if text[i].strip() == "```")
        above = "\n".join(text[max(0, at - 4) : at])
        marker = NOT_RUN.findall(above)
        body = [line.removeprefix(indent) for line in text[at + 1 : end]]
        blocks.append(Block(at + 1, info, body, marker[-1].strip() if marker else None))
        at = end + 1
    return blocks


BLOCKS = readme_blocks()
EXAMPLES = [b for b in BLOCKS if b.info != "csv" and any(COMMAND.match(line) for line in b.lines)]


def test_the_readme_has_examples_to_run():
    assert len([b for b in EXAMPLES if not b.not_run]) >= 3
    assert any(output for b in EXAMPLES for _, output in b.commands)


@pytest.mark.parametrize(
    "block", [b for b in EXAMPLES if b.not_run], ids=lambda b: f"line {b.line}"
)
def test_an_example_not_run_here_names_the_tests_that_cover_it(block):
    named = SEE.findall(block.not_run)
    assert named, f"README.md:{block.line}: the marker must say `see tests/…py::test_…`"
    for path, test in named:
        source = ROOT / path
        assert source.is_file(), f"README.md:{block.line}: {path} does not exist"
        if test:
            assert f"def {test}(" in source.read_text(encoding="utf-8"), (path, test)


def on_the_copy(command: str, db: Path) -> str:
    """The command with every database file it names replaced by `db`, its comment dropped."""
    words = shlex.split(command, comments=True)
    return shlex.join(
        re.sub(r"^(\w+=)?\S*\.duckdb$", lambda m: (m[1] or "") + str(db), word) for word in words
    )


def shown_by_the_cli(output: str) -> list[str]:
    """DuckDB's table as the README shows it: no box borders, no type row."""
    rows = [line.rstrip() for line in output.splitlines() if line.startswith("│")]
    return rows[:1] + rows[2:]


@pytest.mark.parametrize(
    "block", [b for b in EXAMPLES if not b.not_run], ids=lambda b: f"line {b.line}"
)
def test_every_example_runs_and_prints_what_the_readme_shows(block, built_sample_db, tmp_path):
    db = tmp_path / "spotify.duckdb"
    shutil.copy(built_sample_db, db)
    env = {**os.environ, "SPOTIFY_DB": str(db), "DEMO_DB": str(db)}
    for command, shown in block.commands:
        run = on_the_copy(command, db)
        done = subprocess.run(
            run, shell=True, cwd=ROOT, env=env, capture_output=True, text=True,
            stdin=subprocess.DEVNULL, timeout=600,
        )  # fmt: skip
        assert done.returncode == 0, f"README.md:{block.line}: {command}\n{done.stderr}"
        assert "Traceback" not in done.stderr, done.stderr
        if shown:
            assert shown_by_the_cli(done.stdout) == shown, f"README.md:{block.line}: {command}"


@pytest.mark.parametrize(
    "block", [b for b in BLOCKS if b.info == "csv"], ids=lambda b: f"line {b.line}"
)
def test_a_csv_example_has_the_columns_of_its_file(block):
    headers = {
        path.read_text(encoding="utf-8").splitlines()[0]: path.name
        for path in (ROOT / "seeds").glob("*.csv")
    }
    assert block.lines[0] in headers, f"README.md:{block.line}: {block.lines[0]}"


def test_the_ingest_synopsis_names_exactly_its_options():
    synopsis = next(b for b in BLOCKS if b.lines and b.lines[0].startswith("python ingest.py ["))
    usage = subprocess.run(
        [sys.executable, "ingest.py", "--help"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    options = set(re.findall(r"--[a-z-]+", usage)) - {"--help"}
    assert set(re.findall(r"--[a-z-]+", "\n".join(synopsis.lines))) == options
