{#- `ref()` and `source()` without the database name: DuckDB names a database after its file,
    and a view that spells `spotify.intermediate.x` breaks as soon as the file is opened under
    another name (a copy, a backup, `attach … as other`). `intermediate.x` binds to the view's
    own database, whatever the file is called. (The `else` branches serve sqlfluff's linter,
    which has no `builtins`.) -#}
{% macro ref() -%}
    {%- if builtins is defined -%}
        {%- set relation = builtins.ref(*varargs, **kwargs) -%}
        {%- if relation is string -%}
            {{ return(relation) }}
        {%- endif -%}
        {{ return(relation.include(database=False)) }}
    {%- else -%}
        {{ varargs[-1] }}
    {%- endif -%}
{%- endmacro %}

{% macro source() -%}
    {%- if builtins is defined -%}
        {{ return(builtins.source(*varargs, **kwargs).include(database=False)) }}
    {%- else -%}
        {{ varargs[0] }}.{{ varargs[-1] }}
    {%- endif -%}
{%- endmacro %}
