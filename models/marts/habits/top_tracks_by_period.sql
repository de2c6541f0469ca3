-- Rule 7 per local year and month: a track is (artist name, track name), ranked by counted
-- plays within its period; ties share a rank. Minutes count every stream of the track.
{{ ranked_by_period(['artist_name', 'track_name']) }}
