-- Favourites that went quiet: artists in the listener's top 50 of some local year
-- (`top_artists_by_period`) without a counted play in the 12 months up to the listener's
-- last stream in the data.
with

yearly_tops as (

    select * from {{ ref('top_artists_by_period') }}

),

artists as (

    select * from {{ ref('top_artists') }}

),

all_time as (

    select * from {{ ref('activity_by_period') }}
    where period_grain = 'all'

),

data_ends as (

    select
        listener,
        last_ended_at as last_stream_at

    from all_time

),

top_years as (

    select
        listener,
        artist_name,
        rank as best_rank,
        play_count as best_year_play_count,
        year(period_start)::integer as best_year,
        row_number() over (
            partition by listener, artist_name order by rank asc, period_start asc
        ) as year_rank

    from yearly_tops
    where period_grain = 'year' and rank <= 50

),

best_years as (

    select
        listener,
        artist_name,
        best_rank,
        best_year_play_count,
        best_year

    from top_years
    where year_rank = 1

),

final as (

    select
        best_years.listener,
        best_years.artist_name,
        best_years.best_year,
        best_years.best_rank,
        best_years.best_year_play_count,
        artists.play_count,
        {{ days_between('artists.last_played_at::date', 'data_ends.last_stream_at::date') }}
            as days_silent,
        artists.last_played_local_date,
        artists.last_played_at

    from best_years
    inner join artists
        on
            best_years.listener = artists.listener
            and best_years.artist_name = artists.artist_name
    inner join data_ends on best_years.listener = data_ends.listener
    where artists.last_played_at < data_ends.last_stream_at - interval 12 month

)

select * from final
order by listener, best_rank, best_year, artist_name
