"""`make report`: one self-contained HTML file, checked as a person would see it.

The report of the built sample is opened in headless Chromium (Debian's `chromium`, which
`make test` installs): every chart must render with the marts' numbers, with no console error
and no network request, on a desktop and on a phone-sized screen; a year picked above the charts
shows that year's marts rows. Screenshots are saved under target/test-output/ (the README's
picture is one of them).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from spotify_history.report import write_report

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "target" / "test-output"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Started as the machine's own tests showed works here: no sandbox as root, and no background
# networking (updates, sync, safe browsing), so the only requests are the page's own.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
]  # fmt: skip
EXPECTED_CHARTS = [
    "top-tracks", "top-artists", "minutes-by-month", "listening-clock", "streak-calendar",
    "discoveries", "top-podcasts", "top-audiobooks",
]  # fmt: skip
HOSTILE = '</script><script>window.pwned = 1</script><img src="https://example.com/x.png">'


def run_report(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "spotify_history.report", *map(str, args)],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip


@pytest.fixture(scope="module")
def browser():
    # Skipped where chromium or Playwright is missing: a failure under `make test` (strict mode,
    # tests/conftest.py), which installs both.
    playwright = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (make test installs it)")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_report(browser, path: Path, width: int, height: int):
    """Open the file as a person would; returns (page, console errors, requests elsewhere)."""
    page = browser.new_page(viewport={"width": width, "height": height})
    errors: list[str] = []
    elsewhere: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    url = path.resolve().as_uri()
    page.on("request", lambda r: elsewhere.append(r.url) if r.url != url else None)
    page.goto(url)
    page.wait_for_function(
        "n => document.querySelectorAll('.js-plotly-plot').length === n",
        arg=len(EXPECTED_CHARTS),
        timeout=30_000,
    )
    return page, errors, elsewhere


def drawn_marks(page, chart_id: str) -> int:
    """Bars, heatmap images and lines Plotly drew inside the chart's SVG."""
    return page.evaluate(
        """id => document.getElementById(id).querySelectorAll(
            'svg.main-svg g.point path, svg.main-svg .heatmaplayer image, svg.main-svg .js-line'
        ).length""",
        chart_id,
    )


def mart_rows(db: Path, table: str, name: str, period: str | None) -> list[tuple[str, int]]:
    """(rank. name, play count) of the first 20 rows of a period, straight from the mart."""
    where = "period_grain = 'all'"
    if period is not None:
        where = f"period_grain = 'year' and period_start = '{period}-01-01'"
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            f"select rank || '. ' || {name}, play_count from {table} where {where} "
            "order by rank, 1 limit 20"
        ).fetchall()
    finally:
        con.close()


def shown(page, chart_id: str) -> list[tuple[str, int]]:
    """(label, plays) of each bar the page currently shows."""
    data = page.evaluate(f"document.getElementById('{chart_id}').data[0]")
    return list(zip(data["y"], data["x"], strict=True))


def tick_lines(page, chart_id: str) -> list[list[str]]:
    """The lines of each y-axis label as drawn, top to bottom."""
    return page.evaluate(
        """id => [...document.getElementById(id).querySelectorAll('.ytick text')].map(
            t => t.querySelectorAll('tspan.line').length
                ? [...t.querySelectorAll('tspan.line')].map(l => l.textContent)
                : [t.textContent])""",
        chart_id,
    )


@pytest.fixture(scope="module")
def desktop(browser, built_sample_db, tmp_path_factory):
    """`make report`'s command on the sample, its file opened on a desktop screen once for the
    module's tests: (the command's result, page, console errors, requests elsewhere). A test
    that picks a year picks all time again before it ends."""
    out = tmp_path_factory.mktemp("desktop") / "report.html"
    result = run_report("--db", built_sample_db, "--out", out)
    assert result.returncode == 0, result.stderr
    return (result, *open_report(browser, out, 1100, 900))


def test_every_chart_renders_offline_with_the_marts_numbers(built_sample_db, desktop):
    result, page, errors, elsewhere = desktop
    assert "8 charts" in result.stdout and result.stderr == ""
    assert errors == [] and elsewhere == []
    ids = page.evaluate("[...document.querySelectorAll('.js-plotly-plot')].map(e => e.id)")
    assert ids == EXPECTED_CHARTS
    for chart_id in ids:
        assert drawn_marks(page, chart_id) > 0, chart_id

    # what the charts show is what the marts hold
    con = duckdb.connect(str(built_sample_db), read_only=True)
    try:
        plays = [r[0] for r in con.execute("from top_tracks select play_count order by rank, artist_name, track_name limit 20").fetchall()]  # fmt: skip
        months = con.execute(
            "select strftime(period_start, '%Y-%m-01'), minutes_played from activity_by_period "
            "where period_grain = 'month' order by period_start"
        ).fetchall()
        totals = con.execute(
            "select minutes_played, play_count, track_count, artist_count, active_day_count "
            "from activity_by_period where period_grain = 'all'"
        ).fetchone()
        years = con.execute("select count(distinct local_year) from wrapped").fetchone()[0]
        clock = con.execute("select sum(minutes_played)::bigint from listening_clock").fetchone()[0]
        shows = con.execute(
            "select content_type, list(minutes_played order by rank, coalesce(show_name, audiobook_title)) "
            "from top_shows "
            "group by all"
        ).fetchall()
    finally:
        con.close()
    assert page.evaluate("document.getElementById('top-tracks').data[0].x") == plays
    chart = page.evaluate("document.getElementById('minutes-by-month').data[0]")
    assert [chart["x"], chart["y"]] == [[m for m, _ in months], [n for _, n in months]]
    tiles = page.locator(".tile b").all_inner_texts()
    assert tiles == [f"{n:,}" for n in totals]
    grid = page.evaluate("document.getElementById('listening-clock').data[0].z")
    assert sum(map(sum, grid)) == clock
    assert page.locator("article.card").count() == years
    for content_type, minutes in shows:
        chart = "top-podcasts" if content_type == "episode" else "top-audiobooks"
        assert page.evaluate(f"document.getElementById('{chart}').data[0].x") == minutes[:20]
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=OUTPUT / "report-desktop.png", full_page=True)


def test_a_year_picked_shows_that_years_top_tracks_and_artists(built_sample_db, desktop):
    _, page, errors, elsewhere = desktop
    con = duckdb.connect(str(built_sample_db), read_only=True)
    years = [str(y) for (y,) in con.execute(
        "select distinct year(period_start) from top_tracks_by_period "
        "where period_grain = 'year' order by 1 desc"
    ).fetchall()]  # fmt: skip
    con.close()
    options = page.locator("#tops-period option").all_inner_texts()
    assert options == ["All time", *years] and len(years) >= 3

    tracks = "artist_name || ' — ' || track_name"
    for period in (None, years[1], years[-1], None):  # and back to all time
        page.select_option("#tops-period", label=period or "All time")
        assert shown(page, "top-tracks") == mart_rows(
            built_sample_db, "top_tracks_by_period", tracks, period
        ), period
        assert shown(page, "top-artists") == mart_rows(
            built_sample_db, "top_artists_by_period", "artist_name", period
        ), period
        for chart_id in ("top-tracks", "top-artists"):  # the axis follows the bars
            labels = [" ".join(lines) for lines in tick_lines(page, chart_id)]
            assert labels == [label for label, _ in shown(page, chart_id)]
    assert errors == [] and elsewhere == []


def test_readable_on_a_phone(browser, built_sample_db, tmp_path):
    out = tmp_path / "report.html"
    write_report(built_sample_db, out)
    page, errors, elsewhere = open_report(browser, out, 390, 844)
    assert errors == [] and elsewhere == []
    # nothing wider than the screen: no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for chart_id in EXPECTED_CHARTS:
        width = page.evaluate(
            f"document.getElementById('{chart_id}').getBoundingClientRect().width"
        )
        assert 300 <= width <= 390, (chart_id, width)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=OUTPUT / "report-phone.png", full_page=True)


def test_names_are_shown_as_text_never_run(browser, built_sample_db, tmp_path):
    """A track or artist name is data: markup in it is displayed, never executed or loaded."""
    db = tmp_path / "hostile.duckdb"
    shutil.copy(built_sample_db, db)
    con = duckdb.connect(str(db))
    try:
        con.execute(  # top_tracks is a view of the all-time rows
            "update top_tracks_by_period set track_name = ? "
            "where period_grain = 'all' and rank = 1",
            [HOSTILE],
        )
        con.execute("update wrapped set top_artists = list_prepend(?, top_artists)", [HOSTILE])
    finally:
        con.close()
    out = tmp_path / "report.html"
    write_report(db, out)
    page, errors, elsewhere = open_report(browser, out, 1100, 900)
    assert errors == [] and elsewhere == []
    assert page.evaluate("window.pwned") is None
    assert HOSTILE in page.locator("article.card").first.inner_text()
    assert page.evaluate("document.getElementById('top-tracks').data[0].customdata[0][0]").endswith(
        HOSTILE
    )


def test_the_file_holds_everything_it_needs(built_sample_db, tmp_path):
    out = tmp_path / "report.html"
    write_report(built_sample_db, out, top=5)
    page = out.read_text(encoding="utf-8")
    # three inline scripts (data, Plotly, drawing) and, outside them, nothing that loads a file
    scripts = re.findall(r"<script\b([^>]*)>", page)
    assert scripts == [' type="application/json" id="report-data"', "", ""]
    markup = re.sub(r"<script\b[^>]*>.*?</script>", "", page, flags=re.DOTALL)
    for loads in (" src=", " href=", "@import", "url(", "<link", "<iframe", "<object"):
        assert loads not in markup, loads
    assert "default-src 'none'" in page  # the browser itself blocks any request
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temporary file left


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("missing", "does not exist: run `make demo`"),
        ("unbuilt", "run `make build`"),
        ("two_listeners", "holds 2 listeners (me, you): choose one with --listener"),
        ("unknown_listener", "no listener 'nobody' in the database (found: me)"),
    ],
)
def test_clear_errors(built_sample_db, tmp_path, setup, message):
    db = tmp_path / "spotify.duckdb"
    args: list[str | Path] = []
    if setup == "unbuilt":
        duckdb.connect(str(db)).close()
    elif setup == "two_listeners":
        shutil.copy(built_sample_db, db)
        con = duckdb.connect(str(db))
        con.execute(
            "insert into daily_activity select * replace ('you' as listener) from daily_activity"
        )
        con.close()
    elif setup == "unknown_listener":
        shutil.copy(built_sample_db, db)
        args = ["--listener", "nobody"]
    result = run_report("--db", db, "--out", tmp_path / "r.html", *args)
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.splitlines()) == 1, result.stderr
    assert not (tmp_path / "r.html").exists()
