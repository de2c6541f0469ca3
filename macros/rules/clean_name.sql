{#- Clean names: trim surrounding white space — every Unicode white-space character, the
    same set as Python's str.strip() — and turn an empty result into null. (\x0b is listed:
    RE2's \s lacks it, Java's has it; the class means the same on both engines.) -#}
{% macro clean_name(column) -%}
    {%- set white_space_at_either_end -%}
        ^[\s\x0b\x1c-\x1f\x85\pZ]+|[\s\x0b\x1c-\x1f\x85\pZ]+$
    {%- endset -%}
    nullif({{ regexp_replace_all(column, white_space_at_either_end) }}, '')
{%- endmacro %}
