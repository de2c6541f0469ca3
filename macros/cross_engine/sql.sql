{#- Query syntax that one engine lacks. -#}

{#- Every column except `columns` (bare names), of `relation` (a CTE or table alias) if
    given: DuckDB writes `* exclude (…)`, Spark `* except (…)`. -#}
{% macro star_except(columns, relation=none) -%}
    {%- if adapter is defined -%}
        {{ return(adapter.dispatch('star_except')(columns, relation)) }}
    {%- endif -%}
    {#- sqlfluff's linter has no adapter: it reads the DuckDB form -#}
    {{ default__star_except(columns, relation) }}
{%- endmacro %}

{% macro default__star_except(columns, relation) -%}
    {{ relation ~ '.' if relation }}* exclude ({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__star_except(columns, relation) -%}
    {{ relation ~ '.' if relation }}* except ({{ columns | join(', ') }})
{%- endmacro %}

{#- Integer division, rounded toward zero: DuckDB `//`, Spark `div`. Never cast a `/` result
    to an integer instead: DuckDB rounds it (7 / 2 → 4), Spark truncates (→ 3). -#}
{% macro int_div(dividend, divisor) -%}
    {%- if adapter is defined -%}
        {{ return(adapter.dispatch('int_div')(dividend, divisor)) }}
    {%- endif -%}
    {#- sqlfluff's linter has no adapter: it reads the DuckDB form -#}
    {{ default__int_div(dividend, divisor) }}
{%- endmacro %}

{#- The operands are parenthesised: `a - b` as the dividend must not become `a - (b // c)`. -#}
{% macro default__int_div(dividend, divisor) -%}
    (({{ dividend }}) // ({{ divisor }}))
{%- endmacro %}

{% macro spark__int_div(dividend, divisor) -%}
    (({{ dividend }}) div ({{ divisor }}))
{%- endmacro %}

{#- A CTE read twice that DuckDB should inline rather than compute once and copy
    (`as not materialized`, a DuckDB planner hint); Spark always inlines. Use:
    `streams as {{ cte_not_materialized() }} (…)`. -#}
{% macro cte_not_materialized() -%}
    {%- if adapter is defined -%}
        {{ return(adapter.dispatch('cte_not_materialized')()) }}
    {%- endif -%}
    {#- sqlfluff's linter has no adapter: it reads the DuckDB form -#}
    {{ default__cte_not_materialized() }}
{%- endmacro %}

{% macro default__cte_not_materialized() -%}
    not materialized
{%- endmacro %}

{% macro spark__cte_not_materialized() -%}
{%- endmacro %}
