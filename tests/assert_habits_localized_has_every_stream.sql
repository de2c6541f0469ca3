-- int_streams_localized is one row per row of `streams`: none lost, none doubled by
-- overlapping seeds/timezones.csv stays.
with

streams as (

    select * from {{ ref('streams') }}

),

localized as (

    select * from {{ ref('int_streams_localized') }}

),

counts as (

    select
        (select count(*) from streams) as stream_count,
        (select count(*) from localized) as localized_count,
        (select count(distinct stream_id) from localized) as localized_id_count

)

select * from counts
where stream_count != localized_count or localized_count != localized_id_count
