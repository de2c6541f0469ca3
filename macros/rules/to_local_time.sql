{#- A naive UTC timestamp (`streams.ended_at`) as naive wall-clock time in an IANA `zone`, with
    DST from DuckDB's ICU data. Independent of the session TimeZone: the inner call reads the
    value as UTC, the outer one converts to the zone. -#}
{% macro to_local_time(utc_timestamp, zone) -%}
    timezone({{ zone }}, timezone('UTC', {{ utc_timestamp }}))
{%- endmacro %}
