-- Kept streams with their canonical track identity: the (artist, track) that
-- seeds/track_merges.csv maps them to (chains followed), else their own names.
with

streams as (

    select * from {{ ref('int_streams_overlap_resolved') }}

),

track_merges as (

    select * from {{ ref('int_track_merges_resolved') }}

),

merged as (

    select
        streams.*,
        track_merges.artist_key is not null as is_merged,
        coalesce(track_merges.canonical_artist_name, streams.artist_name) as canonical_artist_name,
        coalesce(track_merges.canonical_track_name, streams.track_name) as canonical_track_name

    from streams
    left join track_merges
        on
            streams.listener = track_merges.listener
            and lower(streams.artist_name) = track_merges.artist_key
            and lower(streams.track_name) = track_merges.track_key
    where streams.is_kept

)

select * from merged
