-- What each of your exclusion rules removed, per listener; a rule that matched nothing shows
-- with zeros, so a typo in a name is easy to spot.
with

exclusions as (

    select * from {{ ref('stg_seeds__exclusions') }}

),

streams as (

    select * from {{ ref('streams') }}

),

removed as (

    select
        excluded_by_rule_id as rule_id,
        listener,
        count(*)::bigint as stream_count,
        count_if(is_eligible_play)::bigint as play_count,
        coalesce(sum(ms_played), 0)::bigint as ms_played,
        min(ended_at) as first_ended_at,
        max(ended_at) as last_ended_at

    from streams
    where is_excluded
    group by all

),

applied as (

    select
        exclusions.rule_id,
        coalesce(removed.listener, exclusions.listener) as listener,
        exclusions.reason,
        coalesce(removed.stream_count, 0)::bigint as stream_count,
        coalesce(removed.play_count, 0)::bigint as play_count,
        coalesce(removed.ms_played, 0)::bigint as ms_played,
        removed.first_ended_at,
        removed.last_ended_at

    from exclusions
    left join removed on exclusions.rule_id = removed.rule_id

)

select * from applied
order by rule_id, listener
