-- seeds/timezones.csv: a listener's stays [valid_from, valid_to) must not overlap, or a
-- stream would have two zones.
with

stays as (

    select * from {{ ref('stg_seeds__timezones') }}

),

overlapping as (

    select
        earlier.listener,
        earlier.valid_from,
        earlier.valid_to,
        later.valid_from as later_valid_from

    from stays as earlier
    inner join stays as later
        on
            earlier.listener = later.listener
            and earlier.valid_from < later.valid_from
            and (earlier.valid_to is null or earlier.valid_to > later.valid_from)

)

select * from overlapping
