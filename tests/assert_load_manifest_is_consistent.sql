-- The load manifest and the raw rows agree (what raw.*'s DDL does not already enforce: its
-- primary keys and NOT NULL columns): every file belongs to a known export and has a known
-- kind and format; every raw row belongs to a loaded file of its kind, once, with a time and
-- no negative duration; and each loaded file holds exactly `row_count` rows, numbered
-- 1..row_count, spanning its manifest's first and last end times. One row per problem, saying
-- what and where.
with

exports as (

    select * from {{ ref('stg_spotify__exports') }}

),

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
        'account' as source_kind,
        file_id,
        row_number,
        ms_played,
        ended_at

    from account_rows
    union all
    select
        'extended' as source_kind,
        file_id,
        row_number,
        ms_played,
        ended_at

    from extended_rows

),

file_problems as (

    select
        'raw.files' as found_in,
        files.file_id,
        null::bigint as row_number,
        case
            when exports.export_id is null then 'export_id has no export'
            when files.duplicate_of_file_id is not null and loaded.file_id is null
                then 'duplicate_of_file_id has no file'
            when files.source_kind not in ('account', 'extended') then 'unknown source_kind'
            when
                files.format not in (
                    'account', 'account_music', 'account_podcast', 'account_audiobook',
                    'account_video', 'account_time', 'extended_v1', 'extended_v2', 'extended_v3'
                )
                then 'unknown format'
            when split_part(files.format, '_', 1) != files.source_kind
                then 'format of another source_kind'
            when files.row_count < 0 then 'negative row_count'
        end as problem

    from files
    left join exports on files.export_id = exports.export_id
    left join files as loaded on files.duplicate_of_file_id = loaded.file_id

),

row_problems as (

    select
        'raw.' || all_rows.source_kind || '_history' as found_in,
        all_rows.file_id,
        all_rows.row_number,
        case
            when files.file_id is null then 'file_id has no file'
            when files.source_kind != all_rows.source_kind then 'row of a file of another kind'
            when files.is_already_loaded then 'rows of a file marked as loaded before'
            when all_rows.ended_at is null then 'no end time'
            when all_rows.ms_played < 0 then 'negative ms_played'
        end as problem

    from all_rows
    left join files on all_rows.file_id = files.file_id

),

repeated_rows as (

    select
        'raw.' || source_kind || '_history' as found_in,
        file_id,
        row_number,
        'row_number repeated in its file' as problem

    from all_rows
    group by all
    having count(*) > 1

),

per_file as (

    select
        file_id,
        -- row numbers, not rows: a number repeated is reported as such (repeated_rows)
        count(distinct row_number)::bigint as row_count,
        min(row_number) as min_row_number,
        max(row_number) as max_row_number,
        min(ended_at) as first_ended_at,
        max(ended_at) as last_ended_at

    from all_rows
    group by all

),

count_problems as (

    select
        'raw.files' as found_in,
        files.file_id,
        null::bigint as row_number,
        case
            when files.row_count != coalesce(per_file.row_count, 0)
                then 'row_count is not the rows loaded'
            when
                files.row_count > 0 and (
                    per_file.min_row_number != 1 or per_file.max_row_number != files.row_count
                )
                then 'row numbers are not 1..row_count'
            when
                files.row_count > 0 and (
                    per_file.first_ended_at != files.first_ended_at
                    or per_file.last_ended_at != files.last_ended_at
                )
                then 'first or last end time is not the span of its rows'
        end as problem

    from files
    left join per_file on files.rows_file_id = per_file.file_id

)

select * from file_problems
where problem is not null
union all
select * from row_problems
where problem is not null
union all
select * from repeated_rows
union all
select * from count_problems
where problem is not null
