-- The counted plays: the streams in scope that the counted-play rule counts.
with

streams as (

    select * from {{ ref('int_streams_in_scope') }}

),

plays as (

    select
        stream_id,
        listener,
        export_id,
        source_kind,
        artist_name,
        original_artist_name,
        track_name,
        original_track_name,
        album_name,
        track_uri,
        platform,
        platform_family,
        conn_country,
        reason_start,
        reason_end,
        timezone,
        ms_played,
        local_hour,
        local_weekday,
        is_shuffle,
        is_skip,
        is_offline,
        is_incognito,
        is_merged,
        local_date,
        started_at,
        ended_at,
        ended_at_local

    from streams
    where is_counted_play

)

select * from plays
