{#- One transaction that drops the old relation, creates the new one with `create_sql` (a
    table gets its contract's column types and constraints, checked by DuckDB inside the
    insert; a view its contract's columns) and writes the descriptions from the YAML as
    comments: two round trips instead of dbt-duckdb's dozen (temporary name, renames, backup, a
    catalog lookup for the comments), which cost more than the query itself on most of this
    project's models. Atomic all the same: DuckDB's DDL is transactional, so a failed model
    leaves the old relation. -#}
{% macro lean_relation(type, create_sql) %}
    {%- set target_relation = this.incorporate(type=type) -%}
    {%- set existing_relation = load_cached_relation(this) -%}

    {{ run_hooks(pre_hooks) }}
    {% call statement('main') -%}
        {%- if existing_relation is not none %}
            drop {{ existing_relation.type }} if exists {{ existing_relation }};
        {%- endif %}
        {{ create_sql }}
        {{ comments_from_yaml(target_relation, model) }}
    {%- endcall %}
    {{ run_hooks(post_hooks) }}
    {% do adapter.commit() %}

    {{ return({'relations': [target_relation]}) }}
{% endmacro %}
