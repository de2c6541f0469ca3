with

source as (

    select * from {{ source('spotify', 'extended_history') }}

),

renamed as (

    select
        file_id,
        row_number,
        -- the exact-duplicates rule compares rows in every field as Spotify wrote them (before
        -- any cleaning), leaving out lineage and the personal fields (username, IP address,
        -- user agent): real exports log one event twice with another IP, or with a user agent
        -- null in one copy and '' in the other, and counts must not depend on whether
        -- --keep-personal-data stored them
        {{ row_hash([
            'ts', 'platform', 'ms_played', 'conn_country', 'master_metadata_track_name',
            'master_metadata_album_artist_name', 'master_metadata_album_album_name',
            'spotify_track_uri', 'episode_name', 'episode_show_name', 'spotify_episode_uri',
            'audiobook_title', 'audiobook_uri', 'audiobook_chapter_uri', 'audiobook_chapter_title',
            'reason_start', 'reason_end', 'shuffle', 'skipped', 'offline', 'offline_timestamp',
            'incognito_mode', 'extra'
        ]) }} as raw_row_hash,
        {{ clean_name('master_metadata_album_artist_name') }} as artist_name,
        {{ clean_name('master_metadata_track_name') }} as track_name,
        {{ clean_name('master_metadata_album_album_name') }} as album_name,
        {{ empty_as_null('spotify_track_uri') }} as track_uri,
        {{ clean_name('episode_show_name') }} as show_name,
        {{ clean_name('episode_name') }} as episode_name,
        {{ empty_as_null('spotify_episode_uri') }} as episode_uri,
        {{ clean_name('audiobook_title') }} as audiobook_title,
        {{ empty_as_null('audiobook_uri') }} as audiobook_uri,
        {{ clean_name('audiobook_chapter_title') }} as audiobook_chapter_title,
        {{ empty_as_null('audiobook_chapter_uri') }} as audiobook_chapter_uri,
        {{ empty_as_null('platform') }} as platform,
        {{ empty_as_null('conn_country') }} as conn_country,
        {{ current_reason_code('reason_start') }} as reason_start,
        {{ current_reason_code('reason_end') }} as reason_end,
        extra as extra_fields,
        ms_played,
        shuffle as is_shuffle,
        skipped as is_spotify_skipped,
        offline as is_offline,
        incognito_mode as is_incognito,
        ts as ended_at,
        -- epoch seconds or milliseconds (both occur): normalised to seconds by size
        case
            when offline_timestamp > 100000000000 then {{ int_div('offline_timestamp', 1000) }}
            else offline_timestamp
        end as offline_epoch_seconds

    from source

),

offline_normalised as (

    select
        {{ star_except(['offline_epoch_seconds']) }},
        -- junk (0, 1, tiny values) and anything before 2008 means "unknown"; the upper bound
        -- (2100) only keeps absurd values from overflowing the timestamp
        case
            when offline_epoch_seconds between 1199145600 and 4102444800
                then {{ timestamp_from_epoch_seconds('offline_epoch_seconds') }}
        end as offline_at

    from renamed

)

select * from offline_normalised
