"""Write one self-contained HTML report of a built database: charts that open offline, on a phone too.

    python -m spotify_history.report [--db PATH] [--out report.html] [--listener NAME] [--top N] [--debug]

Everything the page needs is inside the file: the charting library (Plotly's JavaScript, the
copy bundled in the pinned `plotly` wheel), the styles and the data. It makes no network
request, uses the system's fonts, and can be mailed, copied to a phone or opened years later.

Every number comes from the marts, which apply the counting rules (README, "How streams are
counted"): the report only sums and arranges them. The database is opened read-only, so the
report runs beside the DuckDB CLI or a BI tool. The file is written under a temporary name and
renamed when complete. Errors and Ctrl-C as every tool (spotify_history.cli.run_tool).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb

from spotify_history.cli import add_common_arguments, not_built, open_read_only, run_tool
from spotify_history.errors import UserError

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]  # isodow 1..7
GREEN = "#1db954"
MARTS = (
    "top_tracks",
    "top_artists",
    "daily_activity",
    "listening_clock",
    "listening_streaks",
    "monthly_discoveries",
    "wrapped",
    "top_shows",
)
# Plotly options shared by every chart: no toolbar or logo, resize with the window, no
# scroll-zoom trap on phones.
PLOT_CONFIG = {"displayModeBar": False, "responsive": True, "scrollZoom": False}
BASE_LAYOUT = {
    "margin": {"l": 10, "r": 10, "t": 10, "b": 40},
    "paper_bgcolor": "rgba(0,0,0,0)",
    "plot_bgcolor": "rgba(0,0,0,0)",
    "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 12},
    "height": 360,
}


@dataclass
class Chart:
    """One Plotly chart: its element id, traces and layout (merged over BASE_LAYOUT)."""

    id: str
    data: list[dict]
    layout: dict = field(default_factory=dict)
    title: str = ""  # a small heading above the chart, when a section has several

    def spec(self) -> dict:
        return {"id": self.id, "data": self.data, "layout": BASE_LAYOUT | self.layout}


@dataclass
class Section:
    """A titled part of the page: a line of text, its charts, and optional extra HTML."""

    id: str
    title: str
    lead: str
    charts: list[Chart] = field(default_factory=list)
    body: str = ""


def rows(con: duckdb.DuckDBPyConnection, sql: str, listener: str) -> list[dict]:
    """The rows of `sql` (one `?` for the listener) as dicts."""
    cursor = con.execute(sql, [listener])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def number(value: int | None) -> str:
    """12345 → "12,345"; thin and readable in every locale the report is likely read in."""
    return f"{value or 0:,}"


def short(text: str | None, width: int = 28) -> str:
    """Axis labels stay short on a phone; the full name is in the hover text."""
    text = text or "(unknown)"
    return text if len(text) <= width else text[: width - 1] + "…"


def days_text(count: int | None) -> str:
    return "1 day" if count == 1 else f"{number(count)} days"


def hours(minutes: int | None) -> str:
    return f"{(minutes or 0) / 60:,.0f} h"


# ---- sections ------------------------------------------------------------------------------


def overview(con: duckdb.DuckDBPyConnection, listener: str) -> Section:
    totals = rows(
        con,
        """
        select
            min(local_date) as first_date,
            max(local_date) as last_date,
            sum(play_count)::bigint as plays,
            (sum(ms_played) // 60000)::bigint as minutes,
            count_if(has_play)::bigint as active_days
        from daily_activity where listener = ?
        """,
        listener,
    )[0]
    distinct = rows(
        con,
        "select (select count(*) from top_tracks where listener = $1)::bigint as tracks, "
        "(select count(*) from top_artists where listener = $1)::bigint as artists",
        listener,
    )[0]
    tiles = [
        (hours(totals["minutes"]), f"{number(totals['minutes'])} minutes listened"),
        (number(totals["plays"]), "counted plays"),
        (number(distinct["tracks"]), "different tracks played"),
        (number(distinct["artists"]), "different artists played"),
        (number(totals["active_days"]), "days with a play"),
    ]
    body = '<div class="tiles">' + "".join(
        f'<div class="tile"><b>{e(big)}</b><span>{e(small)}</span></div>' for big, small in tiles
    )
    body += "</div>"
    span = f"{totals['first_date']} to {totals['last_date']}" if totals["first_date"] else "—"
    return Section("overview", "Spotify listening report", f"{listener} · {span}", body=body)


def ranked_bars(
    chart_id: str, title: str, found: list[dict], value: str, unit: str, hover: str, color: str
) -> Chart:
    """A horizontal bar per ranked row (`rank`, `name`, `value`, `detail` columns), the first
    on top; labels are shortened, the hover shows the full name, the value and the detail."""
    return Chart(
        chart_id,
        [
            {
                "type": "bar",
                "orientation": "h",
                "y": [f"{r['rank']}. {short(r['name'])}" for r in found],
                "x": [r[value] for r in found],
                "customdata": [[r["name"], r["detail"]] for r in found],
                "hovertemplate": f"%{{customdata[0]}}<br>{hover}<extra></extra>",
                "marker": {"color": color},
            }
        ],
        {
            "height": max(200, 26 * len(found) + 60),
            "yaxis": {"autorange": "reversed", "automargin": True},
            "xaxis": {"title": {"text": unit}},
        },
        title=title,
    )


def tops(con: duckdb.DuckDBPyConnection, listener: str, top: int) -> Section:
    charts = []
    for table, label in (("top_tracks", "track"), ("top_artists", "artist")):
        name = (
            "artist_name || ' — ' || track_name" if label == "track" else "artist_name"
        )  # what the hover shows in full
        found = rows(
            con,
            f"select rank, {name} as name, play_count, minutes_played as detail from {table} "
            f"where listener = ? order by rank, name limit {int(top)}",
            listener,
        )
        hover = "%{x:,} plays · %{customdata[1]:,} min"
        charts.append(
            ranked_bars(
                f"top-{label}s", f"Top {label}s", found, "play_count", "plays", hover, GREEN
            )
        )
    return Section(
        "tops",
        "Top tracks and artists",
        f"The {top} most played, all time, by counted plays (see the README: by default a "
        "stream of 30 seconds or more).",
        charts,
    )


def minutes_by_month(con: duckdb.DuckDBPyConnection, listener: str) -> Section:
    found = rows(
        con,
        """
        select
            strftime(date_trunc('month', local_date), '%Y-%m-01') as month,
            (sum(ms_played) // 60000)::bigint as minutes,
            sum(play_count)::bigint as plays
        from daily_activity where listener = ?
        group by all order by month
        """,
        listener,
    )
    chart = Chart(
        "minutes-by-month",
        [
            {
                "type": "bar",
                "x": [r["month"] for r in found],
                "y": [r["minutes"] for r in found],
                "customdata": [r["plays"] for r in found],
                "hovertemplate": "%{x|%B %Y}<br>%{y:,} min · %{customdata:,} plays<extra></extra>",
                "marker": {"color": GREEN},
            }
        ],
        {"xaxis": {"type": "date"}, "yaxis": {"title": {"text": "minutes"}, "automargin": True}},
    )
    return Section(
        "months",
        "Minutes per month",
        "Every stream counts here, played to the end or skipped (not the excluded ones), "
        "by local month.",
        [chart],
    )


def listening_clock(con: duckdb.DuckDBPyConnection, listener: str) -> Section:
    found = rows(
        con,
        "select local_weekday, local_hour, minutes_played from listening_clock "
        "where listener = ? order by local_weekday, local_hour",
        listener,
    )
    grid = [[0] * 24 for _ in WEEKDAYS]
    for r in found:
        grid[r["local_weekday"] - 1][r["local_hour"]] = r["minutes_played"]
    chart = Chart(
        "listening-clock",
        [
            {
                "type": "heatmap",
                "z": grid,
                "x": list(range(24)),
                "y": WEEKDAYS,
                "colorscale": "Greens",
                "reversescale": True,  # Plotly's Greens runs dark to light
                "hovertemplate": "%{y} %{x}:00<br>%{z:,} min<extra></extra>",
                "colorbar": {"thickness": 10},
            }
        ],
        {
            "height": 300,
            "yaxis": {"autorange": "reversed", "automargin": True},
            "xaxis": {"title": {"text": "hour of the day (local time)"}, "dtick": 3},
        },
    )
    return Section(
        "clock", "Listening clock", "Minutes by weekday and hour, all years together.", [chart]
    )


def streak_calendar(con: duckdb.DuckDBPyConnection, listener: str) -> Section:
    """A calendar of days with a play, one year at a time (a menu picks the year)."""
    days = rows(
        con,
        "select local_date, minutes_played, play_count from daily_activity "
        "where listener = ? order by local_date",
        listener,
    )
    streaks = rows(
        con,
        "select day_count, streak_start_date, streak_end_date, is_longest, is_current "
        "from listening_streaks where listener = ? and (is_longest or is_current) "
        "order by streak_start_date",
        listener,
    )
    years = sorted({d["local_date"].year for d in days})
    traces = []
    for year in years:
        jan1 = date(year, 1, 1)
        first_monday = jan1 - timedelta(days=jan1.weekday())
        in_year = [d for d in days if d["local_date"].year == year]
        traces.append(
            {
                "type": "heatmap",
                "name": str(year),
                "visible": year == years[-1],
                "x": [
                    (
                        first_monday + timedelta(weeks=(d["local_date"] - first_monday).days // 7)
                    ).isoformat()
                    for d in in_year
                ],
                "y": [WEEKDAYS[d["local_date"].weekday()] for d in in_year],
                "z": [d["minutes_played"] if d["play_count"] else 0 for d in in_year],
                "customdata": [[d["local_date"].isoformat(), d["play_count"]] for d in in_year],
                "hovertemplate": "%{customdata[0]}<br>%{z:,} min · %{customdata[1]:,} plays"
                "<extra></extra>",
                "colorscale": [[0, "#ebedf0"], [0.0001, "#c6e48b"], [1, "#196127"]],
                "xgap": 2,
                "ygap": 2,
                "showscale": False,
            }
        )
    buttons = [
        {
            "label": str(year),
            "method": "update",
            "args": [{"visible": [y == year for y in years]}],
        }
        for year in years
    ]
    layout = {
        "height": 230,
        "margin": {"l": 10, "r": 10, "t": 40, "b": 30},
        "yaxis": {
            "categoryorder": "array",
            "categoryarray": WEEKDAYS,
            "autorange": "reversed",
            "automargin": True,
        },
        "xaxis": {"type": "date", "tickformat": "%b"},
        "updatemenus": [
            {
                "buttons": buttons,
                "active": len(years) - 1,
                "x": 0,
                "xanchor": "left",
                "y": 1.25,
                "yanchor": "top",
            }
        ],
    }
    facts = []
    for s in streaks:
        what = "Longest streak" if s["is_longest"] else "Current streak"
        if s["is_longest"] and s["is_current"]:
            what = "Longest streak, still going"
        facts.append(
            f"<li>{e(what)}: <b>{days_text(s['day_count'])}</b>, "
            f"{e(s['streak_start_date'])} to {e(s['streak_end_date'])}</li>"
        )
    return Section(
        "streaks",
        "Streak calendar",
        "Each square is a day; green means at least one play that day. Pick a year above the chart.",
        [Chart("streak-calendar", traces, layout)] if traces else [],
        '<ul class="facts">' + "".join(facts) + "</ul>" if facts else "",
    )


def discoveries(con: duckdb.DuckDBPyConnection, listener: str) -> Section:
    found = rows(
        con,
        "select strftime(month_start, '%Y-%m-01') as month, new_artist_count, new_track_count "
        "from monthly_discoveries where listener = ? order by month_start",
        listener,
    )
    chart = Chart(
        "discoveries",
        [
            {
                "type": "bar",
                "name": "new tracks",
                "x": [r["month"] for r in found],
                "y": [r["new_track_count"] for r in found],
                "marker": {"color": "#9be9a8"},
                "hovertemplate": "%{x|%B %Y}<br>%{y:,} new tracks<extra></extra>",
            },
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": "new artists",
                "x": [r["month"] for r in found],
                "y": [r["new_artist_count"] for r in found],
                "line": {"color": "#196127"},
                "hovertemplate": "%{x|%B %Y}<br>%{y:,} new artists<extra></extra>",
            },
        ],
        {
            "xaxis": {"type": "date"},
            "yaxis": {"automargin": True},
            "legend": {"orientation": "h", "y": 1.1},
        },
    )
    return Section(
        "discovery",
        "Discovery over time",
        "Tracks and artists played for the first time, per month.",
        [chart],
    )


def wrapped(con: duckdb.DuckDBPyConnection, listener: str) -> Section:
    years = rows(
        con,
        "select local_year, top_tracks, top_artists, play_count, minutes_played, track_count, "
        "artist_count, new_artist_count, busiest_date, busiest_date_minutes, "
        "longest_streak_days from wrapped where listener = ? order by local_year desc",
        listener,
    )
    cards = []
    for y in years:
        artists = "".join(f"<li>{e(a)}</li>" for a in y["top_artists"])
        tracks = "".join(f"<li>{e(t)}</li>" for t in y["top_tracks"])
        cards.append(
            f'<article class="card"><h3>{e(y["local_year"])}</h3>'
            f'<p class="big">{number(y["minutes_played"])} minutes</p>'
            f"<p>{number(y['play_count'])} plays · {number(y['track_count'])} tracks · "
            f"{number(y['artist_count'])} artists, {number(y['new_artist_count'])} new</p>"
            f"<h4>Top artists</h4><ol>{artists}</ol><h4>Top tracks</h4><ol>{tracks}</ol>"
            f"<p>Busiest day: {e(y['busiest_date'] or '—')} "
            f"({number(y['busiest_date_minutes'])} min) · longest streak: "
            f"{days_text(y['longest_streak_days'])}</p></article>"
        )
    return Section(
        "wrapped",
        "Year by year",
        "Your own wrapped, for every year of the history, newest first.",
        body='<div class="cards">' + "".join(cards) + "</div>",
    )


def spoken_word(con: duckdb.DuckDBPyConnection, listener: str, top: int) -> Section:
    charts, empty = [], []
    for content_type, label, items, color in (
        ("episode", "Podcasts", "episodes", "#2d6a4f"),
        ("audiobook", "Audiobooks", "chapters", GREEN),
    ):
        found = rows(
            con,
            "select rank, title as name, item_count as detail, minutes_played from top_shows "
            f"where listener = ? and content_type = '{content_type}' "
            f"order by rank, title limit {int(top)}",
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
    lead = "Shows and books by minutes listened."
    if empty:
        lead += f" No {' or '.join(empty)} in this history."
    return Section("spoken", "Podcasts and audiobooks", lead, charts)


# ---- the page ------------------------------------------------------------------------------

STYLE = """
:root { color-scheme: light; --ink: #191414; --muted: #5b5b5b; --line: #e3e3e3; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--ink); background: #fafafa; }
main { max-width: 980px; margin: 0 auto; padding: 16px; }
header h1 { margin: 8px 0 0; font-size: 1.6rem; }
header p, .lead { color: var(--muted); margin: 4px 0 12px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 12px;
          padding: 14px 14px 6px; margin: 16px 0; }
section h2 { margin: 0; font-size: 1.2rem; }
section h3 { margin: 10px 0 0; font-size: 1rem; }
.chart { width: 100%; min-height: 120px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px;
         margin-bottom: 8px; }
.tile { border-radius: 10px; background: #f1f8f3; padding: 10px 12px; }
.tile b { display: block; font-size: 1.4rem; }
.tile span { color: var(--muted); font-size: .85rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 12px;
         margin-bottom: 8px; }
.card { border: 1px solid var(--line); border-radius: 10px; padding: 10px 14px; }
.card h3 { margin: 0; font-size: 1.3rem; color: #196127; }
.card h4 { margin: 8px 0 2px; font-size: .9rem; }
.card ol { margin: 0; padding-left: 20px; overflow-wrap: anywhere; }
.card .big { font-size: 1.2rem; font-weight: 600; margin: 2px 0; }
.facts { margin: 0 0 10px; padding-left: 20px; }
footer { color: var(--muted); font-size: .8rem; text-align: center; margin: 24px 0; }
"""

SCRIPT = """
const charts = JSON.parse(document.getElementById("report-data").textContent);
for (const chart of charts) {
  Plotly.newPlot(chart.id, chart.data, chart.layout, %s);
}
"""


def script_json(value: object) -> str:
    """JSON that cannot end the <script> element it sits in, whatever the names contain."""
    return (
        json.dumps(value, ensure_ascii=False, default=str)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


def render(sections: list[Section], plotly_js: str, generated: str) -> str:
    parts = []
    for s in sections:
        charts = "".join(
            (f"<h3>{e(c.title)}</h3>" if c.title else "")
            + f'<div class="chart" id="{e(c.id)}"></div>'
            for c in s.charts
        )
        heading = "h1" if s.id == "overview" else "h2"
        parts.append(
            f'<section id="{e(s.id)}"><{heading}>{e(s.title)}</{heading}>'
            f'<p class="lead">{e(s.lead)}</p>{s.body}{charts}</section>'
        )
    specs = [c.spec() for s in sections for c in s.charts]
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        # Nothing may load from elsewhere: the browser itself enforces the offline promise.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:; "
        'font-src data:">'
        f"<title>Spotify listening report</title><style>{STYLE}</style></head><body><main>"
        + "".join(parts)
        + f"<footer>Made by spotify-history from your own export on {e(generated)}. "
        "Nothing here left your computer.</footer></main>"
        f'<script type="application/json" id="report-data">{script_json(specs)}</script>'
        f"<script>{plotly_js}</script>"
        f"<script>{SCRIPT % json.dumps(PLOT_CONFIG)}</script></body></html>\n"
    )


def plotly_javascript() -> str:
    """The minified Plotly.js inside the pinned `plotly` wheel: no download, ever."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def choose_listener(con: duckdb.DuckDBPyConnection, wanted: str | None) -> str:
    names = [
        r[0]
        for r in con.execute("select distinct listener from daily_activity order by 1").fetchall()
    ]
    if not names:
        raise UserError("the database has no listening yet: ingest an export and build first")
    if wanted is None:
        if len(names) > 1:
            raise UserError(
                f"the database holds {len(names)} listeners ({', '.join(names)}): "
                "choose one with --listener (make report LISTENER=…)"
            )
        return names[0]
    if wanted not in names:
        raise UserError(f"no listener {wanted!r} in the database (found: {', '.join(names)})")
    return wanted


def build_sections(con: duckdb.DuckDBPyConnection, listener: str, top: int) -> list[Section]:
    return [
        overview(con, listener),
        tops(con, listener, top),
        minutes_by_month(con, listener),
        listening_clock(con, listener),
        streak_calendar(con, listener),
        discoveries(con, listener),
        wrapped(con, listener),
        spoken_word(con, listener, top),
    ]


def write_report(db: Path, out: Path, listener: str | None = None, top: int = 20) -> list[str]:
    """Write the report; returns the ids of its charts."""
    con = open_read_only(db)
    try:
        missing = [
            m
            for m in MARTS
            if not con.execute(
                "select count(*) from duckdb_tables() where database_name = current_database() "
                "and schema_name = 'main' and table_name = ?",
                [m],
            ).fetchone()[0]
        ]
        if missing:
            raise not_built(db, ", ".join(missing))
        name = choose_listener(con, listener)
        sections = build_sections(con, name, top)
        generated = con.execute("select strftime(current_date, '%Y-%m-%d')").fetchone()[0]
    finally:
        con.close()
    page = render(sections, plotly_javascript(), generated)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(page)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return [c.id for s in sections for c in s.charts]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser)
    parser.add_argument("--out", type=Path, default=Path("report.html"), help="(report.html)")
    parser.add_argument("--listener", help="whose report (needed when the database has several)")
    parser.add_argument("--top", type=int, default=20, help="rows in each top chart (20)")
    args = parser.parse_args(argv)
    if args.top < 1:
        parser.error("--top must be at least 1")

    def run() -> None:
        charts = write_report(args.db, args.out, args.listener, args.top)
        size = args.out.stat().st_size / 1e6
        print(f"wrote {args.out} ({len(charts)} charts, {size:.1f} MB, works offline)")

    return run_tool(run, db=args.db, debug=args.debug)


if __name__ == "__main__":
    sys.exit(main())
