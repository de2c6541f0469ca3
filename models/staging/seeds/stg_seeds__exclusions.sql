with

source as (

    select * from {{ ref('exclusions') }}

),

renamed as (

    select
        rule_id,
        {{ clean_name('listener') }} as listener,
        lower({{ clean_name('artist_name') }}) as artist_key,
        lower({{ clean_name('track_name') }}) as track_key,
        lower({{ clean_name('album_name') }}) as album_key,
        lower({{ clean_name('show_name') }}) as show_key,
        lower({{ clean_name('platform') }}) as platform_key,
        {{ clean_name('reason') }} as reason,
        from_date,
        to_date

    from source

)

select * from renamed
