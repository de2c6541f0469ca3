{#- Lists (DuckDB LIST, Spark ARRAY). Neither engine's list syntax runs on the other: DuckDB
    writes `[a, b]`, `list(x order by y)`, `l[1:5]` (1-based); Spark `array(a, b)`,
    `collect_list(x)` (no order), `slice(l, 1, 5)`, `l[0]` (0-based). -#}

{#- Aggregate: the group's `value`s as a list, in order of `position` (unique in the group:
    number the rows with row_number() first, and keep the first N with a where clause rather
    than slicing the list), over the rows where `where` holds. No rows: DuckDB gives null,
    Spark an empty list (coalesce to `empty_string_list()` where it shows). -#}
{% macro ordered_list(value, position, where=none) -%}
    {%- if adapter is defined -%}
        {{ return(adapter.dispatch('ordered_list')(value, position, where)) }}
    {%- endif -%}
    {#- sqlfluff's linter has no adapter: it reads the DuckDB form -#}
    {{ default__ordered_list(value, position, where) }}
{%- endmacro %}

{% macro default__ordered_list(value, position, where) -%}
    list({{ value }} order by {{ position }}){{ ' filter (where ' ~ where ~ ')' if where }}
{%- endmacro %}

{% macro spark__ordered_list(value, position, where) -%}
    transform(
        array_sort(
            collect_list(named_struct('position', {{ position }}, 'value', {{ value }}))
            {{- ' filter (where ' ~ where ~ ')' if where }}
        ),
        entry -> entry.value
    )
{%- endmacro %}

{#- A struct with named fields, from {name: SQL expression} (in order): DuckDB
    `struct_pack(name := …)`, Spark `named_struct('name', …)`. Read a field with `.name`. -#}
{% macro record(fields) -%}
    {%- if adapter is defined -%}
        {{ return(adapter.dispatch('record')(fields)) }}
    {%- endif -%}
    {#- sqlfluff's linter has no adapter: it reads the DuckDB form -#}
    {{ default__record(fields) }}
{%- endmacro %}

{% macro default__record(fields) -%}
    struct_pack({% for name, expression in fields.items() %}{{ name }} := {{ expression }}{{ ', ' if not loop.last }}{% endfor %})
{%- endmacro %}

{% macro spark__record(fields) -%}
    named_struct({% for name, expression in fields.items() %}'{{ name }}', {{ expression }}{{ ', ' if not loop.last }}{% endfor %})
{%- endmacro %}

{#- The first element of `list` for which `condition` holds (null if none, or if the list is
    null), `element` naming the element inside the condition: DuckDB
    `list_filter(l, lambda e: …)[1]` (1-based), Spark `filter(l, e -> …)[0]` (0-based). -#}
{% macro first_match(list, element, condition) -%}
    {%- if adapter is defined -%}
        {{ return(adapter.dispatch('first_match')(list, element, condition)) }}
    {%- endif -%}
    {#- sqlfluff's linter has no adapter: it reads the DuckDB form -#}
    {{ default__first_match(list, element, condition) }}
{%- endmacro %}

{% macro default__first_match(list, element, condition) -%}
    list_filter({{ list }}, lambda {{ element }}: {{ condition }})[1]
{%- endmacro %}

{% macro spark__first_match(list, element, condition) -%}
    filter({{ list }}, {{ element }} -> {{ condition }})[0]
{%- endmacro %}

{#- An empty list of strings (to coalesce a missing list to). -#}
{% macro empty_string_list() -%}
    {%- if adapter is defined -%}
        {{ return(adapter.dispatch('empty_string_list')()) }}
    {%- endif -%}
    {#- sqlfluff's linter has no adapter: it reads the DuckDB form -#}
    {{ default__empty_string_list() }}
{%- endmacro %}

{% macro default__empty_string_list() -%}
    []::varchar[]
{%- endmacro %}

{% macro spark__empty_string_list() -%}
    cast(array() as array<string>)
{%- endmacro %}
