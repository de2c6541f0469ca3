-- Rule 7: an artist is its name. Ranked by counted plays; ties share a rank.
with

plays as (

    select * from {{ ref('plays') }}

),

streams as (

    select * from {{ ref('streams') }}

),

artist_plays as (

    select
        listener,
        artist_name,
        count(*)::bigint as play_count,
        count(distinct track_name)::bigint as track_count,
        min(ended_at) as first_played_at,
        max(ended_at) as last_played_at

    from plays
    group by all

),

artist_time as (

    select
        listener,
        canonical_artist_name as artist_name,
        sum(ms_played)::bigint as ms_played

    from streams
    where content_type = 'track' and not is_excluded
    group by all

),

ranked as (

    select
        artist_plays.listener,
        rank() over (
            partition by artist_plays.listener order by artist_plays.play_count desc
        )::bigint as rank,
        artist_plays.artist_name,
        artist_plays.play_count,
        artist_plays.track_count,
        artist_time.ms_played,
        {{ minutes_from_ms('artist_time.ms_played') }} as minutes_played,
        artist_plays.first_played_at,
        artist_plays.last_played_at

    from artist_plays
    inner join artist_time
        on
            artist_plays.listener = artist_time.listener
            and artist_plays.artist_name is not distinct from artist_time.artist_name

)

select * from ranked
order by listener, rank, artist_name
