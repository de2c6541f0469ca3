{#- Whole minutes of a duration in milliseconds, rounded down (as a clock counts them): the one
    definition of every `minutes_played` column. -#}
{% macro minutes_from_ms(ms) -%}
    {{ int_div(ms, 60000) }}::bigint
{%- endmacro %}
