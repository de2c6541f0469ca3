{#- The one definition of a skip: the stream ended by the forward/back button, by another
    play (`endplay`) or for an unknown reason, or Spotify flagged it skipped. `skipped` alone
    is not trusted (null or always false in long stretches of old history). -#}
{% macro is_skip(reason_end, is_skipped) -%}
    coalesce(
        {{ reason_end }} in ('fwdbtn', 'backbtn', 'endplay', 'unknown') or {{ is_skipped }},
        false
    )
{%- endmacro %}
