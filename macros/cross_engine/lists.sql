{#- Lists (DuckDB LIST, Spark ARRAY). Neither engine's list syntax runs on the other: DuckDB
    writes `[a, b]`, `list(x order by y)`, `l[1:5]` (1-based); Spark `array(a, b)`,
    `collect_list(x)` (no order), `slice(l, 1, 5)`, `l[0]` (0-based). -#}

{#- Aggregate: the group's `value`s as a list, in order of `position` (an integer, unique in
    the group: number the rows with row_number() first, and keep the first N with a where
    clause rather than slicing the list). -#}
{% macro ordered_list(value, position) -%}
    {{ return(adapter.dispatch('ordered_list')(value, position)) }}
{%- endmacro %}

{% macro default__ordered_list(value, position) -%}
    list({{ value }} order by {{ position }})
{%- endmacro %}

{% macro spark__ordered_list(value, position) -%}
    transform(
        array_sort(collect_list(named_struct('position', {{ position }}, 'value', {{ value }}))),
        entry -> entry.value
    )
{%- endmacro %}

{#- An empty list of strings (to coalesce a missing list to). -#}
{% macro empty_string_list() -%}
    {{ return(adapter.dispatch('empty_string_list')()) }}
{%- endmacro %}

{% macro default__empty_string_list() -%}
    []::varchar[]
{%- endmacro %}

{% macro spark__empty_string_list() -%}
    cast(array() as array<string>)
{%- endmacro %}
