-- The habit marts that slice time cover every stream in scope exactly once: per listener,
-- streams, plays and milliseconds of daily_activity, listening_clock, listening_sessions and
-- platform_country_monthly equal those of the non-excluded streams; wrapped's plays add up
-- too.
with

streams as (

    select * from {{ ref('int_streams_localized') }}

),

expected as (

    select
        listener,
        count(*)::bigint as stream_count,
        count_if(is_counted_play)::bigint as play_count,
        coalesce(sum(ms_played), 0)::bigint as ms_played

    from streams
    where not is_excluded
    group by all

),

sliced as (

    {% for mart in [
        'daily_activity', 'listening_clock', 'listening_sessions', 'platform_country_monthly',
        'wrapped'
    ] %}
        select
            '{{ mart }}' as mart,
            listener,
            sum(stream_count)::bigint as stream_count,
            sum(play_count)::bigint as play_count,
            sum(ms_played)::bigint as ms_played

        from {{ ref(mart) }}
        group by all
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

compared as (

    select
        sliced.mart,
        expected.listener,
        expected.stream_count,
        expected.play_count,
        expected.ms_played,
        sliced.stream_count as mart_stream_count,
        sliced.play_count as mart_play_count,
        sliced.ms_played as mart_ms_played

    from expected
    left join sliced on expected.listener = sliced.listener

)

select * from compared
where
    mart is null
    or stream_count is distinct from mart_stream_count
    or play_count is distinct from mart_play_count
    or ms_played is distinct from mart_ms_played
