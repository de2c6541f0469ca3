with

streams as (

    select * from {{ ref('int_streams_excluded') }}

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
        canonical_artist_name,
        canonical_track_name,
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
        excluded_by_rule_id,
        ms_played,
        is_shuffle,
        is_skipped,
        is_offline,
        is_incognito,
        is_merged,
        is_excluded,
        -- rule 6: a counted play is a music-track stream of at least min_play_ms (and one
        -- your exclusions do not leave out)
        coalesce(
            content_type = 'track'
            and ms_played >= {{ var('min_play_ms') }}
            and not is_excluded,
            false
        ) as is_counted_play,
        ended_at - to_milliseconds(ms_played) as started_at,
        ended_at,
        offline_at

    from streams

)

select * from kept
order by listener, ended_at, file_id, row_number
