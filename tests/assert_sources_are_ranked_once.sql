-- Source authority ranks every source of a listener exactly once: one rank per source, no
-- two sources of a listener on the same rank.
with

sources as (

    select * from {{ ref('int_sources_ranked') }}

),

problems as (

    select
        source_id,
        listener,
        authority_rank,
        case
            when source_id is null or authority_rank is null then 'no source_id or rank'
            when count(*) over (partition by source_id) > 1 then 'source_id ranked twice'
            when count(*) over (partition by listener, authority_rank) > 1
                then 'two sources share a rank'
        end as problem

    from sources

)

select * from problems
where problem is not null
