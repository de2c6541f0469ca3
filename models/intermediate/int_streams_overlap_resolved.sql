-- Overlap: a stream is kept unless a higher-ranked source of the same listener has a span that
-- contains its end time (both ends inclusive; an account-data end time is its minute,
-- HH:MM:00, as loaded). The highest-ranked such source is named as the one that replaces it.
with

streams as (

    select * from {{ ref('int_streams_deduplicated') }}

),

sources as (

    select * from {{ ref('int_sources_ranked') }}

),

-- per source, the higher-ranked sources of its listener, highest first (a handful of rows):
-- each stream then finds its replacement in its own row, in one pass over the streams
sources_with_higher as (

    select
        sources.source_id,
        sources.authority_rank,
        {{ ordered_list(
            record({
                'source_id': 'higher.source_id',
                'span_started_at': 'higher.span_started_at',
                'span_ended_at': 'higher.span_ended_at',
            }),
            'higher.authority_rank',
            where='higher.source_id is not null',
        ) }} as higher_sources

    from sources
    left join sources as higher
        on
            sources.listener = higher.listener
            and sources.authority_rank > higher.authority_rank
    group by all

),

resolved as (

    select
        streams.*,
        sources_with_higher.authority_rank,
        {{ first_match(
            'sources_with_higher.higher_sources',
            'higher',
            'streams.ended_at between higher.span_started_at and higher.span_ended_at',
        ) }}.source_id as overlapped_by_source_id,
        overlapped_by_source_id is null
        and streams.duplicate_of_stream_id is null as is_kept

    from streams
    inner join sources_with_higher on streams.source_id = sources_with_higher.source_id

)

select * from resolved
