-- Exact duplicates applied: every stream with the earlier identical row it repeats, if any
-- (`duplicate_of_stream_id`, from int_exact_duplicates, where the rule is).
with

streams as (

    select * from {{ ref('int_streams_classified') }}

),

duplicates as (

    select * from {{ ref('int_exact_duplicates') }}

),

deduplicated as (

    select
        streams.*,
        duplicates.duplicate_of_stream_id

    from streams
    left join duplicates
        on
            streams.source_id = duplicates.source_id
            and streams.stream_id = duplicates.stream_id

)

select * from deduplicated
