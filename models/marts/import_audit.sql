-- Every raw row that is not in `streams`, and why: replaced by a higher-ranked source whose
-- span covers it (the overlap rule), or an exact duplicate inside one extended source (the
-- exact-duplicates rule). Names are as Spotify wrote them (cleaned): no merge applies here.
with

streams as (

    select * from {{ ref('int_streams_localized') }}

),

dropped as (

    select
        stream_id,
        listener,
        export_id,
        source_id,
        file_id,
        row_number,
        case
            when overlapped_by_source_id is not null then 'overlapped'
            else 'exact_duplicate'
        end as reason,
        overlapped_by_source_id,
        duplicate_of_stream_id,
        source_kind,
        content_type,
        original_artist_name,
        original_track_name,
        show_name,
        episode_name,
        ms_played,
        ended_at

    from streams
    where not is_kept

)

select * from dropped
order by listener, export_id, file_id, row_number
