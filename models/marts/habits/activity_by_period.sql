-- Your listening per listener over all time and per local year and month: streams, counted
-- plays, time, distinct tracks and artists played, days with a play. Every year and month
-- from the listener's first to last day is present (zeros where nothing was played).
with

in_scope as (

    select * from {{ ref('int_streams_in_scope') }}

),

days as (

    select * from {{ ref('daily_activity') }}

),

periods as (

    select distinct
        days.listener,
        grains.period_grain,
        case grains.period_grain
            when 'year' then date_trunc('year', days.local_date)::date
            when 'month' then date_trunc('month', days.local_date)::date
        end as period_start

    from days
    cross join (values ('all'), ('year'), ('month')) as grains (period_grain)

),

dated as (

    select
        *,
        {{ period_starts('local_date') }}

    from in_scope

),

totals as (

    select
        listener,
        {{ period_grain_and_start() }},
        count(*)::bigint as stream_count,
        count_if(is_counted_play)::bigint as play_count,
        coalesce(sum(ms_played), 0)::bigint as ms_played,
        count(
            distinct {{ record({'artist_name': 'artist_name', 'track_name': 'track_name'}) }}
        ) filter (where is_counted_play)::bigint
            as track_count,
        count(distinct artist_name) filter (where is_counted_play)::bigint as artist_count,
        count(distinct local_date) filter (where is_counted_play)::bigint as active_day_count,
        min(local_date) as first_local_date,
        max(local_date) as last_local_date,
        min(ended_at) as first_ended_at,
        max(ended_at) as last_ended_at

    from dated
    group by {{ grouped_by_period(['listener']) }}

),

filled as (

    select
        periods.listener,
        periods.period_grain,
        periods.period_start,
        coalesce(totals.stream_count, 0)::bigint as stream_count,
        coalesce(totals.play_count, 0)::bigint as play_count,
        coalesce(totals.ms_played, 0)::bigint as ms_played,
        {{ minutes_from_ms('coalesce(totals.ms_played, 0)') }} as minutes_played,
        coalesce(totals.track_count, 0)::bigint as track_count,
        coalesce(totals.artist_count, 0)::bigint as artist_count,
        coalesce(totals.active_day_count, 0)::bigint as active_day_count,
        totals.first_local_date,
        totals.last_local_date,
        totals.first_ended_at,
        totals.last_ended_at

    from periods
    left join totals
        on
            periods.listener = totals.listener
            and periods.period_grain = totals.period_grain
            and periods.period_start is not distinct from totals.period_start

)

select * from filled
order by listener, period_grain, period_start
