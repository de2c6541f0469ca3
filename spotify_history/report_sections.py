"""The report's sections: each reads its mart(s) (report_queries.py) and returns its text,
charts (report_charts.py) and facts. Numbers are shown as the marts hold them: a section arranges
rows into a chart, it does not count or sum them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import groupby

import duckdb
import plotly.graph_objects as go

from spotify_history.report_charts import (
    GREEN,
    Chart,
    calendar,
    clock,
    figure,
    ranked_bars,
)
from spotify_history.report_queries import (
    CLOCK,
    DAYS,
    DISCOVERIES,
    MONTHS,
    STREAKS,
    TOPS,
    TOTALS,
    YEARS,
)


@dataclass
class Section:
    """A titled part of the page: a line of text, then tiles, facts, cards and charts."""

    id: str
    title: str
    lead: str
    charts: list[Chart] = field(default_factory=list)
    tiles: list[tuple[str, str]] = field(default_factory=list)  # (big number, what it is)
    facts: list[tuple[str, str, str]] = field(default_factory=list)  # (what, how long, when)
    cards: list[dict] = field(default_factory=list)  # rows of `wrapped`
    # (value, label) of each period the section's charts can show: a picker above them
    picker: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""  # a small line under the lead


# Each section's title and the line of text under it.
TEXT = {
    "overview": ("Spotify listening report", ""),
    "tops": (
        "Top tracks and artists",
        "The {top} most played, all time or in the year you pick (local time), by counted "
        "plays (see the README: by default a stream of 30 seconds or more).",
    ),
    "months": (
        "Minutes per month",
        "Every stream counts here, played to the end or skipped (not the excluded ones), "
        "by local month.",
    ),
    "clock": ("Listening clock", "Minutes by weekday and hour, all years together."),
    "streaks": (
        "Streak calendar",
        "Each square is a day; green means at least one play that day. Pick a year above the "
        "chart.",
    ),
    "discovery": (
        "Discovery over time",
        "Tracks and artists played for the first time, per month.",
    ),
    "wrapped": ("Year by year", "Your own wrapped, for every year of the history, newest first."),
    "spoken": ("Podcasts and audiobooks", "Shows and books by minutes listened."),
}


def section(section_id: str, charts: list[Chart] | None = None, **parts) -> Section:
    title, lead = TEXT[section_id]
    return Section(section_id, title, lead, charts or [], **parts)


def rows(con: duckdb.DuckDBPyConnection, sql: str, listener: str) -> list[dict]:
    """The rows of `sql` (one `?` for the listener) as dicts."""
    cursor = con.execute(sql, [listener])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def number(value: int | None) -> str:
    """12345 → "12,345"."""
    return f"{value or 0:,}"


def days_text(count: int | None) -> str:
    return "1 day" if count == 1 else f"{number(count)} days"


def overview(con: duckdb.DuckDBPyConnection, listener: str) -> Section:
    totals = rows(con, TOTALS, listener)[0]
    tiles = [
        (number(totals["minutes_played"]), "minutes listened"),
        (number(totals["play_count"]), "counted plays"),
        (number(totals["track_count"]), "different tracks played"),
        (number(totals["artist_count"]), "different artists played"),
        (number(totals["active_day_count"]), "days with a play"),
    ]
    first, last = totals["first_local_date"], totals["last_local_date"]
    span = f"{first} to {last}" if first else "—"
    return Section(
        "overview",
        TEXT["overview"][0],
        f"{listener} · {span}",
        tiles=tiles,
        note=settings_note(con),
    )


def settings_note(con: duckdb.DuckDBPyConnection) -> str:
    """The settings the build used (`build_settings`), each marked when it is the default."""
    cursor = con.execute(
        "select timezone, min_play_ms, session_gap_minutes, is_timezone_default, "
        "is_min_play_ms_default, is_session_gap_minutes_default from build_settings"
    )
    zone, min_ms, gap, *defaults = cursor.fetchone()
    said = [
        f"time zone {zone}",
        f"a play lasts at least {number(min_ms)} ms",
        f"a session ends after {number(gap)} minutes without a stream",
    ]
    return (
        "Counted with these settings: "
        + "; ".join(
            f"{text} (default)" if default else text
            for text, default in zip(said, defaults, strict=True)
        )
        + "."
    )


def tops(con: duckdb.DuckDBPyConnection, listener: str, top: int) -> Section:
    """Top tracks and artists of all time and of each local year (`period_grain` 'all' and
    'year' of the period marts); a picker above the charts chooses the period."""
    charts, years = [], set()
    for table, label in (("top_tracks_by_period", "track"), ("top_artists_by_period", "artist")):
        # what the label and the hover show in full
        name = "artist_name || ' — ' || track_name" if label == "track" else "artist_name"
        found = rows(con, TOPS.format(name=name, table=table, top=int(top)), listener)
        hover = "%{x:,} plays · %{customdata[1]:,} min"
        by_period = {
            period: ranked_bars(
                f"top-{label}s", f"Top {label}s", list(group), "play_count", "plays", hover, GREEN
            )
            for period, group in groupby(found, key=lambda r: r["period"])
        }
        chart = by_period.pop("all", None) or ranked_bars(
            f"top-{label}s", f"Top {label}s", [], "play_count", "plays", hover, GREEN
        )
        chart.choices = by_period
        years |= set(by_period)
        charts.append(chart)
    lead = TEXT["tops"][1].format(top=top)
    picker = [("", "All time")] + [(y, y) for y in sorted(years, reverse=True)]
    return Section("tops", TEXT["tops"][0], lead, charts, picker=picker)


def minutes_by_month(con: duckdb.DuckDBPyConnection, listener: str) -> Section:
    found = rows(con, MONTHS, listener)
    bar = go.Bar(
        x=[r["month"] for r in found],
        y=[r["minutes"] for r in found],
        customdata=[r["plays"] for r in found],
        hovertemplate="%{x|%B %Y}<br>%{y:,} min · %{customdata:,} plays<extra></extra>",
        marker_color=GREEN,
    )
    fig = figure([bar], xaxis_type="date", yaxis={"title": {"text": "minutes"}, "automargin": True})
    return section("months", [Chart("minutes-by-month", fig)])


def listening_clock(con: duckdb.DuckDBPyConnection, listener: str) -> Section:
    found = rows(con, CLOCK, listener)
    fig = clock(found)
    return section("clock", [Chart("listening-clock", fig)])


def day_span(start: date, end: date) -> str:
    return str(start) if start == end else f"{start} to {end}"


def streak_facts(streaks: list[dict], today: date) -> list[tuple[str, str, str]]:
    """(label, length, span) of the longest and the latest streak. The latest is "current" only
    if it reaches today or yesterday (the listener's local day when the report is written): a
    streak that ended earlier is "latest, ended …", however recent the data."""
    facts = []
    for s in streaks:
        end = s["streak_end_date"]
        if not s["is_latest"]:
            label = "Longest streak"
        else:
            current = end >= today - timedelta(days=1)
            latest = "current streak" if current else f"latest streak, ended {end}"
            label = f"Longest streak, also the {latest}" if s["is_longest"] else latest.capitalize()
        facts.append((label, days_text(s["day_count"]), day_span(s["streak_start_date"], end)))
    return facts


def streak_calendar(con: duckdb.DuckDBPyConnection, listener: str, today: date) -> Section:
    days = rows(con, DAYS, listener)
    streaks = rows(con, STREAKS, listener)
    fig = calendar(days)
    facts = streak_facts(streaks, today)
    return section("streaks", [Chart("streak-calendar", fig)] if fig else [], facts=facts)


def discoveries(con: duckdb.DuckDBPyConnection, listener: str) -> Section:
    found = rows(con, DISCOVERIES, listener)
    months = [r["month"] for r in found]
    tracks = go.Bar(
        name="new tracks",
        x=months,
        y=[r["new_track_count"] for r in found],
        marker_color="#9be9a8",
        hovertemplate="%{x|%B %Y}<br>%{y:,} new tracks<extra></extra>",
    )
    artists = go.Scatter(
        mode="lines+markers",
        name="new artists",
        x=months,
        y=[r["new_artist_count"] for r in found],
        line_color="#196127",
        hovertemplate="%{x|%B %Y}<br>%{y:,} new artists<extra></extra>",
    )
    fig = figure(
        [tracks, artists],
        xaxis_type="date",
        yaxis_automargin=True,
        legend={"orientation": "h", "y": 1.1},
    )
    return section("discovery", [Chart("discoveries", fig)])


def wrapped(con: duckdb.DuckDBPyConnection, listener: str) -> Section:
    cards = rows(con, YEARS, listener)
    return section("wrapped", cards=cards)


def spoken_word(con: duckdb.DuckDBPyConnection, listener: str, top: int) -> Section:
    charts, empty = [], []
    for content_type, label, items, color in (
        ("episode", "Podcasts", "episodes", "#2d6a4f"),
        ("audiobook", "Audiobooks", "chapters", GREEN),
    ):
        found = rows(
            con,
            "select rank, coalesce(show_name, audiobook_title) as name, item_count as detail, "
            "minutes_played from top_shows "
            f"where listener = ? and content_type = '{content_type}' "
            f"order by rank, name limit {int(top)}",
            listener,
        )
        if not found:
            empty.append(label.lower())
            continue
        hover = f"%{{x:,}} min · %{{customdata[1]:,}} {items}"
        charts.append(
            ranked_bars(
                f"top-{label.lower()}", label, found, "minutes_played", "minutes", hover, color
            )
        )
    lead = TEXT["spoken"][1]
    if empty:
        lead += f" No {' or '.join(empty)} in this history."
    return Section("spoken", TEXT["spoken"][0], lead, charts)


def build_sections(
    con: duckdb.DuckDBPyConnection, listener: str, top: int, today: date
) -> list[Section]:
    """Every section, in page order; `today` is the listener's local date as the report is
    written (it decides whether the latest streak is still current)."""
    return [
        overview(con, listener),
        tops(con, listener, top),
        minutes_by_month(con, listener),
        listening_clock(con, listener),
        streak_calendar(con, listener, today),
        discoveries(con, listener),
        wrapped(con, listener),
        spoken_word(con, listener, top),
    ]
