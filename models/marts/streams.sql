with

streams as (

    select * from {{ ref('int_streams_overlap_resolved') }}

),

kept as (

    select
        stream_id,
        listener,
        export_id,
        source_id,
        file_id,
        row_number,
        source_kind,
        content_type,
        artist_name,
        track_name,
        album_name,
        track_uri,
        show_name,
        episode_name,
        episode_uri,
        audiobook_title,
        audiobook_chapter_title,
        audiobook_author_name,
        audiobook_uri,
        audiobook_chapter_uri,
        platform,
        conn_country,
        reason_start,
        reason_end,
        ms_played,
        is_shuffle,
        is_skipped,
        is_offline,
        is_incognito,
        -- rule 6: a counted play is a music-track stream of at least min_play_ms
        coalesce(
            content_type = 'track' and ms_played >= {{ var('min_play_ms') }}, false
        ) as is_counted_play,
        ended_at - to_milliseconds(ms_played) as started_at,
        ended_at,
        offline_at

    from streams
    where is_kept

)

select * from kept
order by listener, ended_at, file_id, row_number
