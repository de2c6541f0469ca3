-- Nothing is lost: for every export, the rows of its files (the manifest's counts, files
-- already loaded by an earlier export included) = its rows in `streams` + its rows in
-- `import_audit`.
with

files as (

    select * from {{ ref('stg_spotify__files') }}

),

streams as (

    select * from {{ ref('streams') }}

),

import_audit as (

    select * from {{ ref('import_audit') }}

),

raw_counts as (

    select
        export_id,
        sum(row_count)::bigint as raw_row_count

    from files
    group by all

),

kept_counts as (

    select
        export_id,
        count(*)::bigint as kept_count

    from streams
    group by all

),

audited_counts as (

    select
        export_id,
        count(*)::bigint as audited_count

    from import_audit
    group by all

),

compared as (

    select
        raw_counts.export_id,
        raw_counts.raw_row_count,
        coalesce(kept_counts.kept_count, 0) as kept_count,
        coalesce(audited_counts.audited_count, 0) as audited_count

    from raw_counts
    left join kept_counts on raw_counts.export_id = kept_counts.export_id
    left join audited_counts on raw_counts.export_id = audited_counts.export_id

)

select * from compared
where raw_row_count != kept_count + audited_count
