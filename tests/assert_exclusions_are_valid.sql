-- my/exclusions.csv: every rule has a unique number and at least one criterion (a rule
-- without one would leave out everything), and its dates are in order.
with

exclusions as (

    select * from {{ ref('stg_seeds__exclusions') }}

),

problems as (

    select
        rule_id,
        reason,
        case
            when rule_id is null then 'a rule without a rule_id'
            when count(*) over (partition by rule_id) > 1 then 'rule_id used twice'
            when
                coalesce(artist_key, track_key, album_key, show_key, platform_key) is null
                and from_date is null
                and to_date is null
                then 'no criterion: it would leave out everything'
            when from_date > to_date then 'from_date is after to_date'
        end as problem

    from exclusions

)

select * from problems
where problem is not null
