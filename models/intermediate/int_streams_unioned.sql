-- Every format onto one stream grain. A row belongs to every source whose export contains its
-- file, including exports where the same file was skipped as already loaded, so each
-- (source, row) pair is one candidate stream here.
with

exports as (

    select * from {{ ref('stg_spotify__exports') }}

),

files as (

    select * from {{ ref('stg_spotify__files') }}

),

account_rows as (

    select * from {{ ref('stg_spotify__account_history') }}

),

extended_rows as (

    select * from {{ ref('stg_spotify__extended_history') }}

),

file_sources as (

    select
        files.file_id as manifest_file_id,
        files.rows_file_id,
        files.export_id,
        exports.listener,
        files.source_kind,
        files.format,
        {{ source_id('files.export_id', 'files.source_kind') }} as source_id

    from files
    inner join exports on files.export_id = exports.export_id

),

account_streams as (

    select
        account_rows.file_id,
        account_rows.row_number,
        -- typed by the other branch (the engines' row hashes differ in type)
        null as raw_row_hash,
        account_rows.artist_name,
        account_rows.track_name,
        null::string as album_name,
        null::string as track_uri,
        account_rows.show_name,
        account_rows.episode_name,
        null::string as episode_uri,
        account_rows.audiobook_title,
        null::string as audiobook_uri,
        account_rows.audiobook_chapter_title,
        null::string as audiobook_chapter_uri,
        account_rows.audiobook_author_name,
        null::string as platform,
        null::string as conn_country,
        null::string as reason_start,
        null::string as reason_end,
        account_rows.extra_fields,
        account_rows.ms_played,
        null::boolean as is_shuffle,
        null::boolean as is_spotify_skipped,
        null::boolean as is_offline,
        null::boolean as is_incognito,
        account_rows.ended_at,
        null::timestamp as offline_at

    from account_rows

),

extended_streams as (

    select
        extended_rows.file_id,
        extended_rows.row_number,
        extended_rows.raw_row_hash,
        extended_rows.artist_name,
        extended_rows.track_name,
        extended_rows.album_name,
        extended_rows.track_uri,
        extended_rows.show_name,
        extended_rows.episode_name,
        extended_rows.episode_uri,
        extended_rows.audiobook_title,
        extended_rows.audiobook_uri,
        extended_rows.audiobook_chapter_title,
        extended_rows.audiobook_chapter_uri,
        null::string as audiobook_author_name,
        extended_rows.platform,
        extended_rows.conn_country,
        extended_rows.reason_start,
        extended_rows.reason_end,
        extended_rows.extra_fields,
        extended_rows.ms_played,
        extended_rows.is_shuffle,
        extended_rows.is_spotify_skipped,
        extended_rows.is_offline,
        extended_rows.is_incognito,
        extended_rows.ended_at,
        extended_rows.offline_at

    from extended_rows

),

all_rows as (

    select * from account_streams
    union all
    select * from extended_streams

),

unioned as (

    select
        file_sources.source_id,
        file_sources.listener,
        file_sources.export_id,
        all_rows.file_id,
        all_rows.row_number,
        -- deterministic: the row's place in the raw tables never changes
        md5(all_rows.file_id::string || ':' || all_rows.row_number::string) as stream_id,
        file_sources.source_kind,
        file_sources.format as file_format,
        {{ star_except(['file_id', 'row_number'], 'all_rows') }}

    from all_rows
    inner join file_sources on all_rows.file_id = file_sources.rows_file_id

)

select * from unioned
