-- Exact duplicates: inside one extended source, rows identical in every field as Spotify wrote
-- them (the personal fields aside: see stg_spotify__extended_history) are one stream: the
-- first by file and row keeps it; each other one is listed here with the row it repeats.
-- Account-data rows are never collapsed: identical rows there are real repeated plays.
-- Identical means the same 64-bit hash of every raw field and, compared exactly, the same end
-- time and duration: two different rows would also need the same second, the same
-- milliseconds and colliding hashes to be taken for one.
-- A table of its own (a few percent of the rows): it holds the chain's one big hash table, which
-- inside int_streams_localized's query left that query no memory to spare at 5M streams. That
-- table has the row hashes alone: only the rows whose hash repeats are grouped by every key.
{{ config(materialized='table') }}

with

streams as (

    select
        source_id,
        stream_id,
        file_id,
        row_number,
        raw_row_hash,
        ended_at,
        ms_played

    from {{ ref('int_streams_unioned') }}
    where source_kind = 'extended'

),

repeated_hashes as (

    select raw_row_hash
    from streams
    group by raw_row_hash
    having count(*) > 1

),

candidates as (

    select * from streams
    where raw_row_hash in (select repeated_hashes.raw_row_hash from repeated_hashes)

),

-- one row per group of identical rows that has more than one member
identical_groups as (

    select
        source_id,
        raw_row_hash,
        ended_at,
        ms_played,
        min_by(stream_id, (file_id, row_number)) as first_stream_id

    from candidates
    group by all
    having count(*) > 1

),

duplicates as (

    select
        candidates.source_id,
        candidates.stream_id,
        identical_groups.first_stream_id as duplicate_of_stream_id

    from candidates
    inner join identical_groups
        on
            candidates.source_id = identical_groups.source_id
            and candidates.raw_row_hash = identical_groups.raw_row_hash
            and candidates.ended_at is not distinct from identical_groups.ended_at
            and candidates.ms_played is not distinct from identical_groups.ms_played
    where candidates.stream_id != identical_groups.first_stream_id

)

select * from duplicates
