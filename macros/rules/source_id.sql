{#- The id of a source (exports and sources): one export's account-data or extended part, e.g. `3:extended`. -#}
{% macro source_id(export_id, source_kind) -%}
    ({{ export_id }}::string || ':' || {{ source_kind }})
{%- endmacro %}
