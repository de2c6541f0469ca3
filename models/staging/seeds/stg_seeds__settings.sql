-- Your settings (my/settings.csv, `setting,value` rows) as one typed row. A setting that is
-- missing or empty takes its default, here and nowhere else: time zone UTC, a counted play from
-- 30 000 ms, a new session after 30 minutes without a stream.
with

source as (

    select * from {{ ref('settings') }}

),

given as (

    select
        max(case when trim(setting) = 'timezone' then nullif(trim(value), '') end)
            as timezone,
        max(case when trim(setting) = 'min_play_ms' then nullif(trim(value), '') end)
            as min_play_ms,
        max(case when trim(setting) = 'session_gap_minutes' then nullif(trim(value), '') end)
            as session_gap_minutes

    from source

),

settings as (

    select
        coalesce(timezone, 'UTC') as timezone,
        coalesce(try_cast(min_play_ms as bigint), 30000) as min_play_ms,
        coalesce(try_cast(session_gap_minutes as integer), 30) as session_gap_minutes,
        timezone is null as is_timezone_default,
        min_play_ms is null as is_min_play_ms_default,
        session_gap_minutes is null as is_session_gap_minutes_default

    from given

)

select * from settings
