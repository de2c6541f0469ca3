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
        artist_name,
        track_name,
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
