{#- The one ranking definition (track and artist identity, counted plays): items ranked by
    counted plays per listener, over all time and per local year and month — "all time" is a
    period too (`period_grain = 'all'`, `period_start` null). Ties share a rank (1, 2, 2, 4).
    `ms_played` sums every in-scope music stream of the item, counted plays or not; the first
    and last played are counted plays. `keys` name an item; `measures` ({name: aggregate})
    add columns; `where` narrows the music streams. The whole model's query. -#}
{% macro ranked_by_period(keys, measures={}, where='true') -%}
with

streams as (

    select * from {{ ref('int_streams_in_scope') }}

),

music as (

    select
        *,
        {{ period_starts('local_date') }}

    from streams
    where content_type = 'track' and ({{ where }})

),

by_period as (

    select
        listener,
        {{ period_grain_and_start() }},
        {{ keys | join(', ') }},
        count_if(is_counted_play)::bigint as play_count,
        {%- for name, aggregate in measures.items() %}
        {{ aggregate }} as {{ name }},
        {%- endfor %}
        sum(ms_played)::bigint as ms_played,
        min(local_date) filter (where is_counted_play) as first_played_local_date,
        max(local_date) filter (where is_counted_play) as last_played_local_date,
        min(ended_at) filter (where is_counted_play) as first_played_at,
        max(ended_at) filter (where is_counted_play) as last_played_at

    from music
    group by {{ grouped_by_period(['listener'] + keys) }}
    having count_if(is_counted_play) > 0

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
        ms_played,
        {{ minutes_from_ms('ms_played') }} as minutes_played,
        first_played_local_date,
        last_played_local_date,
        first_played_at,
        last_played_at

    from by_period

)

-- not sorted: at 1M streams the month rows outnumber the streams, and sorting them cost as
-- much as ranking them; top_tracks and top_artists order the all-time rows they show
select * from ranked
{%- endmacro %}
