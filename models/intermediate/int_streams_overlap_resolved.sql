-- Read by streams, import_audit and import_summary: computed once.
{{ config(materialized='table') }}

-- Rule 3: a stream is kept unless a higher-ranked source of the same listener has a span that
-- contains its end time (both ends inclusive; an account-data end time is its minute,
-- HH:MM:00, as loaded). The highest-ranked such source is named as the one that replaces it.
with

streams as (

    select * from {{ ref('int_streams_deduplicated') }}

),

sources as (

    select * from {{ ref('int_sources_ranked') }}

),

ranked_streams as (

    select
        streams.*,
        sources.authority_rank

    from streams
    inner join sources on streams.source_id = sources.source_id

),

overlapping as (

    select
        ranked_streams.source_id,
        ranked_streams.stream_id,
        arg_min(higher.source_id, higher.authority_rank) as overlapped_by_source_id

    from ranked_streams
    inner join sources as higher
        on
            ranked_streams.listener = higher.listener
            and ranked_streams.authority_rank > higher.authority_rank
            and ranked_streams.ended_at between higher.span_started_at and higher.span_ended_at
    group by all

),

resolved as (

    select
        ranked_streams.*,
        overlapping.overlapped_by_source_id,
        overlapping.overlapped_by_source_id is null
        and ranked_streams.duplicate_of_stream_id is null as is_kept

    from ranked_streams
    left join overlapping
        on
            ranked_streams.source_id = overlapping.source_id
            and ranked_streams.stream_id = overlapping.stream_id

)

select * from resolved
