-- In scope: the streams that count in plays, top lists and habits — every stream the
-- import rules kept and none of your exclusions leaves out. The one place that filter is
-- written; every mart but `streams` and `exclusions_applied` reads this model.
-- A view (dbt_project.yml), not ephemeral like the rest of the chain: DuckDB inlines a view
-- just as it does a CTE, and dbt would otherwise parse the SQL of each of its dozen readers to
-- insert it.
with

streams as (

    select * from {{ ref('int_streams_localized') }}

),

in_scope as (

    select * from streams
    where is_kept and not is_excluded

)

select * from in_scope
