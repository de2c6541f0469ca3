-- Plays and minutes by local weekday × hour: all 7 × 24 = 168 cells for every listener,
-- zeros included.
with

in_scope as (

    select * from {{ ref('int_streams_in_scope') }}

),

listeners as (

    select distinct listener from in_scope

),

cells as (

    select
        listeners.listener,
        weekdays.local_weekday::integer as local_weekday,
        hours.local_hour::integer as local_hour

    from listeners
    cross join range(1, 8) as weekdays (local_weekday)
    cross join range(0, 24) as hours (local_hour)

),

per_cell as (

    select
        listener,
        local_weekday,
        local_hour,
        count(*)::bigint as stream_count,
        count_if(is_counted_play)::bigint as play_count,
        coalesce(sum(ms_played), 0)::bigint as ms_played

    from in_scope
    group by all

),

filled as (

    select
        cells.listener,
        -- ISO weekday names, independent of any locale
        {{ weekday_name('cells.local_weekday') }} as local_weekday_name,
        cells.local_weekday,
        cells.local_hour,
        coalesce(per_cell.stream_count, 0)::bigint as stream_count,
        coalesce(per_cell.play_count, 0)::bigint as play_count,
        coalesce(per_cell.ms_played, 0)::bigint as ms_played,
        {{ minutes_from_ms('coalesce(per_cell.ms_played, 0)') }} as minutes_played

    from cells
    left join per_cell
        on
            cells.listener = per_cell.listener
            and cells.local_weekday = per_cell.local_weekday
            and cells.local_hour = per_cell.local_hour

)

select * from filled
order by listener, local_weekday, local_hour
