{#- Spotify writes '' where it means "no value" (reason_start, platform, …). -#}
{% macro empty_as_null(column) -%}
    nullif({{ column }}, '')
{%- endmacro %}
