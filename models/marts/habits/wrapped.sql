-- Your own Wrapped, per listener and local year with a stream: time, plays, variety, top 5
-- tracks and artists (as lists), busiest day, longest streak inside the year (the streaks of
-- `listening_streaks` cut at New Year), artists discovered that year.
with

years as (

    select * from {{ ref('activity_by_period') }}
    where period_grain = 'year' and stream_count > 0

),

days as (

    select * from {{ ref('daily_activity') }}

),

streaks as (

    select * from {{ ref('listening_streaks') }}

),

year_tracks as (

    select * from {{ ref('top_tracks_by_period') }}
    where period_grain = 'year'

),

year_artists as (

    select * from {{ ref('top_artists_by_period') }}
    where period_grain = 'year'

),

artists as (

    select * from {{ ref('top_artists') }}

),

totals as (

    select
        listener,
        year(period_start)::integer as local_year,
        stream_count,
        play_count,
        track_count,
        artist_count,
        ms_played,
        minutes_played

    from years

),

top_tracks_numbered as (

    -- 5 entries at most: rank, then names, break ties
    select
        listener,
        year(period_start)::integer as local_year,
        coalesce(artist_name, '?') || ' – ' || coalesce(track_name, '?') as entry,
        row_number() over (
            partition by listener, period_start
            order by rank asc, artist_name asc nulls last, track_name asc nulls last
        ) as list_position

    from year_tracks

),

top_track_lists as (

    select
        listener,
        local_year,
        {{ ordered_list('entry', 'list_position') }} as top_tracks

    from top_tracks_numbered
    where list_position <= 5
    group by listener, local_year

),

top_artists_numbered as (

    select
        listener,
        year(period_start)::integer as local_year,
        coalesce(artist_name, '?') as entry,
        row_number() over (
            partition by listener, period_start order by rank asc, artist_name asc nulls last
        ) as list_position

    from year_artists

),

top_artist_lists as (

    select
        listener,
        local_year,
        {{ ordered_list('entry', 'list_position') }} as top_artists

    from top_artists_numbered
    where list_position <= 5
    group by listener, local_year

),

days_ranked as (

    -- most minutes; the earliest of equal days
    select
        listener,
        year(local_date)::integer as local_year,
        minutes_played as busiest_date_minutes,
        local_date as busiest_date,
        row_number() over (
            partition by listener, year(local_date) order by ms_played desc, local_date asc
        ) as day_rank

    from days

),

busiest_days as (

    select
        listener,
        local_year,
        busiest_date_minutes,
        busiest_date

    from days_ranked
    where day_rank = 1

),

streaks_in_years as (

    -- a streak over New Year counts in each year for its days in that year
    select
        streaks.listener,
        totals.local_year,
        greatest(streaks.streak_start_date, make_date(totals.local_year, 1, 1))
            as streak_start_date,
        (
            {{ days_between(
                'greatest(streaks.streak_start_date, make_date(totals.local_year, 1, 1))',
                'least(streaks.streak_end_date, make_date(totals.local_year, 12, 31))',
            ) }}
            + 1
        )::bigint as day_count

    from streaks
    inner join totals
        on
            streaks.listener = totals.listener
            and totals.local_year between year(streaks.streak_start_date)
            and year(streaks.streak_end_date)

),

streaks_ranked as (

    select
        listener,
        local_year,
        day_count as longest_streak_days,
        streak_start_date as longest_streak_start_date,
        row_number() over (
            partition by listener, local_year order by day_count desc, streak_start_date asc
        ) as streak_rank

    from streaks_in_years

),

longest_streaks as (

    select
        listener,
        local_year,
        longest_streak_days,
        longest_streak_start_date

    from streaks_ranked
    where streak_rank = 1

),

discovered as (

    select
        listener,
        year(first_played_local_date)::integer as local_year,
        count(*)::bigint as new_artist_count

    from artists
    where artist_name is not null
    group by all

),

final as (

    select
        totals.listener,
        totals.local_year,
        coalesce(top_track_lists.top_tracks, {{ empty_string_list() }}) as top_tracks,
        coalesce(top_artist_lists.top_artists, {{ empty_string_list() }}) as top_artists,
        totals.stream_count,
        totals.play_count,
        totals.track_count,
        totals.artist_count,
        totals.ms_played,
        totals.minutes_played,
        busiest_days.busiest_date_minutes,
        coalesce(longest_streaks.longest_streak_days, 0)::bigint as longest_streak_days,
        coalesce(discovered.new_artist_count, 0)::bigint as new_artist_count,
        busiest_days.busiest_date,
        longest_streaks.longest_streak_start_date

    from totals
    left join top_track_lists
        on
            totals.listener = top_track_lists.listener
            and totals.local_year = top_track_lists.local_year
    left join top_artist_lists
        on
            totals.listener = top_artist_lists.listener
            and totals.local_year = top_artist_lists.local_year
    left join busiest_days
        on
            totals.listener = busiest_days.listener
            and totals.local_year = busiest_days.local_year
    left join longest_streaks
        on
            totals.listener = longest_streaks.listener
            and totals.local_year = longest_streaks.local_year
    left join discovered
        on
            totals.listener = discovered.listener
            and totals.local_year = discovered.local_year

)

select * from final
order by listener, local_year
