-- Local time: every kept stream in the zone of the listener's stay (my/timezones.csv) that
-- covers its end, [valid_from, valid_to), else in the `timezone` setting (my/settings.csv),
-- with daylight saving from DuckDB's time-zone data. This is the one wide table of streams
-- (excluded ones included, flagged): the per-stream work every mart needs — local date, hour
-- and weekday, the skip and platform-family definitions, the start time — is done here once,
-- and the marts only filter and aggregate it.
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

-- read three times below (hours, platforms, the conversion): inlined, not computed once and
-- copied (copying every column of every stream cost more than joining the stays again)
zoned as {{ cte_not_materialized() }} (

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

-- the zone's offset at the start and at the end of every hour with a stream: converting a few
-- thousand hours, not every stream, is what keeps this table cheap; an hour in which the offset
-- changes (a DST switch) is converted stream by stream
hours as (

    select distinct
        timezone,
        date_trunc('hour', ended_at) as hour_start

    from zoned

),

offsets as (

    select
        timezone,
        hour_start,
        {{ int_div(
            epoch_microseconds(to_local_time('hour_start', 'timezone'))
            ~ ' - ' ~ epoch_microseconds('hour_start'),
            1000000
        ) }} as offset_seconds,
        {{ int_div(
            epoch_microseconds(to_local_time('hour_start + interval 1 hour', 'timezone'))
            ~ ' - ' ~ epoch_microseconds('hour_start + interval 1 hour'),
            1000000
        ) }} as next_offset_seconds

    from hours

),

-- the platform family of every distinct platform string (a few hundred), not of every stream
platforms as (

    select distinct platform from zoned

),

platform_families as (

    select
        platform,
        {{ platform_family('platform') }} as platform_family

    from platforms

),

converted as (

    select
        zoned.*,
        platform_families.platform_family,
        case
            when offsets.offset_seconds = offsets.next_offset_seconds
                then zoned.ended_at + offsets.offset_seconds * interval 1 second
            else {{ to_local_time('zoned.ended_at', 'zoned.timezone') }}
        end as ended_at_local

    from zoned
    inner join offsets
        on
            zoned.timezone = offsets.timezone
            and date_trunc('hour', zoned.ended_at) = offsets.hour_start
    inner join platform_families
        on zoned.platform is not distinct from platform_families.platform

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
