-- Gaps and islands: a streak is a run of consecutive local days with at least one counted
-- play. Days minus their position among the listener's play days is constant within a run.
with

days as (

    select * from {{ ref('daily_activity') }}

),

last_days as (

    select
        listener,
        max(local_date) as last_date

    from days
    group by all

),

play_days as (

    select
        listener,
        play_count,
        local_date,
        local_date - (
            row_number() over (partition by listener order by local_date)
        )::integer as island_date

    from days
    where has_play

),

islands as (

    select
        listener,
        count(*)::bigint as day_count,
        sum(play_count)::bigint as play_count,
        min(local_date) as streak_start_date,
        max(local_date) as streak_end_date

    from play_days
    group by listener, island_date

),

final as (

    select
        islands.listener,
        islands.day_count,
        islands.play_count,
        islands.day_count = max(islands.day_count) over (
            partition by islands.listener
        ) as is_longest,
        -- current: the streak reaches the last day with any stream in the data
        islands.streak_end_date = last_days.last_date as is_current,
        islands.streak_start_date,
        islands.streak_end_date

    from islands
    inner join last_days on islands.listener = last_days.listener

)

select * from final
order by listener, streak_start_date
