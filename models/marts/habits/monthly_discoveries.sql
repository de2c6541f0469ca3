-- New artists and tracks per listener and local month: those whose first counted play fell in
-- the month. Months between the first and the last with a play are all present.
with

artists as (

    select * from {{ ref('top_artists') }}
    where artist_name is not null

),

tracks as (

    select * from {{ ref('top_tracks') }}

),

new_artists as (

    select
        listener,
        date_trunc('month', first_played_local_date)::date as month_start,
        count(*)::bigint as new_artist_count

    from artists
    group by all

),

new_tracks as (

    select
        listener,
        date_trunc('month', first_played_local_date)::date as month_start,
        count(*)::bigint as new_track_count

    from tracks
    group by all

),

spans as (

    select
        listener,
        min(month_start) as first_month,
        max(month_start) as last_month

    from new_tracks
    group by all

),

months as (

    select
        listener,
        {{ date_series('first_month', 'last_month', 'month') }} as month_start

    from spans

),

final as (

    select
        months.listener,
        coalesce(new_artists.new_artist_count, 0)::bigint as new_artist_count,
        coalesce(new_tracks.new_track_count, 0)::bigint as new_track_count,
        months.month_start

    from months
    left join new_artists
        on months.listener = new_artists.listener and months.month_start = new_artists.month_start
    left join new_tracks
        on months.listener = new_tracks.listener and months.month_start = new_tracks.month_start

)

select * from final
order by listener, month_start
