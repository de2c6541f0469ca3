-- Every stream kept by the import rules, of every content type, each once; the streams your
-- exclusions leave out are here too, flagged (`is_excluded`). Rows left out by the import
-- rules are in `import_audit`.
with

streams as (

    select * from {{ ref('int_streams_localized') }}

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
        original_artist_name,
        track_name,
        original_track_name,
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
        platform_family,
        conn_country,
        reason_start,
        reason_end,
        timezone,
        excluded_by_rule_id,
        ms_played,
        local_hour,
        local_weekday,
        is_shuffle,
        is_spotify_skipped,
        is_skip,
        is_offline,
        is_incognito,
        is_merged,
        is_excluded,
        is_eligible_play,
        is_counted_play,
        local_date,
        started_at,
        ended_at,
        ended_at_local,
        offline_at

    from streams

)

select * from kept
