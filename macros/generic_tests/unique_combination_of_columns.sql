{#- No two rows share the same values in `columns` (nulls compare equal). -#}
{% test unique_combination_of_columns(model, columns) %}

select
    {{ columns | join(', ') }},
    count(*) as row_count

from {{ model }}
group by all
having count(*) > 1

{% endtest %}
