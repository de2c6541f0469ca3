{#- Query syntax that one engine lacks. -#}

{#- Every column of `relation` (a CTE or table alias) except `columns`: DuckDB writes
    `* exclude (…)`, Spark `* except (…)`. Column names bare, without the alias. -#}
{% macro star_except(relation, columns) -%}
    {{ return(adapter.dispatch('star_except')(relation, columns)) }}
{%- endmacro %}

{% macro default__star_except(relation, columns) -%}
    {{ relation }}.* exclude ({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__star_except(relation, columns) -%}
    {{ relation }}.* except ({{ columns | join(', ') }})
{%- endmacro %}

{#- Integer division, rounded toward zero: DuckDB `//`, Spark `div`. Never cast a `/` result
    to an integer instead: DuckDB rounds it (7 / 2 → 4), Spark truncates (→ 3). -#}
{% macro int_div(dividend, divisor) -%}
    {{ return(adapter.dispatch('int_div')(dividend, divisor)) }}
{%- endmacro %}

{% macro default__int_div(dividend, divisor) -%}
    ({{ dividend }} // {{ divisor }})
{%- endmacro %}

{% macro spark__int_div(dividend, divisor) -%}
    ({{ dividend }} div {{ divisor }})
{%- endmacro %}

{#- A CTE read twice that DuckDB should inline rather than compute once and copy
    (`as not materialized`, a DuckDB planner hint); Spark always inlines. Use:
    `streams as {{ cte_not_materialized() }} (…)`. -#}
{% macro cte_not_materialized() -%}
    {{ return(adapter.dispatch('cte_not_materialized')()) }}
{%- endmacro %}

{% macro default__cte_not_materialized() -%}
    not materialized
{%- endmacro %}

{% macro spark__cte_not_materialized() -%}
{%- endmacro %}
