-- listening_clock has all 7 × 24 cells for every listener with a stream in scope.
with

clock as (

    select * from {{ ref('listening_clock') }}

),

streams as (

    select * from {{ ref('int_streams_in_scope') }}

),

listeners as (

    select distinct listener from streams

),

cells as (

    select
        listeners.listener,
        count(clock.listener) as cell_count

    from listeners
    left join clock on listeners.listener = clock.listener
    group by all

)

select * from cells
where cell_count != 168
