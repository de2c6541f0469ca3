-- Local time: every stream in the zone of the seeds/timezones.csv stay that covers its end
-- ([valid_from, valid_to), per listener), else in var `timezone`. A table: all habit marts
-- read it.
{{ config(materialized='table') }}

with

streams as (

    select * from {{ ref('streams') }}

),

stays as (

    select * from {{ ref('timezones') }}

),

zoned as (

    select
        streams.*,
        coalesce(stays.timezone, '{{ var("timezone") }}') as timezone

    from streams
    left join stays
        on
            streams.listener = stays.listener
            and streams.ended_at >= stays.valid_from
            and (stays.valid_to is null or streams.ended_at < stays.valid_to)

),

converted as (

    select
        *,
        {{ to_local_time('ended_at', 'timezone') }} as ended_at_local

    from zoned

),

localized as (

    select
        stream_id,
        listener,
        content_type,
        -- the names the top lists count (seeds/track_merges.csv applied)
        canonical_artist_name as artist_name,
        canonical_track_name as track_name,
        album_name,
        show_name,
        episode_name,
        audiobook_title,
        audiobook_chapter_title,
        platform,
        {{ platform_family('platform') }} as platform_family,
        conn_country,
        reason_start,
        reason_end,
        timezone,
        ms_played,
        hour(ended_at_local)::integer as local_hour,
        isodow(ended_at_local)::integer as local_weekday,
        dayname(ended_at_local) as local_weekday_name,
        is_shuffle,
        is_offline,
        is_incognito,
        is_excluded,
        is_counted_play,
        {{ is_skip('reason_end', 'is_skipped') }} as is_skip,
        ended_at_local::date as local_date,
        coalesce(started_at, ended_at) as started_at,
        ended_at,
        ended_at_local

    from converted

)

select * from localized
