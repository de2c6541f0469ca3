-- Sessions: a session is a run of streams of one listener; a new one starts when a stream
-- starts more than `session_gap_minutes` (my/settings.csv, 30 by default) after every
-- earlier stream of the listener has ended. A stream without a duration (the 2018 `time`
-- variant) starts when it ends.
with

-- `in_scope` and `timed` are read twice (for the session starts, then to number every
-- stream): inlined, the wide table is scanned twice, which costs less than a copy of every
-- in-scope stream (at 1M streams, 1.2 s against 1.9 s for the model)
in_scope as {{ cte_not_materialized() }} (

    select * from {{ ref('int_streams_in_scope') }}

),

settings as (

    select * from {{ ref('stg_seeds__settings') }}

),

timed as {{ cte_not_materialized() }} (

    select
        {{ star_except(['started_at']) }},
        coalesce(started_at, ended_at) as started_at

    from in_scope

),

-- where each session starts, from the stream times alone: the two window passes sort them, and
-- whole stream rows would not fit in memory on a long history (the sort would spill to disk)
stream_times as (

    select
        listener,
        started_at,
        ended_at,
        -- the latest end among all earlier streams (a long stream can outlast later short ones)
        max(ended_at) over (
            partition by listener
            order by started_at asc, ended_at asc nulls last
            rows between unbounded preceding and 1 preceding
        ) as previous_ended_at

    from timed

),

flagged as (

    select
        stream_times.*,
        coalesce(
            stream_times.started_at
            > stream_times.previous_ended_at
            + settings.session_gap_minutes * interval 1 minute,
            true
        ) as is_session_start

    from stream_times
    cross join settings

),

numbered_times as (

    select
        listener,
        started_at,
        sum(is_session_start::integer) over (
            partition by listener
            order by started_at asc, ended_at asc nulls last
            rows between unbounded preceding and current row
        )::bigint as session_number

    from flagged

),

-- streams that start at the same instant are in one session: after the first of them, the
-- latest end is at or past that instant, so no other one starts a session
session_by_start as (

    select
        listener,
        started_at,
        max(session_number) as session_number

    from numbered_times
    group by listener, started_at

),

numbered as (

    select
        timed.*,
        session_by_start.session_number

    from timed
    inner join session_by_start
        on
            timed.listener = session_by_start.listener
            and timed.started_at = session_by_start.started_at

),

artist_time as (

    select
        listener,
        session_number,
        artist_name,
        sum(ms_played) as ms_played

    from numbered
    where content_type = 'track' and artist_name is not null
    group by all

),

artists_ranked as (

    select
        listener,
        session_number,
        artist_name,
        row_number() over (
            partition by listener, session_number
            order by ms_played desc nulls last, artist_name asc
        ) as artist_rank

    from artist_time

),

top_artists as (

    select
        listener,
        session_number,
        artist_name

    from artists_ranked
    where artist_rank = 1

),

sessions as (

    select
        listener,
        session_number,
        -- the first stream of the session names it
        md5(listener || ':' || min_by(stream_id, (started_at, ended_at, stream_id))) as session_id,
        count(*)::bigint as stream_count,
        count_if(is_counted_play)::bigint as play_count,
        count_if(is_skip)::bigint as skip_count,
        coalesce(sum(ms_played), 0)::bigint as ms_played,
        min(started_at) as started_at,
        max(ended_at) as ended_at,
        min_by(timezone, (started_at, ended_at, stream_id)) as timezone

    from numbered
    group by listener, session_number

),

final as (

    select
        sessions.session_id,
        sessions.listener,
        sessions.session_number,
        top_artists.artist_name as top_artist_name,
        sessions.timezone,
        sessions.stream_count,
        sessions.play_count,
        sessions.skip_count,
        sessions.ms_played,
        {{ minutes_from_ms('sessions.ms_played') }} as minutes_played,
        round(
            (
                {{ epoch_microseconds('sessions.ended_at') }}
                - {{ epoch_microseconds('sessions.started_at') }}
            ) / 60000000
        )::bigint as duration_minutes,
        {{ to_local_time('sessions.started_at', 'sessions.timezone') }}::date as local_date,
        sessions.started_at,
        sessions.ended_at,
        {{ to_local_time('sessions.started_at', 'sessions.timezone') }} as started_at_local,
        {{ to_local_time('sessions.ended_at', 'sessions.timezone') }} as ended_at_local

    from sessions
    left join top_artists
        on
            sessions.listener = top_artists.listener
            and sessions.session_number = top_artists.session_number

)

select * from final
order by listener, session_number
