-- Counted play: a kept stream of a music track (`content_type = 'track'`) that played at least
-- `min_play_ms` (my/settings.csv; 30 000 ms, Spotify's own rule, by default) is eligible;
-- it is a counted play unless one of your exclusions leaves it out. A stream without a
-- duration (the 2018 `time` variant) is never a play.
with

streams as (

    select * from {{ ref('int_streams_exclusions_flagged') }}

),

settings as (

    select * from {{ ref('stg_seeds__settings') }}

),

eligible as (

    select
        streams.*,
        coalesce(
            streams.is_kept
            and streams.content_type = 'track'
            and streams.ms_played >= settings.min_play_ms,
            false
        ) as is_eligible_play

    from streams
    cross join settings

),

counted as (

    select
        *,
        is_eligible_play and not is_excluded as is_counted_play

    from eligible

)

select * from counted
