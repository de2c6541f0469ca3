-- my/timezones.csv and the `timezone` setting: every zone is an IANA name the engine knows (a
-- typo would otherwise fail deep inside a mart, or worse, be read as UTC); a stay has a
-- listener, a start and a zone, ends after it starts, and a listener's stays
-- [valid_from, valid_to) do not overlap (a stream would have two zones).
with

stays as (

    select
        *,
        row_number() over (order by listener, valid_from, valid_to, timezone) as stay_number

    from {{ ref('stg_seeds__timezones') }}

),

settings as (

    select * from {{ ref('stg_seeds__settings') }}

),

known as (

    {{ known_timezone_names() }}

),

zones as (

    select
        'my/timezones.csv' as found_in,
        listener,
        valid_from,
        timezone

    from stays
    union all
    select
        'my/settings.csv' as found_in,
        null as listener,
        null as valid_from,
        timezone

    from settings

),

unknown_zones as (

    select
        zones.*,
        'unknown time zone' as problem

    from zones
    anti join known on zones.timezone = known.name

),

bad_stays as (

    select
        'my/timezones.csv' as found_in,
        listener,
        valid_from,
        timezone,
        case
            when listener is null or valid_from is null or timezone is null
                then 'listener, valid_from and timezone are required'
            when valid_to <= valid_from then 'valid_to is not after valid_from'
        end as problem

    from stays

),

overlapping as (

    select
        'my/timezones.csv' as found_in,
        earlier.listener,
        later.valid_from,
        later.timezone,
        'overlaps the stay from ' || earlier.valid_from::string as problem

    from stays as earlier
    inner join stays as later
        on
            earlier.listener = later.listener
            and earlier.stay_number != later.stay_number
            and earlier.valid_from <= later.valid_from
            and (earlier.valid_to is null or earlier.valid_to > later.valid_from)

)

select * from unknown_zones
union all
select * from bad_stays
where problem is not null
union all
select * from overlapping
