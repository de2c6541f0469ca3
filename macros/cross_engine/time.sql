{#- Time: DuckDB's TIMESTAMP here is naive UTC; Spark's TIMESTAMP is an instant shown in the
    session zone, which the spark target sets to UTC. Both hold microseconds. -#}

{#- A UTC timestamp as the wall-clock time in an IANA `zone` (a column or a quoted literal),
    DST included. DuckDB: ICU's zone data; Spark: the JVM's tzdb. An unknown zone is an error
    on both (DuckDB: "Unknown TimeZone", Spark: INVALID_TIMEZONE). -#}
{% macro utc_to_local(utc_timestamp, zone) -%}
    {{ return(adapter.dispatch('utc_to_local')(utc_timestamp, zone)) }}
{%- endmacro %}

{% macro default__utc_to_local(utc_timestamp, zone) -%}
    timezone({{ zone }}, timezone('UTC', {{ utc_timestamp }}))
{%- endmacro %}

{% macro spark__utc_to_local(utc_timestamp, zone) -%}
    from_utc_timestamp({{ utc_timestamp }}, {{ zone }})
{%- endmacro %}

{#- ISO day of the week, 1 = Monday … 7 = Sunday, of a date or timestamp. Not `weekday()`:
    DuckDB's is 0 = Sunday, Spark's 0 = Monday. -#}
{% macro iso_weekday(value) -%}
    {{ return(adapter.dispatch('iso_weekday')(value)) }}
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
    {{ return(adapter.dispatch('epoch_microseconds')(value)) }}
{%- endmacro %}

{% macro default__epoch_microseconds(value) -%}
    epoch_us({{ value }})
{%- endmacro %}

{% macro spark__epoch_microseconds(value) -%}
    unix_micros({{ value }})
{%- endmacro %}

{#- The UTC timestamp of a whole number of seconds since 1970-01-01 (BIGINT). -#}
{% macro timestamp_from_epoch_seconds(seconds) -%}
    {{ return(adapter.dispatch('timestamp_from_epoch_seconds')(seconds)) }}
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
    {{ return(adapter.dispatch('date_series')(start_date, end_date, step)) }}
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
