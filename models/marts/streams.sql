-- Every stream kept by the import rules, of every content type, each once, with its local time;
-- the streams your exclusions leave out are here too, flagged (`is_excluded`). Rows left out by
-- the import rules are in `import_audit`. The wide table's columns as they are: the contract
-- lists and checks them.
with

streams as (

    select * from {{ ref('int_streams_localized') }}

)

select * from streams
