-- Every stream kept by the import rules, of every content type, each once, with its local time;
-- the streams your exclusions leave out are here too, flagged (`is_excluded`). Rows left out by
-- the import rules are in `import_audit`. The wide table's kept rows: the contract lists and
-- checks the columns.
with

all_rows as (

    select * from {{ ref('int_streams_localized') }}

),

streams as (

    select {{ star_except(['is_kept', 'overlapped_by_source_id', 'duplicate_of_stream_id']) }}
    from all_rows
    where is_kept

)

select * from streams
