-- Exact duplicates: inside one extended source, rows identical in every field as Spotify wrote
-- them (the personal fields aside: see stg_spotify__extended_history) are one stream: the
-- first by file and row keeps it, the others point at it. Account-data rows are never
-- collapsed: identical rows there are real repeated plays.
-- Identical means the same 64-bit hash of every raw field and, compared exactly, the same end
-- time and duration: two different rows would also need the same second, the same
-- milliseconds and colliding hashes to be taken for one.
with

streams as (

    select * from {{ ref('int_streams_classified') }}

),

-- the rows as unioned, before classification (which changes no field the groups compare):
-- the classification reads them too, so DuckDB computes them once for both, and the streams
-- above are read once
unioned as (

    select * from {{ ref('int_streams_unioned') }}

),

-- one row per group of identical rows that has more than one member (an aggregate over the
-- keys: a window over every row and column cost 4x as much at 1M streams)
identical_groups as (

    select
        source_id,
        raw_row_hash,
        ended_at,
        ms_played,
        min_by(stream_id, (file_id, row_number)) as first_stream_id

    from unioned
    where source_kind = 'extended'
    group by all
    having count(*) > 1

),

deduplicated as (

    select
        streams.*,
        case
            when identical_groups.first_stream_id != streams.stream_id
                then identical_groups.first_stream_id
        end as duplicate_of_stream_id

    from streams
    left join identical_groups
        on
            streams.source_id = identical_groups.source_id
            and streams.raw_row_hash = identical_groups.raw_row_hash
            and streams.ended_at is not distinct from identical_groups.ended_at
            and streams.ms_played is not distinct from identical_groups.ms_played

)

select * from deduplicated
