-- seeds/settings.csv: every value given must be usable — whole numbers of at least 0 for
-- `min_play_ms` and at least 1 for `session_gap_minutes` (a value that does not parse would
-- otherwise fall back to the default without a word). Unknown setting names are refused by
-- the seed's accepted_values test; unknown time zones by assert_habits_timezones_are_known.
with

settings as (

    select * from {{ ref('settings') }}

),

given as (

    select
        trim(setting) as setting_name,
        nullif(trim(value), '') as given_value

    from settings

)

select * from given
where
    given_value is not null
    and (
        (setting_name = 'min_play_ms' and coalesce(try_cast(given_value as bigint) < 0, true))
        or (
            setting_name = 'session_gap_minutes'
            and coalesce(try_cast(given_value as integer) < 1, true)
        )
    )
