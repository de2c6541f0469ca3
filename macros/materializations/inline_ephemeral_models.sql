{#- The compiled SQL of a model with each ephemeral model it reads marked `not materialized`,
    so DuckDB inlines it where it is read. DuckDB otherwise computes a CTE that two reads share
    once and copies every column of its rows first: the chain of ephemeral models under
    int_streams_localized reads the unioned streams twice (the content-type rule's known
    episodes, then every stream), and the copy of every stream, spilled under the memory limit,
    cost more than reading the raw tables again (measured at 1M streams). dbt writes each
    ephemeral model as ` __dbt__cte__<name> as (`. -#}
{% macro inline_ephemeral_models(sql) -%}
    {{ return(modules.re.sub('(__dbt__cte__\\w+) as \\(', '\\1 as not materialized (', sql)) }}
{%- endmacro %}
