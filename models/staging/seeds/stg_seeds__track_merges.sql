-- Your track merges (my/track_merges.csv): a variant (artist, track) to count as a canonical
-- (artist, track). Names are cleaned like Spotify's; the variant's are also lower-cased, since
-- it matches in any case.
with

source as (

    select * from {{ ref('track_merges') }}

),

renamed as (

    select
        {{ clean_name('listener') }} as listener,
        lower({{ clean_name('artist_name') }}) as artist_key,
        lower({{ clean_name('track_name') }}) as track_key,
        {{ clean_name('canonical_artist_name') }} as canonical_artist_name,
        {{ clean_name('canonical_track_name') }} as canonical_track_name,
        note

    from source

)

select * from renamed
