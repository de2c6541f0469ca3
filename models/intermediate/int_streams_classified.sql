-- Content type, tested in this order: any audiobook field set → audiobook; an episode URI or
-- name → episode; a track URI or name → track; else unattributed.
-- Podcasts in old music files: old account files (StreamingHistoryN, the 2018 `time` variant)
-- mix podcasts into the music rows with the show in artistName and the episode in trackName:
-- such a row is an episode when the same listener has that (show, episode) pair as an
-- episode anywhere else.
with

-- read twice (the known episodes, then every stream): inlined where read, so the known
-- episodes read only their few columns, instead of a copy of every column of every stream
streams as {{ cte_not_materialized() }} (

    select * from {{ ref('int_streams_unioned') }}

),

by_fields as {{ cte_not_materialized() }} (

    select
        *,
        case
            when
                audiobook_title is not null
                or audiobook_uri is not null
                or audiobook_chapter_title is not null
                or audiobook_chapter_uri is not null
                then 'audiobook'
            when episode_uri is not null or episode_name is not null then 'episode'
            when track_uri is not null or track_name is not null then 'track'
            else 'unattributed'
        end as content_type_by_fields,
        -- the show a row of an old mixed file would belong to, were it a podcast (an equality
        -- key keeps the join below a hash join)
        case
            when
                file_format in ('account', 'account_time')
                and (track_uri is not null or track_name is not null)
                and episode_uri is null
                and episode_name is null
                and audiobook_title is null
                and audiobook_uri is null
                and audiobook_chapter_title is null
                and audiobook_chapter_uri is null
                then artist_name
        end as mixed_file_show_name

    from streams

),

known_episodes as (

    select distinct
        listener,
        show_name,
        episode_name

    from by_fields
    where content_type_by_fields = 'episode' and show_name is not null

),

classified as (

    select
        {{ star_except([
            'content_type_by_fields',
            'mixed_file_show_name',
            'artist_name',
            'track_name',
            'show_name',
            'episode_name',
        ], 'by_fields') }},
        known_episodes.listener is not null as is_podcast_in_music_file,
        case
            when is_podcast_in_music_file then 'episode' else by_fields.content_type_by_fields
        end as content_type,
        case when not is_podcast_in_music_file then by_fields.artist_name end as artist_name,
        case when not is_podcast_in_music_file then by_fields.track_name end as track_name,
        case
            when is_podcast_in_music_file then by_fields.artist_name else by_fields.show_name
        end as show_name,
        case
            when is_podcast_in_music_file then by_fields.track_name else by_fields.episode_name
        end as episode_name

    from by_fields
    left join known_episodes
        on
            by_fields.listener = known_episodes.listener
            and by_fields.mixed_file_show_name = known_episodes.show_name
            and by_fields.track_name = known_episodes.episode_name

)

select * from classified
