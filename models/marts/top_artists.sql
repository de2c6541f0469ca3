-- Your top artists of all time: the all-time rows of `top_artists_by_period`.
with

ranked as (

    select * from {{ ref('top_artists_by_period') }}

),

all_time as (

    select
        listener,
        rank,
        artist_name,
        play_count,
        track_count,
        first_track_name,
        ms_played,
        minutes_played,
        first_played_local_date,
        last_played_local_date,
        first_played_at,
        last_played_at

    from ranked
    where period_grain = 'all'

)

select * from all_time
order by listener, rank, artist_name
