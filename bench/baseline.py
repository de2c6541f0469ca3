"""The seed-style baseline: plain Python that only counts.

    python -m bench.baseline EXPORT_DIR

Loads every history file with `json`, counts plays (music rows of at least 30 s) per track and
per artist in dicts, sorts, and prints the top 10 of each. No dedup, no overlap rules, no
tests: the floor a "throwaway script" sets, which the full pipeline is measured against.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path


def main(argv: list[str]) -> int:
    tracks: Counter[tuple[str, str]] = Counter()
    artists: Counter[str] = Counter()
    for path in sorted(Path(argv[0]).rglob("*.json")):
        with path.open(encoding="utf-8") as f:
            for row in json.load(f):
                track = row.get("master_metadata_track_name")
                if track and row["ms_played"] >= 30_000:
                    artist = row.get("master_metadata_album_artist_name")
                    tracks[(artist, track)] += 1
                    artists[artist] += 1
    for (artist, track), n in sorted(tracks.items(), key=lambda kv: -kv[1])[:10]:
        print(f"{n:6d}  {artist} – {track}")
    for artist, n in sorted(artists.items(), key=lambda kv: -kv[1])[:10]:
        print(f"{n:6d}  {artist}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
