{#- Clean names: trim surrounding white space — every Unicode white-space character, the
    same set as Python's str.strip() — and turn an empty result into null. -#}
{% macro clean_name(column) -%}
    nullif(regexp_replace({{ column }}, '^[\s\x0b\x1c-\x1f\x85\pZ]+|[\s\x0b\x1c-\x1f\x85\pZ]+$', '', 'g'), '')
{%- endmacro %}
