-- Rule 7: a track is (artist name, track name). Ranked by counted plays; ties share a rank.
with

plays as (

    select * from {{ ref('plays') }}

),

streams as (

    select * from {{ ref('streams') }}

),

track_plays as (

    select
        listener,
        artist_name,
        track_name,
        count(*)::bigint as play_count,
        min(ended_at) as first_played_at,
        max(ended_at) as last_played_at

    from plays
    group by all

),

track_time as (

    select
        listener,
        canonical_artist_name as artist_name,
        canonical_track_name as track_name,
        sum(ms_played)::bigint as ms_played

    from streams
    where content_type = 'track' and not is_excluded
    group by all

),

ranked as (

    select
        track_plays.listener,
        rank() over (
            partition by track_plays.listener order by track_plays.play_count desc
        )::bigint as rank,
        track_plays.artist_name,
        track_plays.track_name,
        track_plays.play_count,
        track_time.ms_played,
        {{ minutes_from_ms('track_time.ms_played') }} as minutes_played,
        track_plays.first_played_at,
        track_plays.last_played_at

    from track_plays
    inner join track_time
        on
            track_plays.listener = track_time.listener
            and track_plays.artist_name is not distinct from track_time.artist_name
            and track_plays.track_name is not distinct from track_time.track_name

)

select * from ranked
order by listener, rank, artist_name, track_name
