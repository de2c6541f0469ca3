-- Every stream and every audited row points at an export, a source and a file that exist in
-- the load manifest, and every row the overlap rule names as its replacement is a source.
with

streams as (

    select * from {{ ref('int_streams_localized') }}

),

audit as (

    select * from {{ ref('import_audit') }}

),

exports as (

    select * from {{ ref('stg_spotify__exports') }}

),

files as (

    select * from {{ ref('stg_spotify__files') }}

),

sources as (

    select * from {{ ref('int_sources_ranked') }}

),

pointers as (

    select
        'streams' as found_in,
        export_id,
        source_id,
        file_id

    from streams
    union all
    select
        'import_audit' as found_in,
        export_id,
        source_id,
        file_id

    from audit
    union all
    select
        'import_audit.overlapped_by_source_id' as found_in,
        null as export_id,
        overlapped_by_source_id as source_id,
        null as file_id

    from audit
    where overlapped_by_source_id is not null

)

select distinct pointers.*

from pointers
left join exports on pointers.export_id = exports.export_id
left join sources on pointers.source_id = sources.source_id
left join files on pointers.file_id = files.file_id
where
    (pointers.export_id is not null and exports.export_id is null)
    or sources.source_id is null
    or (pointers.file_id is not null and files.file_id is null)
