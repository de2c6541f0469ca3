{#- Time: DuckDB's TIMESTAMP here is naive UTC; Spark's TIMESTAMP is an instant shown in the
    session zone, which the spark target sets to UTC. Both hold microseconds. -#}

{#- A UTC timestamp as the wall-clock time in an IANA `zone` (a column or a quoted literal),
    DST included. DuckDB: ICU's zone data; Spark: the JVM's tzdb. An unknown zone is an error
    on both (DuckDB: "Unknown TimeZone", Spark: INVALID_TIMEZONE). -#}
{% macro to_local_time(utc_timestamp, zone) -%}
    {%- if adapter is defined -%}
        {{ return(adapter.dispatch('to_local_time')(utc_timestamp, zone)) }}
    {%- endif -%}
    {#- sqlfluff's linter has no adapter: it reads the DuckDB form -#}
    {{ default__to_local_time(utc_timestamp, zone) }}
{%- endmacro %}

{% macro default__to_local_time(utc_timestamp, zone) -%}
    timezone({{ zone }}, timezone('UTC', {{ utc_timestamp }}))
{%- endmacro %}

{% macro spark__to_local_time(utc_timestamp, zone) -%}
    from_utc_timestamp({{ utc_timestamp }}, {{ zone }})
{%- endmacro %}

{#- ISO day of the week, 1 = Monday … 7 = Sunday, of a date or timestamp. Not `weekday()`:
    DuckDB's is 0 = Sunday, Spark's 0 = Monday. -#}
{% macro iso_weekday(value) -%}
    {%- if adapter is defined -%}
        {{ return(adapter.dispatch('iso_weekday')(value)) }}
    {%- endif -%}
    {#- sqlfluff's linter has no adapter: it reads the DuckDB form -#}
    {{ default__iso_weekday(value) }}
{%- endmacro %}

{% macro default__iso_weekday(value) -%}
    isodow({{ value }})::integer
{%- endmacro %}

{% macro spark__iso_weekday(value) -%}
    extract(dayofweek_iso from {{ value }})::integer
{%- endmacro %}

{#- English name of an ISO weekday number (1 = Monday), independent of any locale (DuckDB's
    dayname() says 'Monday', Spark's dayname() 'Mon'). Portable SQL: no dispatch. -#}
{% macro weekday_name(iso_weekday) -%}
    case {{ iso_weekday }}
        when 1 then 'Monday'
        when 2 then 'Tuesday'
        when 3 then 'Wednesday'
        when 4 then 'Thursday'
        when 5 then 'Friday'
        when 6 then 'Saturday'
        when 7 then 'Sunday'
    end
{%- endmacro %}

{#- Microseconds since 1970-01-01 UTC, as BIGINT: durations are differences of these
    (DuckDB's epoch(interval) and Spark's interval types do not travel). -#}
{% macro epoch_microseconds(value) -%}
    {%- if adapter is defined -%}
        {{ return(adapter.dispatch('epoch_microseconds')(value)) }}
    {%- endif -%}
    {#- sqlfluff's linter has no adapter: it reads the DuckDB form -#}
    {{ default__epoch_microseconds(value) }}
{%- endmacro %}

{% macro default__epoch_microseconds(value) -%}
    epoch_us({{ value }})
{%- endmacro %}

{% macro spark__epoch_microseconds(value) -%}
    unix_micros({{ value }})
{%- endmacro %}

{#- The UTC timestamp of a whole number of seconds since 1970-01-01 (BIGINT). -#}
{% macro timestamp_from_epoch_seconds(seconds) -%}
    {%- if adapter is defined -%}
        {{ return(adapter.dispatch('timestamp_from_epoch_seconds')(seconds)) }}
    {%- endif -%}
    {#- sqlfluff's linter has no adapter: it reads the DuckDB form -#}
    {{ default__timestamp_from_epoch_seconds(seconds) }}
{%- endmacro %}

{% macro default__timestamp_from_epoch_seconds(seconds) -%}
    make_timestamp(({{ seconds }})::bigint * 1000000)
{%- endmacro %}

{% macro spark__timestamp_from_epoch_seconds(seconds) -%}
    timestamp_seconds({{ seconds }})
{%- endmacro %}

{#- One row per `step` ('day' or 'month') from `start_date` to `end_date` (both DATE,
    inclusive), as a DATE column: a select-list item that multiplies its row, aliased by the
    caller (`{{ date_series('first_date', 'last_date', 'day') }} as local_date`). Start
    months on their first day: month steps from the 31st differ between the engines. -#}
{% macro date_series(start_date, end_date, step) -%}
    {%- if adapter is defined -%}
        {{ return(adapter.dispatch('date_series')(start_date, end_date, step)) }}
    {%- endif -%}
    {#- sqlfluff's linter has no adapter: it reads the DuckDB form -#}
    {{ default__date_series(start_date, end_date, step) }}
{%- endmacro %}

{% macro default__date_series(start_date, end_date, step) -%}
    unnest(generate_series(
        ({{ start_date }})::timestamp, ({{ end_date }})::timestamp, interval 1 {{ step }}
    ))::date
{%- endmacro %}

{% macro spark__date_series(start_date, end_date, step) -%}
    explode(sequence(
        cast({{ start_date }} as date), cast({{ end_date }} as date), interval 1 {{ step }}
    ))
{%- endmacro %}

{#- A query listing the IANA zone names the engine knows, one per row, column `name` (DuckDB:
    ICU's, pg_timezone_names(); Spark: the JVM's, java.time.ZoneId.getAvailableZoneIds(),
    which reflect() returns as one '[a, b, …]' string). -#}
{% macro known_timezone_names() -%}
    {%- if adapter is defined -%}
        {{ return(adapter.dispatch('known_timezone_names')()) }}
    {%- endif -%}
    {#- sqlfluff's linter has no adapter: it reads the DuckDB form -#}
    {{ default__known_timezone_names() }}
{%- endmacro %}

{% macro default__known_timezone_names() -%}
    select name from pg_timezone_names()
{%- endmacro %}

{% macro spark__known_timezone_names() -%}
    select explode(split(
        regexp_replace(reflect('java.time.ZoneId', 'getAvailableZoneIds'), r'^\[|\]$', ''),
        ', '
    )) as name
{%- endmacro %}

{#- Whole days from `start_date` to `end_date` (DATEs; negative if end is earlier), INTEGER.
    `date - date` is an integer on DuckDB but an interval on Spark; the native functions take
    their arguments in opposite orders (DuckDB date_diff('day', start, end), Spark
    datediff(end, start)). -#}
{% macro days_between(start_date, end_date) -%}
    {%- if adapter is defined -%}
        {{ return(adapter.dispatch('days_between')(start_date, end_date)) }}
    {%- endif -%}
    {#- sqlfluff's linter has no adapter: it reads the DuckDB form -#}
    {{ default__days_between(start_date, end_date) }}
{%- endmacro %}

{% macro default__days_between(start_date, end_date) -%}
    date_diff('day', {{ start_date }}, {{ end_date }})::integer
{%- endmacro %}

{% macro spark__days_between(start_date, end_date) -%}
    datediff({{ end_date }}, {{ start_date }})::integer
{%- endmacro %}
