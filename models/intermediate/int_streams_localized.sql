-- Local time: every row's end in the zone of the listener's stay (my/timezones.csv) that
-- covers it, [valid_from, valid_to), else in the `timezone` setting (my/settings.csv),
-- with daylight saving from DuckDB's time-zone data. This is the one wide table: every raw
-- row, with the import rules' verdict (`is_kept`; why not: `overlapped_by_source_id`,
-- `duplicate_of_stream_id`) and your exclusions' (`is_excluded`). The per-stream work every
-- mart needs — local date, hour and weekday, the skip and platform-family definitions, the
-- start time — is done here once, and the marts only filter and aggregate it.
{{ config(materialized='table') }}

with

streams as (

    select * from {{ ref('int_streams_counted') }}

),

stays as (

    select * from {{ ref('stg_seeds__timezones') }}

),

settings as (

    select * from {{ ref('stg_seeds__settings') }}

),

sources as (

    select * from {{ ref('int_sources_ranked') }}

),

zoned as (

    select
        streams.*,
        coalesce(stays.timezone, settings.timezone) as timezone

    from streams
    cross join settings
    left join stays
        on
            streams.listener = stays.listener
            and streams.ended_at >= stays.valid_from
            and (stays.valid_to is null or streams.ended_at < stays.valid_to)

),

-- the zone's UTC offset at the start of each UTC day the history covers (every source's span)
-- and at the start of the next: a few thousand days per zone, not every stream, are
-- converted (zones never change their offset twice in a day). The days come from the sources,
-- not from the streams: reading the streams twice would make DuckDB copy them first.
zones as (

    select timezone from settings
    union
    select timezone from stays

),

covered as (

    select
        min(span_started_at)::date as first_date,
        max(span_ended_at)::date as last_date

    from sources

),

days as (

    select
        zones.timezone,
        {{ date_series('covered.first_date', 'covered.last_date', 'day') }} as utc_day

    from zones
    cross join covered

),

offsets as (

    select
        timezone,
        utc_day,
        {{ int_div(
            epoch_microseconds(to_local_time('utc_day::timestamp', 'timezone'))
            ~ ' - ' ~ epoch_microseconds('utc_day::timestamp'),
            1000000
        ) }} as offset_seconds,
        {{ int_div(
            epoch_microseconds(to_local_time('(utc_day + 1)::timestamp', 'timezone'))
            ~ ' - ' ~ epoch_microseconds('(utc_day + 1)::timestamp'),
            1000000
        ) }} as next_offset_seconds

    from days

),

-- a day whose offset changes (a DST switch), or one outside the sources' spans, is converted
-- stream by stream; the platform family is found row by row too (a lookup per distinct
-- platform would read the streams a second time)
converted as (

    select
        zoned.*,
        {{ platform_family('zoned.platform') }} as platform_family,
        case
            when offsets.offset_seconds = offsets.next_offset_seconds
                then zoned.ended_at + offsets.offset_seconds * interval 1 second
            else {{ to_local_time('zoned.ended_at', 'zoned.timezone') }}
        end as ended_at_local

    from zoned
    left join offsets
        on
            zoned.timezone = offsets.timezone
            and zoned.ended_at::date = offsets.utc_day

),

localized as (

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
        overlapped_by_source_id,
        duplicate_of_stream_id,
        excluded_by_rule_id,
        ms_played,
        hour(ended_at_local)::integer as local_hour,
        {{ iso_weekday('ended_at_local') }} as local_weekday,
        is_shuffle,
        is_spotify_skipped,
        {{ is_skip('reason_end', 'is_spotify_skipped') }} as is_skip,
        is_offline,
        is_incognito,
        is_merged,
        is_kept,
        is_excluded,
        is_eligible_play,
        is_counted_play,
        ended_at_local::date as local_date,
        ended_at - ms_played * interval 1 millisecond as started_at,
        ended_at,
        ended_at_local,
        offline_at

    from converted

)

select * from localized
