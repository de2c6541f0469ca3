{#- DuckDB's `table` materialization, lean: one transaction that drops the old relation,
    creates the table (with its contract's column types and constraints, checked by DuckDB
    inside the insert) and writes the descriptions from the YAML as comments — two round trips
    instead of dbt-duckdb's dozen (temporary name, renames, backup, a catalog lookup for the
    comments), which cost more than the query itself on most of this project's models. Atomic
    all the same: DuckDB's DDL is transactional, so a failed model leaves the old table. Only
    on DuckDB (`adapter='duckdb'`); other engines keep their own materializations. -#}
{% materialization table, adapter='duckdb' %}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set existing_relation = load_cached_relation(this) -%}

    {{ run_hooks(pre_hooks) }}
    {% call statement('main') -%}
        {%- if existing_relation is not none %}
            drop {{ existing_relation.type }} if exists {{ existing_relation }};
        {%- endif %}
        {{ create_table_as(False, target_relation, sql) }}
        {{ comments_from_yaml(target_relation, model) }}
    {%- endcall %}
    {{ run_hooks(post_hooks) }}
    {% do adapter.commit() %}

    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
