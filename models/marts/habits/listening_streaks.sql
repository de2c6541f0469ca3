-- Streaks: a streak is a run of consecutive local days with at least one counted play (gaps
-- and islands: a day minus its position among the listener's play days is constant within a
-- run). The one streak definition; `wrapped` cuts these streaks at New Year.
with

days as (

    select * from {{ ref('daily_activity') }}

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
        listener,
        day_count,
        play_count,
        day_count = max(day_count) over (partition by listener) as is_longest,
        -- the most recent streak; whether it is still going depends on today, which a mart
        -- does not know (the report decides when it is written)
        streak_end_date = max(streak_end_date) over (partition by listener) as is_latest,
        streak_start_date,
        streak_end_date

    from islands

)

select * from final
order by listener, streak_start_date
