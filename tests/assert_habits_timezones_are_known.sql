-- Every zone of seeds/timezones.csv and the `timezone` setting is an IANA name DuckDB knows (a
-- typo would otherwise fail the build deep inside a mart, or worse, be read as UTC).
with

stays as (

    select * from {{ ref('stg_seeds__timezones') }}

),

settings as (

    select * from {{ ref('stg_seeds__settings') }}

),

zones as (

    select
        'seeds/timezones.csv' as found_in,
        timezone

    from stays
    union all
    select
        'seeds/settings.csv' as found_in,
        timezone

    from settings

),

known as (

    select name from pg_timezone_names()

)

select zones.*

from zones
anti join known on zones.timezone = known.name
