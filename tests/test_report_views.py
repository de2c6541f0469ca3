"""The report's top lists as a person uses them, in headless Chromium: every name is shown in
full (wrapped, never cut), on a phone too, turned sideways, and on hover; the settings the
build used are printed. Offline throughout. (A year picked above the charts: tests/test_report.py.)

The browser and the way a report is opened are tests/test_report.py's (one definition)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from spotify_history.report import write_report
from tests import test_report

browser = test_report.browser  # the fixture: one Chromium for this module
open_report = test_report.open_report
shown, tick_lines = test_report.shown, test_report.tick_lines

# A long name with Plotly's own markup and an ampersand in it: shown as it is, in full.
LONG_TRACK = (
    "Piano Concerto No. 2 in C Minor, Op. 18: II. Adagio sostenuto <b>&</b> Remastered 2011 "
    "(Live at the Royal Albert Hall, 1971)"
)
LONG_ARTIST = "Orchestre Philharmonique de Radio France & Chœur de Radio France"


@pytest.fixture(scope="module")
def long_names_db(built_sample_db, tmp_path_factory) -> Path:
    """The sample, with a long track name at the all-time top and a long artist at 2024's."""
    db = tmp_path_factory.mktemp("long-names") / "spotify.duckdb"
    shutil.copy(built_sample_db, db)
    con = duckdb.connect(str(db))
    try:
        con.execute(
            "update top_tracks_by_period set track_name = ? where period_grain = 'all' and rank = 1",
            [LONG_TRACK],
        )
        con.execute(
            "update top_artists_by_period set artist_name = ? "
            "where period_grain = 'year' and period_start = '2024-01-01' and rank = 1",
            [LONG_ARTIST],
        )
    finally:
        con.close()
    return db


@pytest.fixture(scope="module")
def long_names_report(browser, long_names_db, tmp_path_factory):
    """report_at(width): the long names' report opened on a screen that wide (and a phone's
    height when narrower than 500 pixels), once per width for the module's tests; (page,
    console errors, requests elsewhere)."""
    out = tmp_path_factory.mktemp("long-names-report") / "report.html"
    write_report(long_names_db, out)
    pages: dict[int, tuple] = {}

    def report_at(width: int) -> tuple:
        if width not in pages:
            pages[width] = open_report(browser, out, width, 844 if width < 500 else 900)
        return pages[width]

    return report_at


@pytest.mark.parametrize(("width", "most_lines"), [(1100, 4), (390, 8)])
def test_long_names_are_wrapped_in_full_inside_the_screen(long_names_report, width, most_lines):
    page, errors, elsewhere = long_names_report(width)
    for period, chart_id, name in ((None, "top-tracks", "Frank Ocean — " + LONG_TRACK),
                                   ("2024", "top-artists", LONG_ARTIST)):  # fmt: skip
        page.select_option("#tops-period", label=period or "All time")
        lines = tick_lines(page, chart_id)[0]
        assert " ".join(lines) == f"1. {name}"  # every word, in order, markup shown as text
        assert 2 <= len(lines) <= most_lines, lines
        box = page.evaluate(f"document.getElementById('{chart_id}').getBoundingClientRect().left")
        left = page.evaluate(
            f"""Math.min(...[...document.getElementById('{chart_id}')
                .querySelectorAll('.ytick text')].map(t => t.getBoundingClientRect().left))"""
        )
        assert left >= box, (left, box)  # no label runs off the chart's left edge
        plot, chart = page.evaluate(
            f"""[document.querySelector('#{chart_id} .nsewdrag').getBoundingClientRect().width,
                document.getElementById('{chart_id}').getBoundingClientRect().width]"""
        )
        assert plot >= 0.4 * chart, (plot, chart)  # the labels leave the bars room
        # and the hover says the full name, as text
        page.locator(f"#{chart_id} g.point path").first.hover(force=True)  # under Plotly's layer
        hover = page.evaluate(
            f"""[...document.querySelectorAll('#{chart_id} .hoverlayer .hovertext tspan.line')]
                .map(t => t.textContent)"""
        )
        assert hover[0] == name, hover
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert errors == [] and elsewhere == []


def test_a_phone_turned_sideways_gets_the_wide_labels(long_names_report):
    page, errors, elsewhere = long_names_report(390)
    page.select_option("#tops-period", label="All time")  # the long track name at the top
    narrow = len(tick_lines(page, "top-tracks")[0])
    assert narrow >= 2, narrow  # wrapped
    page.set_viewport_size({"width": 900, "height": 390})
    page.wait_for_function(
        f"document.querySelector('#top-tracks .ytick text').querySelectorAll('tspan.line')"
        f".length < {narrow}"
    )
    page.set_viewport_size({"width": 390, "height": 844})  # upright again, for any later test
    assert errors == [] and elsewhere == []


def test_the_settings_of_the_build_are_printed(built_sample_db, tmp_path):
    db = tmp_path / "spotify.duckdb"
    shutil.copy(built_sample_db, db)
    con = duckdb.connect(str(db))  # as if built with a zone and a threshold of one's own
    con.execute(
        "create or replace view build_settings as select 'Asia/Karachi' as timezone, "
        "45000::bigint as min_play_ms, 30 as session_gap_minutes, false as is_timezone_default, "
        "false as is_min_play_ms_default, true as is_session_gap_minutes_default"
    )
    con.close()
    write_report(db, tmp_path / "report.html")
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    note = re.search(r'<p class="note">(.*?)</p>', page).group(1)
    assert note == (
        "Counted with these settings: time zone Asia/Karachi; a play lasts at least 45,000 ms; "
        "a session ends after 30 minutes without a stream (default)."
    )


def luminance(rgb: str) -> float:
    red, green, blue = map(int, re.findall(r"\d+", rgb))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def test_more_minutes_are_darker_on_the_clock(built_sample_db, tmp_path):
    """The clock's colour scale as the page draws it: its low end light, its high end dark."""
    write_report(built_sample_db, tmp_path / "report.html")
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    charts = json.loads(re.search(r'id="report-data">(.*?)</script>', page, re.DOTALL).group(1))
    (clock,) = [c["views"][""]["figure"]["data"][0] for c in charts if c["id"] == "listening-clock"]
    scale = [color for _, color in clock["colorscale"]]
    if clock.get("reversescale"):
        scale.reverse()
    assert luminance(scale[0]) > luminance(scale[-1]) + 100, scale
