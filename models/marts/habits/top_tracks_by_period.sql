-- Tracks ranked by counted plays, all time and per local year and month; a track is
-- (artist name, track name).
{{ ranked_by_period(['artist_name', 'track_name']) }}
