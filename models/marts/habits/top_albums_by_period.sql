-- Albums per local year and month: an album is (artist name, album name), ranked by counted
-- plays within its period; ties share a rank. Only extended history names albums, so plays
-- from account data (no album) are left out of these lists.
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
            album_name,
            count_if(is_counted_play)::bigint as play_count,
            count(distinct track_name) filter (where is_counted_play)::bigint as track_count,
            sum(ms_played)::bigint as ms_played,
            date_trunc('{{ grain }}', local_date)::date as period_start

        from streams
        where content_type = 'track' and not is_excluded and album_name is not null
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
        album_name,
        play_count,
        track_count,
        {{ minutes_from_ms('ms_played') }} as minutes_played

    from by_period

)

select * from ranked
order by listener, period_grain, period_start, rank, artist_name, album_name
