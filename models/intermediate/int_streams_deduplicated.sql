-- Rule 4: inside one extended source, rows identical in every field (as Spotify wrote them)
-- are one stream: the first by file and row keeps it, the others point at it. Account-data
-- rows are never collapsed: identical rows there are real repeated plays.
with

streams as (

    select * from {{ ref('int_streams_classified') }}

),

marked as (

    select
        *,
        case
            when source_kind = 'extended'
                then first_value(stream_id) over (
                    partition by source_id, raw_row_hash
                    order by file_id, row_number
                )
        end as first_stream_id_with_same_fields

    from streams

),

deduplicated as (

    select
        * exclude (first_stream_id_with_same_fields),
        case
            when first_stream_id_with_same_fields != stream_id
                then first_stream_id_with_same_fields
        end as duplicate_of_stream_id

    from marked

)

select * from deduplicated
