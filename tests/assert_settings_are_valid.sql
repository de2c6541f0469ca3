-- my/settings.csv: known setting names, each at most once, and usable values — whole
-- numbers of at least 0 for `min_play_ms` and at least 1 for `session_gap_minutes` (a value
-- that does not parse would otherwise fall back to the default without a word). Time zones
-- are checked with the stays' (assert_timezones_are_valid).
with

settings as (

    select * from {{ ref('settings') }}

),

given as (

    select
        trim(setting) as setting_name,
        nullif(trim(value), '') as given_value

    from settings

),

problems as (

    select
        setting_name,
        given_value,
        case
            when setting_name is null then 'a row without a setting name'
            when setting_name not in ('timezone', 'min_play_ms', 'session_gap_minutes')
                then 'unknown setting (timezone, min_play_ms, session_gap_minutes)'
            when count(*) over (partition by setting_name) > 1 then 'given more than once'
            when
                setting_name = 'min_play_ms'
                and given_value is not null
                and coalesce(try_cast(given_value as bigint) < 0, true)
                then 'not a whole number of at least 0'
            when
                setting_name = 'session_gap_minutes'
                and given_value is not null
                and coalesce(try_cast(given_value as integer) < 1, true)
                then 'not a whole number of at least 1'
        end as problem

    from given

)

select * from problems
where problem is not null
