"""A "current" streak is decided when the report is written, in the listener's zone: current
only if the latest streak reaches today or yesterday there, else "latest streak, ended …".
The mart only says which streak is the latest (`is_latest`); "today" is injected here, never
read from the clock."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from spotify_history.report import listener_today, write_report
from spotify_history.report_sections import streak_facts

# The sample's latest streak is one day, 2025-10-29 (local = UTC in the sample's settings);
# its longest, 2021-09-10 to 2021-09-13.
LATEST = date(2025, 10, 29)


def streak(start: date, end: date, *, longest: bool = False, latest: bool = False) -> dict:
    return {
        "day_count": (end - start).days + 1,
        "streak_start_date": start,
        "streak_end_date": end,
        "is_longest": longest,
        "is_latest": latest,
    }


@pytest.mark.parametrize(
    ("today", "label"),
    [
        (date(2025, 10, 29), "Current streak"),  # played today
        (date(2025, 10, 30), "Current streak"),  # played yesterday: today can still extend it
        (date(2025, 10, 31), "Latest streak, ended 2025-10-29"),
        (date(2026, 10, 31), "Latest streak, ended 2025-10-29"),
    ],
)
def test_the_latest_streak_is_current_only_through_yesterday(today, label):
    facts = streak_facts(
        [
            streak(date(2021, 9, 10), date(2021, 9, 13), longest=True),
            streak(LATEST, LATEST, latest=True),
        ],
        today,
    )
    assert facts == [
        ("Longest streak", "4 days", "2021-09-10 to 2021-09-13"),
        (label, "1 day", "2025-10-29"),
    ]


def test_the_longest_streak_can_be_the_current_one():
    both = [streak(date(2025, 10, 20), LATEST, longest=True, latest=True)]
    assert streak_facts(both, date(2025, 10, 30)) == [
        ("Longest streak, also the current streak", "10 days", "2025-10-20 to 2025-10-29")
    ]
    assert streak_facts(both, date(2025, 11, 30)) == [
        ("Longest streak, also the latest streak, ended 2025-10-29", "10 days",
         "2025-10-20 to 2025-10-29")
    ]  # fmt: skip


def test_today_is_the_listeners_date_in_the_zone_of_their_latest_stream():
    con = duckdb.connect()
    con.execute("create table build_settings as select 'Europe/Berlin' as timezone")
    con.execute("create table streams (listener varchar, timezone varchar, ended_at timestamp)")
    now = datetime(2025, 10, 30, 10, 30, tzinfo=UTC)
    assert listener_today(con, "me", now) == (date(2025, 10, 30), "Europe/Berlin")  # no stream
    con.execute(
        "insert into streams values "
        "('me', 'America/Los_Angeles', '2024-01-01 00:00'), "
        "('me', 'Pacific/Kiritimati', '2025-10-29 12:00'), "  # the latest: UTC+14
        "('you', 'America/Los_Angeles', '2025-10-29 13:00')"
    )
    assert listener_today(con, "me", now) == (date(2025, 10, 31), "Pacific/Kiritimati")
    assert listener_today(con, "you", now) == (date(2025, 10, 30), "America/Los_Angeles")
    late = datetime(2025, 10, 31, 5, 0, tzinfo=UTC)  # still 30 October in Los Angeles
    assert listener_today(con, "you", late) == (date(2025, 10, 30), "America/Los_Angeles")


def streak_lines(page: str) -> list[str]:
    facts = re.search(r'<ul class="facts">(.*?)</ul>', page).group(1)
    return [re.sub(r"<[^>]+>", "", item) for item in re.findall(r"<li>(.*?)</li>", facts)]


def report_text(db: Path, out: Path, now: datetime) -> str:
    write_report(db, out, now=now)
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("zone", "now", "latest", "footer"),
    [
        ("UTC", datetime(2025, 10, 30, 10, 30, tzinfo=UTC), "Current streak", "2025-10-30 (UTC)"),
        # the same instant is already 31 October in the listener's zone (UTC+14)
        ("Pacific/Kiritimati", datetime(2025, 10, 30, 10, 30, tzinfo=UTC),
         "Latest streak, ended 2025-10-29", "2025-10-31 (Pacific/Kiritimati)"),
        ("UTC", datetime(2025, 10, 31, 5, 0, tzinfo=UTC), "Latest streak, ended 2025-10-29",
         "2025-10-31 (UTC)"),
        # …and still 30 October in Los Angeles
        ("America/Los_Angeles", datetime(2025, 10, 31, 5, 0, tzinfo=UTC), "Current streak",
         "2025-10-30 (America/Los_Angeles)"),
    ],
)  # fmt: skip
def test_the_report_says_current_or_ended_as_of_its_own_day(
    built_sample_db, tmp_path, zone, now, latest, footer
):
    db = built_sample_db
    if zone != "UTC":  # the listener lived in `zone`: the streams say so
        db = tmp_path / "zoned.duckdb"
        shutil.copy(built_sample_db, db)
        con = duckdb.connect(str(db))
        con.execute("alter view streams rename to streams_as_built")
        con.execute(
            f"create view streams as select * replace ('{zone}' as timezone) from streams_as_built"
        )
        con.close()
    page = report_text(db, tmp_path / "report.html", now)
    assert streak_lines(page) == [
        "Longest streak: 4 days, 2021-09-10 to 2021-09-13",
        f"{latest}: 1 day, 2025-10-29",
    ]
    assert f"on {footer}." in page
