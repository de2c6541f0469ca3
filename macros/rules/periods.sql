{#- Periods of the habit marts: all time, each local year and each local month, from one
    grouping (grouping sets) rather than three passes. `period_starts` adds the year and month
    starts of a local date to a select list; `grouped_by_period` groups by `keys` over the three
    periods; `period_grain_and_start` names the period of each group: `period_grain` 'all',
    'year' or 'month', `period_start` its first day (null for all time). -#}
{% macro period_starts(local_date) -%}
    date_trunc('year', {{ local_date }})::date as year_start,
    date_trunc('month', {{ local_date }})::date as month_start
{%- endmacro %}

{% macro grouped_by_period(keys) -%}
    grouping sets (
        ({{ keys | join(', ') }}),
        ({{ keys | join(', ') }}, year_start),
        ({{ keys | join(', ') }}, month_start)
    )
{%- endmacro %}

{% macro period_grain_and_start() -%}
    case
        when grouping(month_start) = 0 then 'month'
        when grouping(year_start) = 0 then 'year'
        else 'all'
    end as period_grain,
    coalesce(month_start, year_start) as period_start
{%- endmacro %}
