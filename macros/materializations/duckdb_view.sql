{#- DuckDB's `view` materialization, lean: drop the old relation, create the view (its
    contract's columns checked first, where it has one) and comment it from the YAML, in one
    transaction (see duckdb_table.sql for why). -#}
{% materialization view, adapter='duckdb' %}
    {%- set target_relation = this.incorporate(type='view') -%}
    {%- set existing_relation = load_cached_relation(this) -%}

    {{ run_hooks(pre_hooks) }}
    {% call statement('main') -%}
        {%- if existing_relation is not none %}
            drop {{ existing_relation.type }} if exists {{ existing_relation }};
        {%- endif %}
        {{ create_view_as(target_relation, sql) }}
        {{ comments_from_yaml(target_relation, model) }}
    {%- endcall %}
    {{ run_hooks(post_hooks) }}
    {% do adapter.commit() %}

    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
