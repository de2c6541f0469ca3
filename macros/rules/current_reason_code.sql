{#- Legacy reason codes: old endsong exports write `nextbtn` for today's `fwdbtn` and
    `click-row` for today's `clickrow`, in reason_start and reason_end alike. Mapped to
    today's names (and '' to null) so skips and reasons count the same in every export; the
    raw rows keep what Spotify wrote. -#}
{% macro current_reason_code(column) -%}
    case {{ column }}
        when '' then null
        when 'nextbtn' then 'fwdbtn'
        when 'click-row' then 'clickrow'
        else {{ column }}
    end
{%- endmacro %}
