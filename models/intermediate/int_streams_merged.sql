-- Track merges: the kept streams (the overlap and exact-duplicates rules left them in) with
-- the names they count as. `artist_name`/`track_name` become the canonical names that
-- my/track_merges.csv maps them to (chains followed), else stay as they were;
-- `original_artist_name`/`original_track_name` keep Spotify's (cleaned) names.
with

streams as (

    select * from {{ ref('int_streams_overlap_resolved') }}

),

track_merges as (

    select * from {{ ref('int_track_merges_resolved') }}

),

kept as (

    select * from streams
    where is_kept

),

merged as (

    select
        {{ star_except(['artist_name', 'track_name'], 'kept') }},
        coalesce(track_merges.canonical_artist_name, kept.artist_name) as artist_name,
        coalesce(track_merges.canonical_track_name, kept.track_name) as track_name,
        kept.artist_name as original_artist_name,
        kept.track_name as original_track_name,
        track_merges.artist_key is not null as is_merged

    from kept
    left join track_merges
        on
            kept.listener = track_merges.listener
            and lower(kept.artist_name) = track_merges.artist_key
            and lower(kept.track_name) = track_merges.track_key

)

select * from merged
