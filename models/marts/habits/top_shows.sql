-- Podcast shows and audiobooks by minutes listened, per listener and content type; ties share
-- a rank. Spoken word has no counted plays, so minutes rank it.
with

in_scope as (

    select * from {{ ref('int_streams_in_scope') }}

),

spoken as (

    select
        listener,
        content_type,
        show_name,
        audiobook_title,
        -- an episode of a show, a chapter of a book
        case
            when content_type = 'episode' then episode_name else audiobook_chapter_title
        end as item_name,
        ms_played,
        ended_at

    from in_scope
    where content_type in ('episode', 'audiobook')

),

per_show as (

    select
        listener,
        content_type,
        case when content_type = 'episode' then show_name end as show_name,
        case when content_type = 'audiobook' then audiobook_title end as audiobook_title,
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
        show_name,
        audiobook_title,
        item_count,
        stream_count,
        ms_played,
        {{ minutes_from_ms('ms_played') }} as minutes_played,
        first_played_at,
        last_played_at

    from per_show

)

select * from ranked
order by listener, content_type, rank, show_name, audiobook_title
