-- Track merges: every row with the names it counts as. `artist_name`/`track_name` become the
-- canonical names that my/track_merges.csv maps them to (chains followed), else stay as they
-- were; `original_artist_name`/`original_track_name` keep Spotify's (cleaned) names. The rows
-- the overlap and exact-duplicates rules dropped come along (`not is_kept`) for the import
-- marts, which show them under their original names.
with

streams as (

    select * from {{ ref('int_streams_overlap_resolved') }}

),

track_merges as (

    select * from {{ ref('int_track_merges_resolved') }}

),

merged as (

    select
        {{ star_except(['artist_name', 'track_name'], 'streams') }},
        coalesce(track_merges.canonical_artist_name, streams.artist_name) as artist_name,
        coalesce(track_merges.canonical_track_name, streams.track_name) as track_name,
        streams.artist_name as original_artist_name,
        streams.track_name as original_track_name,
        track_merges.artist_key is not null as is_merged

    from streams
    left join track_merges
        on
            streams.listener = track_merges.listener
            and lower(streams.artist_name) = track_merges.artist_key
            and lower(streams.track_name) = track_merges.track_key

)

select * from merged
