"""Write one self-contained HTML report of a built database: charts that open offline, on a phone too.

    python -m spotify_history.report [--db PATH] [--out FILE] [--listener NAME] [--top N] [--debug]

The file goes next to the database, named after it (spotify.duckdb → spotify-report.html), unless
--out names another; the last line printed says where.

Everything the page needs is inside the file: the charting library (Plotly's JavaScript, the
copy bundled in the pinned `plotly` wheel), the styles and the data. It makes no network
request, uses the system's fonts, and can be mailed, copied to a phone or opened years later.

Every number comes from the marts, which apply the counting rules (README, "How streams are
counted"): the report only arranges them. The page is a Jinja2 template with autoescape
(templates/report.html.j2): names are data, shown as text, never markup. The charts are Plotly
figures (report_sections.py). The database is opened read-only, so the
report runs beside the DuckDB CLI or a BI tool. The file is written under a temporary name and
renamed when complete. Errors and Ctrl-C as every tool (spotify_history.cli.run_tool).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import jinja2
import plotly.io

from spotify_history.cli import add_common_arguments, not_built, open_read_only, run_tool
from spotify_history.errors import UserError
from spotify_history.outputs import add_out_argument, out_path, write_atomically
from spotify_history.report_charts import Chart
from spotify_history.report_sections import Section, build_sections, days_text, number

MARTS = (
    "build_settings",
    "streams",
    "activity_by_period",
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
TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
)
TEMPLATES.filters["number"] = number
TEMPLATES.filters["days"] = days_text


def view(chart: Chart) -> dict:
    """A chart as the page draws it: the figure in Plotly's own JSON encoding (dates, numbers),
    read back as plain data for `tojson` (which also escapes <, > and &, so no name can end the
    <script> element), and its layout changes for a narrow screen."""
    return {
        "figure": json.loads(plotly.io.to_json(chart.figure, validate=False)),
        "narrow": chart.narrow,
    }


def render(sections: list[Section], plotly_js: str, generated: str) -> str:
    charts = [
        {"id": c.id, "views": {"": view(c), **{k: view(v) for k, v in c.choices.items()}}}
        for s in sections
        for c in s.charts
    ]
    return TEMPLATES.get_template("report.html.j2").render(
        sections=sections,
        charts=charts,
        plotly_js=plotly_js,
        config=PLOT_CONFIG,
        generated=generated,
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


def listener_today(
    con: duckdb.DuckDBPyConnection, listener: str, now: datetime
) -> tuple[date, str]:
    """The listener's local date at `now`, and the zone: that of their latest stream (where they
    were last; seeds/timezones.csv moves it), else the one the build used."""
    found = (
        con.execute(
            "select timezone from streams where listener = ? and timezone is not null "
            "order by ended_at desc limit 1",
            [listener],
        ).fetchone()
        or con.execute("select timezone from build_settings").fetchone()
    )
    zone = found[0]
    (today,) = con.execute("select timezone(?, ?::timestamptz)::date", [zone, now]).fetchone()
    return today, zone


def write_report(
    db: Path,
    out: Path,
    listener: str | None = None,
    top: int = 20,
    now: datetime | None = None,
) -> list[str]:
    """Write the report as of `now` (default: the clock; it decides whether the latest streak is
    still current); returns the ids of its charts."""
    con = open_read_only(db)
    try:
        missing = [
            m
            for m in MARTS
            if not con.execute(
                "select count(*) from information_schema.tables where table_catalog = "
                "current_database() and table_schema = 'main' and table_name = ?",
                [m],
            ).fetchone()[0]
        ]
        if missing:
            raise not_built(db, ", ".join(missing))
        name = choose_listener(con, listener)
        today, zone = listener_today(con, name, now or datetime.now(UTC))
        sections = build_sections(con, name, top, today)
    finally:
        con.close()
    page = render(sections, plotly_javascript(), f"{today} ({zone})")
    write_atomically(out, page)
    return [c.id for s in sections for c in s.charts]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser)
    add_out_argument(parser, "report.html", "HTML file")
    parser.add_argument("--listener", help="whose report (needed when the database has several)")
    parser.add_argument("--top", type=int, default=20, help="rows in each top chart (20)")
    args = parser.parse_args(argv)
    if args.top < 1:
        parser.error("--top must be at least 1")
    out = out_path(args, "report.html")

    def run() -> None:
        charts = write_report(args.db, out, args.listener, args.top)
        size = out.stat().st_size / 1e6
        print(f"wrote {out.resolve()} ({len(charts)} charts, {size:.1f} MB, works offline)")

    return run_tool(run, db=args.db, debug=args.debug)


if __name__ == "__main__":
    sys.exit(main())
