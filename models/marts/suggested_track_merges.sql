-- Likely variants of one song (same artist, titles equal once case, accents, version suffixes
-- and featured artists are set aside), for you to review. Nothing here is applied: copy the
-- rows you agree with into my/track_merges.csv (`seed_row` is ready to paste).
with

streams as (

    select * from {{ ref('streams') }}

),

tracks as (

    select
        listener,
        artist_name,
        track_name,
        count(*) filter (where is_counted_play)::bigint as play_count

    from streams
    where content_type = 'track' and track_name is not null
    group by all

),

keyed as (

    -- keys per distinct track, not per stream (the title key's regular expressions are the
    -- costly part), and outside the aggregate below (Spark's reflect(), behind
    -- without_accents, may not appear in an aggregate's arguments)
    select
        *,
        lower({{ without_accents('artist_name') }}) as artist_key,
        {{ track_title_key('track_name') }} as title_key

    from tracks

),

titled as (

    select
        *,
        lower({{ without_accents('track_name') }}) = title_key as is_plain_title

    from keyed

),

groups as (

    select
        listener,
        artist_key,
        title_key,
        -- the suggested canonical title: a plain one (no version suffix) first, then the most
        -- played, then the shortest (the names last: a total order, so every engine picks one)
        max_by(
            {{ record({'artist_name': 'artist_name', 'track_name': 'track_name'}) }},
            (is_plain_title, play_count, -length(track_name), track_name, coalesce(artist_name, ''))
        ) as canonical

    from titled
    group by all
    having count(distinct track_name) > 1

),

suggested as (

    select
        tracks.listener,
        tracks.artist_name,
        tracks.track_name,
        groups.canonical.artist_name as suggested_artist_name,
        groups.canonical.track_name as suggested_track_name,
        '"' || replace(tracks.listener, '"', '""') || '","'
        || replace(tracks.artist_name, '"', '""') || '","'
        || replace(tracks.track_name, '"', '""') || '","'
        || replace(groups.canonical.artist_name, '"', '""') || '","'
        || replace(groups.canonical.track_name, '"', '""') || '","suggested"' as seed_row,
        tracks.play_count

    from titled as tracks
    inner join groups
        on
            tracks.listener = groups.listener
            and tracks.artist_key = groups.artist_key
            and tracks.title_key = groups.title_key
    where tracks.track_name != groups.canonical.track_name

)

select * from suggested
order by listener, suggested_artist_name, suggested_track_name, track_name
