{#- Rule 7 per local year and month, for any kind of item: the items' counted plays, the
    minutes of all their streams and their rank within the period (ties share a rank). `keys`
    are the columns that name an item; `measures` ({name: aggregate}) adds columns after
    play_count; `where` narrows the music streams counted. The whole model's query. -#}
{% macro ranked_by_period(keys, measures={}, where='true') -%}
with

streams as (

    select * from {{ ref('int_streams_localized') }}

),

by_period as (

    {% for grain in ['year', 'month'] %}
        select
            listener,
            '{{ grain }}' as period_grain,
            {{ keys | join(', ') }},
            count_if(is_counted_play)::bigint as play_count,
            {%- for name, aggregate in measures.items() %}
            {{ aggregate }} as {{ name }},
            {%- endfor %}
            sum(ms_played)::bigint as ms_played,
            date_trunc('{{ grain }}', local_date)::date as period_start

        from streams
        where content_type = 'track' and not is_excluded and ({{ where }})
        group by all
        having count_if(is_counted_play) > 0
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

ranked as (

    select
        listener,
        period_grain,
        period_start,
        rank() over (
            partition by listener, period_grain, period_start order by play_count desc
        )::bigint as rank,
        {{ keys | join(', ') }},
        play_count,
        {%- for name in measures %}
        {{ name }},
        {%- endfor %}
        {{ minutes_from_ms('ms_played') }} as minutes_played

    from by_period

)

select * from ranked
order by listener, period_grain, period_start, rank, {{ keys | join(', ') }}
{%- endmacro %}
