-- One row per listener and local day from their first to their last day with a stream; days
-- without any stream are present with zeros, so calendars and rolling averages need no gaps.
with

in_scope as (

    select * from {{ ref('int_streams_in_scope') }}

),

per_day as (

    select
        listener,
        local_date,
        count(*)::bigint as stream_count,
        count_if(is_counted_play)::bigint as play_count,
        coalesce(sum(ms_played), 0)::bigint as ms_played

    from in_scope
    group by all

),

spans as (

    select
        listener,
        min(local_date) as first_date,
        max(local_date) as last_date

    from per_day
    group by all

),

calendar as (

    select
        listener,
        {{ date_series('first_date', 'last_date', 'day') }} as local_date

    from spans

),

filled as (

    select
        calendar.listener,
        {{ iso_weekday('calendar.local_date') }} as local_weekday,
        coalesce(per_day.stream_count, 0)::bigint as stream_count,
        coalesce(per_day.play_count, 0)::bigint as play_count,
        coalesce(per_day.ms_played, 0)::bigint as ms_played,
        {{ minutes_from_ms('coalesce(per_day.ms_played, 0)') }} as minutes_played,
        coalesce(per_day.play_count, 0) > 0 as has_play,
        calendar.local_date

    from calendar
    left join per_day
        on
            calendar.listener = per_day.listener
            and calendar.local_date = per_day.local_date

)

select * from filled
order by listener, local_date
