-- Podcast episodes by minutes listened, with an estimated completion. Spotify gives no episode
-- duration: the longest single stream of the episode (any listener) is taken as its
-- duration, a lower bound. With one stream only, that is the stream itself and says nothing,
-- so completion is null.
with

streams as (

    select * from {{ ref('int_streams_in_scope') }}

),

episodes as (

    select * from streams
    where content_type = 'episode'

),

durations as (

    select
        show_name,
        episode_name,
        count(*) as stream_count,
        max(ms_played) as estimated_duration_ms

    from episodes
    group by all

),

per_listener as (

    select
        listener,
        show_name,
        episode_name,
        count(*)::bigint as stream_count,
        coalesce(sum(ms_played), 0)::bigint as ms_played,
        bool_or(coalesce(reason_end = 'trackdone', false)) as has_played_to_end,
        min(ended_at) as first_played_at,
        max(ended_at) as last_played_at

    from episodes
    group by all

),

final as (

    select
        per_listener.listener,
        per_listener.show_name,
        per_listener.episode_name,
        rank() over (
            partition by per_listener.listener order by per_listener.ms_played desc
        )::bigint as rank,
        per_listener.stream_count,
        per_listener.ms_played,
        {{ minutes_from_ms('per_listener.ms_played') }} as minutes_played,
        case
            when durations.stream_count >= 2 and durations.estimated_duration_ms > 0
                then durations.estimated_duration_ms
        end::bigint as estimated_duration_ms,
        case
            when durations.stream_count >= 2 and durations.estimated_duration_ms > 0
                then round(
                    least(per_listener.ms_played / durations.estimated_duration_ms, 1), 4
                )
        end::double as completion_ratio,
        per_listener.has_played_to_end,
        per_listener.first_played_at,
        per_listener.last_played_at

    from per_listener
    inner join durations
        on
            per_listener.show_name is not distinct from durations.show_name
            and per_listener.episode_name is not distinct from durations.episode_name

)

select * from final
order by listener, rank, show_name, episode_name
