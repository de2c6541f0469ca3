with

source as (

    select * from {{ source('spotify', 'exports') }}

),

renamed as (

    select
        export_id,
        listener,
        inputs,
        file_count,
        row_count,
        keep_personal_data as has_personal_data,
        ingested_at

    from source

)

select * from renamed
