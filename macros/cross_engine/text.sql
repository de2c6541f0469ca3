{#- Text. Regular expressions: DuckDB uses RE2, Spark java.util.regex. Patterns that RE2
    accepts mostly mean the same in Java, except: `\s` (RE2: [\t\n\f\r ]; Java adds \x0b),
    `\b` (RE2: ASCII word characters; Java: Unicode letters and digits count as word
    characters), POSIX classes `[[:alpha:]]` (RE2 only: Java reads them as a plain set, no
    error) and `(?i)` (RE2: Unicode case folding; Java: ASCII unless `(?iu)`). Spark also reads
    backslashes in a '…' literal as escapes ('\s' would become 's'): these macros pass the
    pattern as a raw literal (r'…'). `pattern` is the bare pattern, without quotes. -#}

{#- Every match of `pattern` in `value` replaced (DuckDB needs the 'g' flag; Spark's 4th
    argument is a position, and 'g' there silently makes every result null). Spark has no
    first-match-only form: where DuckDB code relies on one (no 'g'), anchor the pattern so it
    can match once. -#}
{% macro regexp_replace_all(value, pattern, replacement='') -%}
    {%- if adapter is defined -%}
        {{ return(adapter.dispatch('regexp_replace_all')(value, pattern, replacement)) }}
    {%- endif -%}
    {#- sqlfluff's linter has no adapter: it reads the DuckDB form -#}
    {{ default__regexp_replace_all(value, pattern, replacement) }}
{%- endmacro %}

{% macro default__regexp_replace_all(value, pattern, replacement) -%}
    regexp_replace({{ value }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{% macro spark__regexp_replace_all(value, pattern, replacement) -%}
    regexp_replace({{ value }}, r'{{ pattern }}', r'{{ replacement }}')
{%- endmacro %}

{#- Whether `pattern` matches anywhere in `value` (null for a null value). -#}
{% macro regexp_contains(value, pattern) -%}
    {%- if adapter is defined -%}
        {{ return(adapter.dispatch('regexp_contains')(value, pattern)) }}
    {%- endif -%}
    {#- sqlfluff's linter has no adapter: it reads the DuckDB form -#}
    {{ default__regexp_contains(value, pattern) }}
{%- endmacro %}

{% macro default__regexp_contains(value, pattern) -%}
    regexp_matches({{ value }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__regexp_contains(value, pattern) -%}
    regexp_like({{ value }}, r'{{ pattern }}')
{%- endmacro %}

{#- `value` without diacritics ('Sigur Rós' → 'Sigur Ros'). DuckDB: strip_accents (Unicode
    decomposition, marks removed); Spark has no such function: Apache Commons'
    StringUtils.stripAccents (on Spark's classpath) through reflect(), which does the same
    and also maps Ł/ł to L/l (DuckDB keeps them). -#}
{% macro without_accents(value) -%}
    {%- if adapter is defined -%}
        {{ return(adapter.dispatch('without_accents')(value)) }}
    {%- endif -%}
    {#- sqlfluff's linter has no adapter: it reads the DuckDB form -#}
    {{ default__without_accents(value) }}
{%- endmacro %}

{% macro default__without_accents(value) -%}
    strip_accents({{ value }})
{%- endmacro %}

{% macro spark__without_accents(value) -%}
    {#- reflect() turns a null argument into the string 'null' -#}
    case
        when {{ value }} is not null
            then reflect('org.apache.commons.lang3.StringUtils', 'stripAccents', {{ value }})
    end
{%- endmacro %}
