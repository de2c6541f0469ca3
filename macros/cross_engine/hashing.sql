{#- A 64-bit hash of several columns, for finding rows equal in all of them (compare the
    columns themselves too: any hash collides). Values differ between engines (DuckDB:
    UBIGINT from hash(); Spark: BIGINT from xxhash64()): never store or compare them across
    engines. Null-safe on both: Spark's hash functions skip null arguments, so (null, 'a')
    and ('a', null) would hash alike; a list of null flags is hashed with them. -#}
{% macro row_hash(columns) -%}
    {%- if adapter is defined -%}
        {{ return(adapter.dispatch('row_hash')(columns)) }}
    {%- endif -%}
    {#- sqlfluff's linter has no adapter: it reads the DuckDB form -#}
    {{ default__row_hash(columns) }}
{%- endmacro %}

{% macro default__row_hash(columns) -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__row_hash(columns) -%}
    xxhash64(
        {{ columns | join(', ') }},
        array({% for column in columns %}{{ column }} is null{{ ', ' if not loop.last }}{% endfor %})
    )
{%- endmacro %}
