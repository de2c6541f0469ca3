"""The report's chart shapes, as Plotly figures (plotly.graph_objects): ranked bars, the
weekday × hour heatmap and the year-by-year calendar. They take rows as the marts give them."""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass, field
from datetime import date, timedelta

import plotly.graph_objects as go

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]  # isodow 1..7
GREEN = "#1db954"
# Characters per line of a bar's label: on a wide screen, and on a phone (the page switches
# below 600 px, templates/report.html.j2).
WIDE_LABEL, NARROW_LABEL = 44, 22
# Every chart: no template of Plotly's (plotly.js defaults), transparent, the system's fonts.
BASE_LAYOUT = go.Layout(
    template="none",
    margin={"l": 10, "r": 10, "t": 10, "b": 40},
    paper_bgcolor="rgba(0,0,0,0)",
    plot_bgcolor="rgba(0,0,0,0)",
    font={"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 12},
    height=360,
)


@dataclass
class Chart:
    id: str  # the element id in the page
    figure: go.Figure
    title: str = ""  # a small heading above the chart, when a section has several
    narrow: dict = field(default_factory=dict)  # layout changes on a narrow screen (a phone)
    # the same chart for each choice of the section's picker (e.g. "2024"), besides the default
    choices: dict[str, Chart] = field(default_factory=dict)


def figure(traces: list, **layout) -> go.Figure:
    fig = go.Figure(data=traces, layout=BASE_LAYOUT)
    fig.update_layout(**layout)
    return fig


def plotly_text(text: str) -> str:
    """Text as Plotly shows it literally: Plotly reads a few HTML tags in labels and hover text
    (<b>, <br>, <a href>…), so a name's <, > and & are written as entities."""
    return html.escape(text, quote=False)


def bar_labels(labels: list[str], width: int) -> dict:
    """Layout for ranked bars whose labels are wrapped at `width` characters (never cut): the
    tick texts, and a height that gives every bar room for the longest label."""
    lines = [textwrap.wrap(label, width) or [""] for label in labels]
    per_bar = 12 + 14 * max((len(w) for w in lines), default=1)  # 26 px for one line
    return {
        "height": max(200, per_bar * len(labels) + 60),
        "yaxis": {
            "autorange": "reversed",
            "automargin": True,
            "tickmode": "array",
            "tickvals": labels,
            "ticktext": ["<br>".join(plotly_text(line) for line in w) for w in lines],
        },
    }


def ranked_bars(
    chart_id: str, title: str, found: list[dict], value: str, unit: str, hover: str, color: str
) -> Chart:
    """A horizontal bar per ranked row (`rank`, `name`, `value`, `detail` columns), the first
    on top. Each label is the full name, wrapped to the screen (a narrow layout for phones);
    the hover shows it too, with the value and the detail."""
    labels = [f"{r['rank']}. {r['name'] or '(unknown)'}" for r in found]
    bar = go.Bar(
        orientation="h",
        y=labels,
        x=[r[value] for r in found],
        customdata=[[r["name"], r["detail"]] for r in found],
        hovertext=[plotly_text(r["name"] or "(unknown)") for r in found],
        hovertemplate=f"%{{hovertext}}<br>{hover}<extra></extra>",
        marker_color=color,
    )
    fig = figure([bar], xaxis_title_text=unit, **bar_labels(labels, WIDE_LABEL))
    return Chart(chart_id, fig, title, narrow=bar_labels(labels, NARROW_LABEL))


def clock(found: list[dict]) -> go.Figure:
    """Minutes by weekday (rows) and hour (columns) from `local_weekday`, `local_hour`,
    `minutes_played` rows; a cell without a row is 0."""
    grid = [[0] * 24 for _ in WEEKDAYS]
    for r in found:
        grid[r["local_weekday"] - 1][r["local_hour"]] = r["minutes_played"]
    heatmap = go.Heatmap(
        z=grid,
        x=list(range(24)),
        y=WEEKDAYS,
        colorscale="Greens",  # light to dark: more minutes, darker
        hovertemplate="%{y} %{x}:00<br>%{z:,} min<extra></extra>",
        colorbar_thickness=10,
    )
    return figure(
        [heatmap],
        height=300,
        yaxis={"autorange": "reversed", "automargin": True},
        xaxis={"title": {"text": "hour of the day (local time)"}, "dtick": 3},
    )


def calendar_year(year: int, days: list[dict], visible: bool) -> go.Heatmap:
    """One year of `local_date`, `minutes_played`, `play_count` rows: a column per week (from
    the Monday on or before 1 January), a row per weekday."""
    jan1 = date(year, 1, 1)
    first_monday = jan1 - timedelta(days=jan1.weekday())
    return go.Heatmap(
        name=str(year),
        visible=visible,
        x=[
            (first_monday + timedelta(weeks=(d["local_date"] - first_monday).days // 7)).isoformat()
            for d in days
        ],
        y=[WEEKDAYS[d["local_date"].weekday()] for d in days],
        z=[d["minutes_played"] if d["play_count"] else 0 for d in days],
        customdata=[[d["local_date"].isoformat(), d["play_count"]] for d in days],
        hovertemplate="%{customdata[0]}<br>%{z:,} min · %{customdata[1]:,} plays<extra></extra>",
        colorscale=[[0, "#ebedf0"], [0.0001, "#c6e48b"], [1, "#196127"]],
        xgap=2,
        ygap=2,
        showscale=False,
    )


def calendar(days: list[dict]) -> go.Figure | None:
    """A calendar of days with a play, one year at a time (a menu picks the year; the latest
    shows first); None without days."""
    years = sorted({d["local_date"].year for d in days})
    if not years:
        return None
    traces = [
        calendar_year(year, [d for d in days if d["local_date"].year == year], year == years[-1])
        for year in years
    ]
    menu = go.layout.Updatemenu(
        buttons=[
            {"label": str(y), "method": "update", "args": [{"visible": [o == y for o in years]}]}
            for y in years
        ],
        active=len(years) - 1,
        x=0,
        xanchor="left",
        y=1.25,
        yanchor="top",
    )
    return figure(
        traces,
        height=230,
        margin={"l": 10, "r": 10, "t": 40, "b": 30},
        yaxis={
            "categoryorder": "array",
            "categoryarray": WEEKDAYS,
            "autorange": "reversed",
            "automargin": True,
        },
        xaxis={"type": "date", "tickformat": "%b"},
        updatemenus=[menu],
    )
