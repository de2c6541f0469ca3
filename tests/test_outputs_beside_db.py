"""Outputs go next to the database they come from: `make report` and `make export` with two
databases in two folders write two reports and two export folders, each beside its own database,
say where, and write nothing into the repository folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent


def make(target: str, db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", target, *args],
        cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "SPOTIFY_DB": str(db)},
    )  # fmt: skip


def test_two_databases_in_two_folders_keep_their_own_report_and_exports(built_sample_db, tmp_path):
    first = tmp_path / "first folder" / "spotify.duckdb"
    second = tmp_path / "second" / "family.duckdb"
    for db in (first, second):
        db.parent.mkdir()
        shutil.copy(built_sample_db, db)
    con = duckdb.connect(str(second))  # something only the second database holds
    con.execute("update wrapped set top_artists = list_prepend('Only In Second', top_artists)")
    con.close()
    repository_before = sorted(p.name for p in ROOT.iterdir())

    for db in (first, second):
        report = make("report", db)
        assert report.returncode == 0, report.stderr
        where = db.parent / f"{db.stem}-report.html"
        assert f"wrote {where} (" in report.stdout
        exported = make("export", db, "FORMAT=csv")
        assert exported.returncode == 0, exported.stderr
        folder = db.parent / f"{db.stem}-exports"
        assert exported.stdout.splitlines()[-1] == f"wrote 24 csv files to {folder}{os.sep}"
        assert (folder / "top_tracks.csv").is_file()

    assert sorted(p.name for p in first.parent.iterdir()) == [
        "spotify-exports", "spotify-report.html", "spotify.duckdb",
    ]  # fmt: skip
    assert sorted(p.name for p in second.parent.iterdir()) == [
        "family-exports", "family-report.html", "family.duckdb",
    ]  # fmt: skip
    assert "Only In Second" in (second.parent / "family-report.html").read_text(encoding="utf-8")
    assert "Only In Second" not in (first.parent / "spotify-report.html").read_text(
        encoding="utf-8"
    )
    assert "Only In Second" in (second.parent / "family-exports" / "wrapped.csv").read_text()
    assert "Only In Second" not in (first.parent / "spotify-exports" / "wrapped.csv").read_text()
    assert sorted(p.name for p in ROOT.iterdir()) == repository_before


def test_a_path_given_wins(built_sample_db, tmp_path):
    out = tmp_path / "elsewhere" / "mine.html"
    folder = tmp_path / "elsewhere" / "files"
    for tool, where in (("report", out), ("export", folder)):
        done = subprocess.run(
            [sys.executable, "-m", f"spotify_history.{tool}", "--db", str(built_sample_db),
             "--out", str(where)],
            cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert str(where) in done.stdout.splitlines()[-1]
    assert out.is_file() and (folder / "plays.parquet").is_file()
    beside = [p.name for p in built_sample_db.parent.iterdir()]
    assert not [name for name in beside if "report" in name or "exports" in name]


def test_the_demo_says_where_its_report_is(tmp_path):
    """`make demo`'s last lines name the report it wrote, beside the demo's database: the recipe
    as make would run it (`make -n` prints it without running it), its echo lines run by bash."""
    db = tmp_path / "a folder" / "sample.duckdb"
    env = {**os.environ, "DEMO_DB": str(db)}
    done = subprocess.run(
        ["make", "--no-print-directory", "-n", "demo"], cwd=ROOT, capture_output=True, text=True,
        env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    recipe = done.stdout.splitlines()
    report = [line for line in recipe if "spotify_history.report" in line]
    assert len(report) == 1 and "--out" not in report[0]  # the report goes beside the database
    said = subprocess.run(
        ["bash", "-c", "\n".join(line for line in recipe if line.startswith("echo "))],
        env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert f"Open {tmp_path / 'a folder' / 'sample-report.html'} in a browser" in said
