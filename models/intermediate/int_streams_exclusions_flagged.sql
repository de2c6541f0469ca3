-- Exclusions (my/exclusions.csv): every kept stream flagged with the lowest-numbered rule
-- whose every filled-in field matches it. Names match trimmed and in any case, as Spotify
-- wrote them or as merged; `platform` matches when contained in the platform string;
-- `from_date`/`to_date` are inclusive UTC dates of the stream's end. Rows the import rules
-- dropped are never flagged. Nothing is removed here:
-- `int_streams_in_scope` leaves the flagged streams out of plays, tops and habits.
with

streams as (

    select * from {{ ref('int_streams_merged') }}

),

exclusions as (

    select * from {{ ref('stg_seeds__exclusions') }}

),

-- every rule in one list, lowest id first (a handful of rows): each stream finds its rule in
-- its own row, in one pass over the streams
rules as (

    select
        {{ ordered_list(
            record({
                'rule_id': 'rule_id',
                'listener': 'listener',
                'artist_key': 'artist_key',
                'track_key': 'track_key',
                'album_key': 'album_key',
                'show_key': 'show_key',
                'platform_key': 'platform_key',
                'from_date': 'from_date',
                'to_date': 'to_date',
            }),
            'rule_id',
        ) }} as rules

    from exclusions

),

matched as (

    select
        streams.*,
        case
            when streams.is_kept
                then {{ first_match('rules.rules', 'rule', "
                    (rule.listener is null or rule.listener = streams.listener)
                    and (
                        rule.artist_key is null
                        or rule.artist_key = lower(streams.artist_name)
                        or rule.artist_key = lower(streams.original_artist_name)
                    )
                    and (
                        rule.track_key is null
                        or rule.track_key = lower(streams.track_name)
                        or rule.track_key = lower(streams.original_track_name)
                    )
                    and (rule.album_key is null or rule.album_key = lower(streams.album_name))
                    and (rule.show_key is null or rule.show_key = lower(streams.show_name))
                    and (
                        rule.platform_key is null
                        or contains(lower(streams.platform), rule.platform_key)
                    )
                    and (rule.from_date is null or streams.ended_at::date >= rule.from_date)
                    and (rule.to_date is null or streams.ended_at::date <= rule.to_date)
                ") }}.rule_id
        end as excluded_by_rule_id

    from streams
    cross join rules

),

flagged as (

    select
        *,
        excluded_by_rule_id is not null as is_excluded

    from matched

)

select * from flagged
