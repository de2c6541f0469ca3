-- Rule 7 per local year and month: an artist is its name, ranked by counted plays within its
-- period; ties share a rank. Minutes count every stream of the artist.
{{ ranked_by_period(['artist_name']) }}
