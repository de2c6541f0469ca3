{#- DuckDB's `table` materialization, lean (see lean_relation). Only on DuckDB
    (`adapter='duckdb'`); other engines keep their own materializations. -#}
{% materialization table, adapter='duckdb' %}
    {{ return(lean_relation('table', create_table_as(False, this.incorporate(type='table'), sql))) }}
{% endmaterialization %}
