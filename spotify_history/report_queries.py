"""What each section of the report reads from the marts: one query per section, one `?` for the
listener. The numbers are the marts' own; the queries only pick and order rows."""

from __future__ import annotations

TOTALS = (
    "select first_local_date, last_local_date, play_count, minutes_played, track_count, "
    "artist_count, active_day_count from activity_by_period "
    "where listener = ? and period_grain = 'all'"
)

# The first {top} of all time and of each year, `period` = 'all' or the year.
TOPS = (
    "select coalesce(strftime(period_start, '%Y'), 'all') as period, rank, {name} as name, "
    "play_count, minutes_played as detail from {table} "
    "where listener = ? and period_grain in ('all', 'year') "
    "qualify row_number() over (partition by period_grain, period_start order by rank, name) "
    "<= {top} order by period_grain, period_start desc, rank, name"
)

MONTHS = (
    "select strftime(period_start, '%Y-%m-01') as month, minutes_played as minutes, "
    "play_count as plays from activity_by_period "
    "where listener = ? and period_grain = 'month' order by period_start"
)

CLOCK = (
    "select local_weekday, local_hour, minutes_played from listening_clock "
    "where listener = ? order by local_weekday, local_hour"
)

DAYS = (
    "select local_date, minutes_played, play_count from daily_activity "
    "where listener = ? order by local_date"
)

STREAKS = (
    "select day_count, streak_start_date, streak_end_date, is_longest, is_latest "
    "from listening_streaks where listener = ? and (is_longest or is_latest) "
    "order by streak_start_date"
)

DISCOVERIES = (
    "select strftime(month_start, '%Y-%m-01') as month, new_artist_count, new_track_count "
    "from monthly_discoveries where listener = ? order by month_start"
)

YEARS = (
    "select local_year, top_tracks, top_artists, play_count, minutes_played, track_count, "
    "artist_count, new_artist_count, busiest_date, busiest_date_minutes, "
    "longest_streak_days from wrapped where listener = ? order by local_year desc"
)
