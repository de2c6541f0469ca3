-- Albums ranked by counted plays, all time and per local year and month: an album is
-- (artist name, album name). Only extended history names albums, so plays from account data
-- (no album) are left out of these lists.
{{ ranked_by_period(
    ['artist_name', 'album_name'],
    measures={
        'track_count': 'count(distinct track_name) filter (where is_counted_play)::bigint'
    },
    where='album_name is not null'
) }}
