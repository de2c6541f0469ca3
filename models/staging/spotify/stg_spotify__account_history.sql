with

source as (

    select * from {{ source('spotify', 'account_history') }}

),

renamed as (

    select
        file_id,
        row_number,
        {{ clean_name('artistname') }} as artist_name,
        {{ clean_name('trackname') }} as track_name,
        {{ clean_name('podcastname') }} as show_name,
        {{ clean_name('episodename') }} as episode_name,
        {{ clean_name('audiobookname') }} as audiobook_title,
        {{ clean_name('chaptername') }} as audiobook_chapter_title,
        {{ clean_name('authorname') }} as audiobook_author_name,
        extra as extra_fields,
        msplayed as ms_played,
        -- endTime is minute precision (HH:MM:00); the 2018 variant has `time` instead
        coalesce(endtime, time) as ended_at

    from source

)

select * from renamed
