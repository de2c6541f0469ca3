-- Every counted play is in exactly one row of each period top list per grain (all time, year,
-- month; `top_tracks` and `top_artists` are the all-time rows): per listener and grain, track
-- and artist play counts add up to `plays`; album play counts add up to the plays that have an
-- album.
with

plays as (

    select * from {{ ref('plays') }}

),

top_tracks as (

    select * from {{ ref('top_tracks_by_period') }}

),

top_artists as (

    select * from {{ ref('top_artists_by_period') }}

),

top_albums as (

    select * from {{ ref('top_albums_by_period') }}

),

expected as (

    select
        plays.listener,
        grains.period_grain,
        count(*)::bigint as play_count,
        count(plays.album_name)::bigint as album_play_count

    from plays
    cross join (values ('all'), ('year'), ('month')) as grains (period_grain)
    group by all

),

{% for name in ['tracks', 'artists', 'albums'] %}
    {{ name }}_totals as (

        select
            listener,
            period_grain,
            sum(play_count)::bigint as play_count

        from top_{{ name }}
        group by all

    ),
{% endfor %}

compared as (

    select
        expected.listener,
        expected.period_grain,
        expected.play_count,
        expected.album_play_count,
        tracks_totals.play_count as track_play_count,
        artists_totals.play_count as artist_play_count,
        albums_totals.play_count as album_total_play_count

    from expected
    left join tracks_totals
        on
            expected.listener = tracks_totals.listener
            and expected.period_grain = tracks_totals.period_grain
    left join artists_totals
        on
            expected.listener = artists_totals.listener
            and expected.period_grain = artists_totals.period_grain
    left join albums_totals
        on
            expected.listener = albums_totals.listener
            and expected.period_grain = albums_totals.period_grain

)

select * from compared
where
    play_count is distinct from track_play_count
    or play_count is distinct from artist_play_count
    or album_play_count is distinct from coalesce(album_total_play_count, 0)
