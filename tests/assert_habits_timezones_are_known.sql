-- Every zone in seeds/timezones.csv and var `timezone` is an IANA name DuckDB knows (a typo
-- would otherwise fail the build deep inside a mart, or worse, be read as UTC).
with

stays as (

    select * from {{ ref('timezones') }}

),

zones as (

    select timezone from stays
    union
    select '{{ var("timezone") }}' as timezone

),

known as (

    select name from pg_timezone_names()

)

select zones.timezone

from zones
anti join known on zones.timezone = known.name
