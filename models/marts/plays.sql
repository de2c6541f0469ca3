with

streams as (

    select * from {{ ref('streams') }}

),

plays as (

    select
        stream_id,
        listener,
        export_id,
        source_kind,
        -- the track identity the top lists count: merged names (seeds/track_merges.csv)
        canonical_artist_name as artist_name,
        canonical_track_name as track_name,
        artist_name as original_artist_name,
        track_name as original_track_name,
        album_name,
        track_uri,
        platform,
        conn_country,
        reason_start,
        reason_end,
        ms_played,
        is_shuffle,
        is_skipped,
        is_offline,
        is_incognito,
        started_at,
        ended_at

    from streams
    where is_counted_play

)

select * from plays
