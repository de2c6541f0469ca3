-- The load manifest tells the truth: every loaded file has exactly `row_count` rows in the raw
-- history tables, numbered 1..row_count, and its span is the span of those rows.
with

files as (

    select * from {{ ref('stg_spotify__files') }}

),

account_rows as (

    select * from {{ ref('stg_spotify__account_history') }}

),

extended_rows as (

    select * from {{ ref('stg_spotify__extended_history') }}

),

all_rows as (

    select
        file_id,
        row_number,
        ended_at

    from account_rows
    union all
    select
        file_id,
        row_number,
        ended_at

    from extended_rows

),

per_file as (

    select
        file_id,
        count(*)::bigint as row_count,
        min(row_number) as min_row_number,
        max(row_number) as max_row_number,
        min(ended_at) as first_ended_at,
        max(ended_at) as last_ended_at

    from all_rows
    group by all

),

compared as (

    select
        files.file_id,
        files.row_count as manifest_row_count,
        per_file.row_count as loaded_row_count

    from files
    left join per_file on files.rows_file_id = per_file.file_id
    where
        files.row_count != coalesce(per_file.row_count, 0)
        or (files.row_count > 0 and (
            per_file.min_row_number != 1
            or per_file.max_row_number != files.row_count
            or per_file.first_ended_at != files.first_ended_at
            or per_file.last_ended_at != files.last_ended_at
        ))

)

select * from compared
