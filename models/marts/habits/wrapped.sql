-- Your own Wrapped, per listener and local year: time, plays, variety, top 5 tracks and
-- artists (as lists), busiest day, longest streak inside the year, artists discovered.
with

streams as (

    select * from {{ ref('int_streams_localized') }}

),

days as (

    select * from {{ ref('daily_activity') }}

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

    select * from {{ ref('artist_discoveries') }}

),

totals as (

    select
        listener,
        year(local_date)::integer as local_year,
        count(*)::bigint as stream_count,
        count_if(is_counted_play)::bigint as play_count,
        count(distinct [artist_name, track_name]) filter (where is_counted_play)::bigint
            as track_count,
        count(distinct artist_name) filter (where is_counted_play)::bigint as artist_count,
        coalesce(sum(ms_played), 0)::bigint as ms_played

    from streams
    where not is_excluded
    group by all

),

top_track_lists as (

    -- 5 entries at most: rank, then names, break ties
    select
        listener,
        year(period_start)::integer as local_year,
        list(
            coalesce(artist_name, '?') || ' – ' || coalesce(track_name, '?')
            order by rank, artist_name, track_name
        )[1:5] as top_tracks

    from year_tracks
    group by all

),

top_artist_lists as (

    select
        listener,
        year(period_start)::integer as local_year,
        list(coalesce(artist_name, '?') order by rank, artist_name)[1:5] as top_artists

    from year_artists
    group by all

),

busiest_days as (

    -- most minutes; the earliest of equal days
    select
        listener,
        year(local_date)::integer as local_year,
        minutes_played as busiest_date_minutes,
        local_date as busiest_date

    from days
    qualify row_number() over (
        partition by listener, year(local_date) order by ms_played desc, local_date asc
    ) = 1

),

play_days as (

    select
        listener,
        year(local_date)::integer as local_year,
        local_date,
        local_date - (
            row_number() over (
                partition by listener, year(local_date) order by local_date
            )
        )::integer as island_date

    from days
    where has_play

),

streaks as (

    select
        listener,
        local_year,
        count(*)::bigint as day_count,
        min(local_date) as streak_start_date

    from play_days
    group by listener, local_year, island_date

),

longest_streaks as (

    select
        listener,
        local_year,
        day_count as longest_streak_days,
        streak_start_date as longest_streak_start_date

    from streaks
    qualify row_number() over (
        partition by listener, local_year order by day_count desc, streak_start_date asc
    ) = 1

),

discovered as (

    select
        listener,
        year(first_played_local_date)::integer as local_year,
        count(*)::bigint as new_artist_count

    from artists
    group by all

),

final as (

    select
        totals.listener,
        totals.local_year,
        coalesce(top_track_lists.top_tracks, []::varchar[]) as top_tracks,
        coalesce(top_artist_lists.top_artists, []::varchar[]) as top_artists,
        totals.stream_count,
        totals.play_count,
        totals.track_count,
        totals.artist_count,
        totals.ms_played,
        {{ minutes_from_ms('totals.ms_played') }} as minutes_played,
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
