-- Your stays (my/timezones.csv): the IANA zone a listener was in from `valid_from` to
-- `valid_to` (UTC, half-open; null = open-ended), for the local-time rule.
with

source as (

    select * from {{ ref('timezones') }}

),

renamed as (

    select
        trim(listener) as listener,
        trim(timezone) as timezone,
        valid_from,
        valid_to

    from source

)

select * from renamed
