-- Per export and source: raw rows in, streams kept, rows dropped by reason. For every source,
-- raw_row_count = kept_count + overlapped_count + duplicate_count.
with

sources as (

    select * from {{ ref('int_sources_ranked') }}

),

streams as (

    select * from {{ ref('int_streams_localized') }}

),

counts as (

    select
        source_id,
        count(*)::bigint as raw_row_count,
        count(*) filter (where is_kept)::bigint as kept_count,
        count(*) filter (where overlapped_by_source_id is not null)::bigint as overlapped_count,
        count(*) filter (
            where overlapped_by_source_id is null and duplicate_of_stream_id is not null
        )::bigint as duplicate_count

    from streams
    group by all

),

summary as (

    select
        sources.source_id,
        sources.listener,
        sources.export_id,
        sources.source_kind,
        sources.authority_rank,
        sources.file_count,
        coalesce(counts.raw_row_count, 0)::bigint as raw_row_count,
        coalesce(counts.kept_count, 0)::bigint as kept_count,
        coalesce(counts.overlapped_count, 0)::bigint as overlapped_count,
        coalesce(counts.duplicate_count, 0)::bigint as duplicate_count,
        sources.span_started_at,
        sources.span_ended_at

    from sources
    left join counts on sources.source_id = counts.source_id

)

select * from summary
order by listener, export_id, source_kind
