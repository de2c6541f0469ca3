with

source as (

    select * from {{ source('spotify', 'files') }}

),

renamed as (

    select
        file_id,
        export_id,
        duplicate_of_file_id,
        -- the file whose rows in raw.*_history are this file's rows
        coalesce(duplicate_of_file_id, file_id) as rows_file_id,
        path,
        sha256,
        source_kind,
        format,
        unknown_keys,
        bytes,
        row_count,
        duplicate_of_file_id is not null as is_already_loaded,
        first_ended_at,
        last_ended_at

    from source

)

select * from renamed
