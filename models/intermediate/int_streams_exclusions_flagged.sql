-- Exclusions (my/exclusions.csv): every kept stream, flagged with the lowest-numbered rule
-- whose every filled-in field matches it. Names match trimmed and in any case, as Spotify
-- wrote them or as merged; `platform` matches when contained in the platform string;
-- `from_date`/`to_date` are inclusive UTC dates of the stream's end. Nothing is removed here:
-- `int_streams_in_scope` leaves the flagged streams out of plays, tops and habits.
with

-- read twice (rule hits, then every stream): not materialized, so the hits re-read only the
-- few columns they match on
streams as {{ cte_not_materialized() }} (

    select * from {{ ref('int_streams_merged') }}

),

exclusions as (

    select * from {{ ref('stg_seeds__exclusions') }}

),

rule_hits as (

    select
        streams.stream_id,
        min(exclusions.rule_id) as excluded_by_rule_id

    from streams
    inner join exclusions
        on
            (exclusions.listener is null or streams.listener = exclusions.listener)
            and (
                exclusions.artist_key is null
                or exclusions.artist_key = lower(streams.artist_name)
                or exclusions.artist_key = lower(streams.original_artist_name)
            )
            and (
                exclusions.track_key is null
                or exclusions.track_key = lower(streams.track_name)
                or exclusions.track_key = lower(streams.original_track_name)
            )
            and (exclusions.album_key is null or exclusions.album_key = lower(streams.album_name))
            and (exclusions.show_key is null or exclusions.show_key = lower(streams.show_name))
            and (
                exclusions.platform_key is null
                or contains(lower(streams.platform), exclusions.platform_key)
            )
            and (exclusions.from_date is null or streams.ended_at::date >= exclusions.from_date)
            and (exclusions.to_date is null or streams.ended_at::date <= exclusions.to_date)
    group by all

),

flagged as (

    select
        streams.*,
        rule_hits.excluded_by_rule_id,
        rule_hits.excluded_by_rule_id is not null as is_excluded

    from streams
    left join rule_hits on streams.stream_id = rule_hits.stream_id

)

select * from flagged
