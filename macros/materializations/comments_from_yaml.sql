{#- `comment on` statements for a relation and its documented columns, from the model's YAML
    (what `persist_docs` writes), so the DuckDB CLI and BI tools show the descriptions. A
    column described in the YAML that the model does not produce fails the build. -#}
{% macro comments_from_yaml(relation, model) -%}
    {%- set persist = config.get('persist_docs', {}) -%}
    {%- if persist.get('relation') and model.description %}
        comment on {{ relation.type }} {{ relation }} is {{ duckdb_escape_comment(model.description) }};
    {%- endif %}
    {%- if persist.get('columns') %}
        {%- for column in model.columns.values() if column.description %}
        comment on column {{ relation }}.{{ adapter.quote(column.name) if column.quote else column.name }} is {{ duckdb_escape_comment(column.description) }};
        {%- endfor %}
    {%- endif %}
{%- endmacro %}
