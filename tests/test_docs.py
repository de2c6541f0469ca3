"""`make docs`: dbt's documentation site as one file beside the database, opened in headless
Chromium as a person would: a mart's description and its column types show, the lineage graph
draws, with no console error and no request outside the file. The database is only read."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests import test_report

browser = test_report.browser  # the fixture: one Chromium for this module
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def docs(built_sample_db, tmp_path_factory) -> tuple[Path, Path]:
    """`make docs` on a copy of the sample in a folder of its own: (database, the file it says
    it wrote)."""
    db = tmp_path_factory.mktemp("docs") / "family.duckdb"
    shutil.copy(built_sample_db, db)
    before = db.read_bytes()
    reader = duckdb.connect(str(db), read_only=True)  # a CLI left open meanwhile
    try:
        done = subprocess.run(
            ["make", "--no-print-directory", "docs"], cwd=ROOT, capture_output=True, text=True,
            env={**os.environ, "SPOTIFY_DB": str(db)},
        )  # fmt: skip
    finally:
        reader.close()
    assert done.returncode == 0, done.stdout + done.stderr
    out = db.parent / "family-docs.html"
    assert done.stdout.splitlines()[-1].startswith(f"wrote {out} (")
    assert db.read_bytes() == before  # read-only: not a byte changed
    assert sorted(p.name for p in db.parent.iterdir()) == ["family-docs.html", "family.duckdb"]
    return db, out


def test_the_browser_itself_refuses_any_request_elsewhere(docs):
    _, out = docs
    page = out.read_text(encoding="utf-8")
    head = page[page.index("<head>") : page.index("<script")]
    assert "Content-Security-Policy" in head and "default-src 'none'" in head  # before any script
    assert (
        "connect-src" not in head and "http" not in head.split("Content-Security-Policy")[1][:200]
    )


def open_docs(browser, path: Path, route: str):
    """Open the file at one of its pages; returns (page, console errors, requests elsewhere)."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    errors: list[str] = []
    elsewhere: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    url = path.resolve().as_uri()
    page.on("request", lambda r: elsewhere.append(r.url) if r.url.split("#")[0] != url else None)
    page.goto(f"{url}#!/{route}")
    return page, errors, elsewhere


@pytest.fixture(scope="module")
def top_tracks_page(browser, docs):
    """The file opened at top_tracks' page, once for the module's tests (in file order: the
    lineage graph's test opens the graph over it)."""
    _, out = docs
    return open_docs(browser, out, "model/model.spotify.top_tracks")


def test_a_marts_description_and_column_types_show(docs, top_tracks_page):
    db, _ = docs
    con = duckdb.connect(str(db), read_only=True)
    (comment,) = con.execute(
        "select comment from duckdb_views() where view_name = 'top_tracks'"
    ).fetchone()  # dbt wrote the same description into the database
    con.close()
    first_words = comment.split("`")[0].strip()  # up to the first code span
    assert len(first_words) > 30
    page, errors, elsewhere = top_tracks_page
    page.get_by_text(first_words).first.wait_for()
    columns = page.locator("table").filter(has_text="play_count").first.inner_text()
    assert "BIGINT" in columns and "VARCHAR" in columns  # types from the database's catalog
    assert errors == [] and elsewhere == []


def test_the_lineage_graph_draws(top_tracks_page):
    page, errors, elsewhere = top_tracks_page
    page.locator(".launcher-btn").click()
    # cytoscape draws on canvases: wait until one of them has ink on it
    page.wait_for_function(
        """() => [...document.querySelectorAll('#cy canvas')].some(c => {
            const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            for (let i = 3; i < px.length; i += 4) if (px[i] > 0) return true;
            return false;
        })""",
        timeout=30_000,
    )
    # what it drew: the mart, what it is built from and what reads it (dbt's graph service)
    drawn = page.evaluate(
        "angular.element(document.body).injector().get('graph').graph.elements"
        ".map(e => [e.group, e.data.label || ''])"
    )
    nodes = {label for group, label in drawn if group == "nodes"}
    assert {"top_tracks", "top_tracks_by_period"} <= nodes, nodes
    assert sum(group == "edges" for group, _ in drawn) >= 1
    assert errors == [] and elsewhere == []


def test_a_missing_database_is_one_line_and_nothing_is_created(tmp_path):
    db = tmp_path / "nothing.duckdb"
    done = subprocess.run(
        [sys.executable, "-m", "spotify_history.docs", "--db", str(db)],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1].startswith(f"error: {db} does not exist: run `make demo`")
    assert list(tmp_path.iterdir()) == []  # no empty database, no page
