-- Rule 7 per local year and month: a track is (artist name, track name), ranked by counted
-- plays within its period; ties share a rank. Minutes count every stream of the track.
with

streams as (

    select * from {{ ref('int_streams_localized') }}

),

by_period as (

    {% for grain in ['year', 'month'] %}
        select
            listener,
            '{{ grain }}' as period_grain,
            artist_name,
            track_name,
            count_if(is_counted_play)::bigint as play_count,
            sum(ms_played)::bigint as ms_played,
            date_trunc('{{ grain }}', local_date)::date as period_start

        from streams
        where content_type = 'track' and not is_excluded
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
        artist_name,
        track_name,
        play_count,
        {{ minutes_from_ms('ms_played') }} as minutes_played

    from by_period

)

select * from ranked
order by listener, period_grain, period_start, rank, artist_name, track_name
