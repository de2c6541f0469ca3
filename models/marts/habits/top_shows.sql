-- Podcast shows and audiobooks by minutes listened, per listener; ties share a rank.
with

streams as (

    select * from {{ ref('int_streams_localized') }}

),

spoken as (

    select
        listener,
        content_type,
        ms_played,
        ended_at,
        case
            when content_type = 'episode' then show_name
            else audiobook_title
        end as title,
        case
            when content_type = 'episode' then episode_name
            else audiobook_chapter_title
        end as item_name

    from streams
    where content_type in ('episode', 'audiobook') and not is_excluded

),

per_title as (

    select
        listener,
        content_type,
        title,
        count(distinct item_name)::bigint as item_count,
        count(*)::bigint as stream_count,
        coalesce(sum(ms_played), 0)::bigint as ms_played,
        min(ended_at) as first_played_at,
        max(ended_at) as last_played_at

    from spoken
    group by all

),

ranked as (

    select
        listener,
        content_type,
        rank() over (
            partition by listener, content_type order by ms_played desc
        )::bigint as rank,
        title,
        item_count,
        stream_count,
        {{ minutes_from_ms('ms_played') }} as minutes_played,
        first_played_at,
        last_played_at

    from per_title

)

select * from ranked
order by listener, content_type, rank, title
