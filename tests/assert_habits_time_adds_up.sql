-- The habit marts that slice time cover every stream in scope exactly once: per listener,
-- streams, plays and milliseconds of daily_activity, listening_clock, listening_sessions,
-- platform_country_monthly and wrapped, and of each grain of activity_by_period, equal those
-- of the streams in scope. Every (mart, listener) pair is checked, so a mart that lacks a
-- listener entirely fails too.
{% set marts = [
    'daily_activity', 'listening_clock', 'listening_sessions', 'platform_country_monthly',
    'wrapped'
] %}
with

streams as (

    select * from {{ ref('int_streams_in_scope') }}

),

expected as (

    select
        listener,
        count(*)::bigint as stream_count,
        count_if(is_counted_play)::bigint as play_count,
        coalesce(sum(ms_played), 0)::bigint as ms_played

    from streams
    group by all

),

sliced as (

    {% for mart in marts %}
        select
            '{{ mart }}' as mart,
            listener,
            sum(stream_count)::bigint as stream_count,
            sum(play_count)::bigint as play_count,
            sum(ms_played)::bigint as ms_played

        from {{ ref(mart) }}
        group by all
        union all
    {% endfor %}
    select
        'activity_by_period ' || period_grain as mart,
        listener,
        sum(stream_count)::bigint as stream_count,
        sum(play_count)::bigint as play_count,
        sum(ms_played)::bigint as ms_played

    from {{ ref('activity_by_period') }}
    group by all

),

mart_names as (

    {% for mart in marts %}
        select '{{ mart }}' as mart
        union all
    {% endfor %}
    select 'activity_by_period ' || grains.grain as mart
    from (values ('all'), ('year'), ('month')) as grains (grain)

),

compared as (

    select
        mart_names.mart,
        expected.listener,
        expected.stream_count,
        expected.play_count,
        expected.ms_played,
        sliced.stream_count as mart_stream_count,
        sliced.play_count as mart_play_count,
        sliced.ms_played as mart_ms_played

    from expected
    cross join mart_names
    left join sliced
        on
            mart_names.mart = sliced.mart
            and expected.listener = sliced.listener

)

select * from compared
where
    stream_count is distinct from mart_stream_count
    or play_count is distinct from mart_play_count
    or ms_played is distinct from mart_ms_played
