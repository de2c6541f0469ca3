{#- DuckDB's `table` materialization, lean (see lean_relation), with the ephemeral models it
    reads inlined (see inline_ephemeral_models). Only on DuckDB (`adapter='duckdb'`); other
    engines keep their own materializations. -#}
{% materialization table, adapter='duckdb' %}
    {%- set create_sql = create_table_as(
        False, this.incorporate(type='table'), inline_ephemeral_models(sql)
    ) -%}
    {{ return(lean_relation('table', create_sql)) }}
{% endmaterialization %}
