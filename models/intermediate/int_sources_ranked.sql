-- Exports and sources, source authority: a source is one export's account-data part or its
-- extended part; its span is [earliest, latest] stream end of its files. Per listener,
-- extended outranks account data; within a kind the source whose span ends later wins; ties go
-- to the later ingest.
with

exports as (

    select * from {{ ref('stg_spotify__exports') }}

),

files as (

    select * from {{ ref('stg_spotify__files') }}

),

sources as (

    select
        files.export_id,
        files.source_kind,
        exports.listener,
        count(*)::integer as file_count,
        sum(files.row_count)::bigint as row_count,
        min(files.first_ended_at) as span_started_at,
        max(files.last_ended_at) as span_ended_at

    from files
    inner join exports on files.export_id = exports.export_id
    group by all

),

ranked as (

    select
        {{ source_id('export_id', 'source_kind') }} as source_id,
        export_id,
        listener,
        source_kind,
        file_count,
        row_count,
        row_number() over (
            partition by listener
            order by
                source_kind = 'extended' desc,
                span_ended_at desc nulls last,
                export_id desc
        )::integer as authority_rank,
        span_started_at,
        span_ended_at

    from sources

)

select * from ranked
