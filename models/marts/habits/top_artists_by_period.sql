-- Artists ranked by counted plays, all time and per local year and month; an artist is its
-- name. `first_track_name` is the track of the artist's first counted play in the period.
{{ ranked_by_period(
    ['artist_name'],
    measures={
        'track_count': 'count(distinct track_name) filter (where is_counted_play)::bigint',
        'first_track_name': 'min_by(track_name, (ended_at, track_name)) filter (where is_counted_play)',
    }
) }}
