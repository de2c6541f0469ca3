{#- DuckDB's `view` materialization, lean (see lean_relation). -#}
{% materialization view, adapter='duckdb' %}
    {{ return(lean_relation('view', create_view_as(this.incorporate(type='view'), sql))) }}
{% endmaterialization %}
