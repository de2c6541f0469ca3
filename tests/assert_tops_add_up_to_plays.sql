-- Every counted play is in exactly one row of `top_tracks` and one row of `top_artists`:
-- per listener, their play counts add up to the rows of `plays`.
with

plays as (

    select * from {{ ref('plays') }}

),

top_tracks as (

    select * from {{ ref('top_tracks') }}

),

top_artists as (

    select * from {{ ref('top_artists') }}

),

play_totals as (

    select
        listener,
        count(*)::bigint as play_count

    from plays
    group by all

),

track_totals as (

    select
        listener,
        sum(play_count)::bigint as play_count

    from top_tracks
    group by all

),

artist_totals as (

    select
        listener,
        sum(play_count)::bigint as play_count

    from top_artists
    group by all

),

compared as (

    select
        play_totals.listener,
        play_totals.play_count,
        track_totals.play_count as track_play_count,
        artist_totals.play_count as artist_play_count

    from play_totals
    full outer join track_totals on play_totals.listener = track_totals.listener
    full outer join artist_totals on play_totals.listener = artist_totals.listener

)

select * from compared
where
    play_count is distinct from track_play_count
    or play_count is distinct from artist_play_count
