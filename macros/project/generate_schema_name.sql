{#- Schemas are named exactly as configured (`staging`, `intermediate`), not
    `<target>_staging`; models without a schema go to the target's (`main`). -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
