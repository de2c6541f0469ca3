-- The first counted play of every artist per listener (local time), and how much they have
-- been played since.
with

streams as (

    select * from {{ ref('int_streams_localized') }}

),

plays as (

    select * from streams
    where is_counted_play and artist_name is not null

),

firsts as (

    select
        listener,
        artist_name,
        arg_min(track_name, ended_at) as first_track_name,
        count(*)::bigint as play_count,
        min(local_date) as first_played_local_date,
        max(local_date) as last_played_local_date,
        min(ended_at) as first_played_at,
        max(ended_at) as last_played_at

    from plays
    group by all

)

select * from firsts
order by listener, first_played_at, artist_name
