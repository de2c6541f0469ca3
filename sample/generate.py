"""A deterministic, fully synthetic Spotify export: every format and quirk, one listener.

    python -m sample.generate [--out sample/build]

One "true" timeline of streams (2016 → 2025-10) is written as nine downloads, in the order a
person would have received them (ingest them in that order):

  01_account_2018     the 2018 variant: StreamingHistory.json with `time`, no msPlayed
  02_account_2019     old account data: StreamingHistory0/1.json, podcasts mixed into music
  03_extended_2022    extended v1: endsong_N.json + endvideo.json
  04_extended_2023    transitional: Streaming_History_Audio_*.json names, still v1 keys
  05_extended_2024    v2 (no username/user agent, ip_addr); one file minified
  06_account_2024     split account data: _music_, _podcast_, _audiobook_ files
  07_account_2025     a re-download overlapping 06; a title renamed, a row moved to podcasts
  08_extended_2025    v3 (audiobook keys), Audio and Video files
  09_account_2025_11  account data filling the weeks after 08 ends

Quirks on purpose: exact duplicate rows (within and across files), names with surrounding
spaces, CJK/emoji/accents, zero-ms and 29 999/30 000-ms rows, unattributed rows, local files
("Unknown Artist"), a real band called "Unknown Mortal Orchestra", "" for null, offline
timestamps in seconds, milliseconds and junk, free-text and short-token platforms, non-history
files. Personal fields are fake: documentation IP ranges, a made-up username.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

SEED = 20251125
ZIP_TIME = (2025, 1, 1, 0, 0, 0)
START = datetime(2016, 1, 4)
END = datetime(2025, 11, 3)

V1_KEYS = [
    "ts", "username", "platform", "ms_played", "conn_country", "ip_addr_decrypted",
    "user_agent_decrypted", "master_metadata_track_name", "master_metadata_album_artist_name",
    "master_metadata_album_album_name", "spotify_track_uri", "episode_name", "episode_show_name",
    "spotify_episode_uri", "reason_start", "reason_end", "shuffle", "skipped", "offline",
    "offline_timestamp", "incognito_mode",
]  # fmt: skip
V2_KEYS = [k for k in V1_KEYS if k not in ("username", "user_agent_decrypted")]
V2_KEYS[V2_KEYS.index("ip_addr_decrypted")] = "ip_addr"
V3_KEYS = [
    *V2_KEYS[: V2_KEYS.index("reason_start")],
    "audiobook_title", "audiobook_uri", "audiobook_chapter_uri", "audiobook_chapter_title",
    *V2_KEYS[V2_KEYS.index("reason_start") :],
]  # fmt: skip

ARTISTS = [
    "Sigur Rós", "坂本龍一", "Beyoncé", "Mø", "Unknown Mortal Orchestra", "The Alan Parsons Project",
    "Daft Punk", "Björk", "宇多田ヒカル", "Rosalía", "Khruangbin", "Nils Frahm", "Radiohead",
    "BTS", "Stromae", "Anoushka Shankar", "Caetano Veloso", "Fatoumata Diawara", "Jóhann Jóhannsson",
    "Röyksopp", "Tinariwen", "Sufjan Stevens", "Joni Mitchell", "Aphex Twin", "Kraftwerk",
    "Bonobo", "Four Tet", "Ólafur Arnalds", "Nina Simone", "Mulatu Astatke", "Cocteau Twins",
    "Portishead", "Massive Attack", "Air", "Boards of Canada", "Floating Points", "Jon Hopkins",
    "Little Simz", "Kendrick Lamar", "Frank Ocean", "Solange", "Arca", "FKA twigs", "Grimes",
    "Mitski", "Japanese Breakfast", "Yo La Tengo", "Low", "Slowdive", "Beach House", "Björn 🎸",
    "The xx", "Jamie xx", "Burial", "Kiasmos", "Hania Rani", "Max Richter", "Ludovico Einaudi",
    "Erik Satie", "Les Négresses Vertes",
]  # fmt: skip
WORDS = [
    "Night", "Glass", "River", "Echo", "Blue", "Gold", "Paper", "Light", "Moon", "Signal",
    "Hoppípolla", "夜明け", "Ça va", "Déjà vu", "Mañana", "Ödland", "Nord", "Sol", "🌙", "Haze",
]  # fmt: skip
SHOWS = ["The Daily Sample", "Café Lingua", "宇宙ラジオ", "Deep Work Pod", "Song Exploder Demo"]
BOOKS = [("Der Process", "Franz Kafka"), ("Cien años de soledad", "G. G. Márquez")]
OLD_PLATFORMS = [
    "Android OS 10 API 29 (Xiaomi, POCOPHONE F1)", "iOS 14.2 (iPad11,6)",
    "Windows 10 (10.0.19042; x64)", "OS X 10.15.1 [x86 8]", "Linux [x86-64 0]",
    "web_player windows 10;chrome 95.0.4638.69;desktop",
    "Partner google cast_touch;Google;Nest Hub;;tv", "",
]  # fmt: skip
NEW_PLATFORMS = ["android", "ios", "windows", "linux", "not_applicable"]
REASONS_START = ["trackdone", "clickrow", "playbtn", "fwdbtn", "backbtn", "appload", "remote", ""]
COUNTRIES = ["DE", "DE", "DE", "FR", "JP", "ES", "ZZ"]
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


@dataclass
class Track:
    artist: str
    name: str
    album: str
    uris: list[str]


@dataclass
class Stream:
    end: datetime
    kind: str  # track | episode | audiobook | unattributed
    ms_played: int
    video: bool = False
    track: Track | None = None
    show: str | None = None
    episode: str | None = None
    episode_uri: str | None = None
    book: tuple[str, str] | None = None
    chapter: str | None = None
    chapter_uri: str | None = None
    book_uri: str | None = None
    extra: dict = field(default_factory=dict)


def uri(rng: random.Random, kind: str) -> str:
    return f"spotify:{kind}:" + "".join(rng.choice(B62) for _ in range(22))


def catalog(rng: random.Random) -> list[Track]:
    tracks = []
    for artist in ARTISTS:
        for album_no in range(rng.randint(1, 3)):
            album = f"{rng.choice(WORDS)} {rng.choice(WORDS)}" + (" Vol. 2" if album_no else "")
            for _ in range(rng.randint(2, 6)):
                name = f"{rng.choice(WORDS)} {rng.choice(WORDS).lower()}"
                # the same song as single and album version: two URIs, one (artist, name)
                uris = [uri(rng, "track") for _ in range(rng.choice([1, 1, 1, 2]))]
                tracks.append(Track(artist, name, album, uris))
    tracks.append(
        Track(
            "The Alan Parsons Project", "Mammagamma - Instrumental", "Eye in the Sky",
            [uri(rng, "track")],
        )
    )  # fmt: skip
    tracks.append(
        Track("Unknown Mortal Orchestra", "Multi-Love", "Multi-Love", [uri(rng, "track")])
    )
    return tracks


def variants(rng: random.Random) -> list[Track]:
    """Versions of one song under different titles: what suggested_track_merges should find."""
    songs = [
        ("Radiohead", ["Paper moon", "Paper moon - Remastered 2011", "Paper moon - Live"]),
        ("Daft Punk", ["Gold light", "Gold light (feat. Sample Singer)"]),
        ("Björk", ["Jóga", "JÓGA - Radio Edit"]),
    ]
    return [
        Track(artist, title, "Versions", [uri(rng, "track")])
        for artist, ts in songs
        for title in ts
    ]


def timeline(rng: random.Random) -> list[Stream]:
    tracks = catalog(rng)
    weights = [1 / (1 + i) ** 0.9 for i in range(len(tracks))]
    rng.shuffle(weights)
    mammagamma = next(t for t in tracks if t.name == "Mammagamma - Instrumental")
    versions = variants(rng)
    local = Track("Unknown Artist", "Unknown Track", "", [])
    episodes = {s: [(f"Episode {i}: {rng.choice(WORDS)}", uri(rng, "episode")) for i in range(12)]
                for s in SHOWS}  # fmt: skip
    streams: list[Stream] = []
    day = START
    while day < END:
        weekend = day.weekday() >= 5
        if rng.random() < (0.22 if weekend else 0.13):
            at = day + timedelta(
                hours=rng.choice([7, 12, 18, 19, 20, 21, 22]), minutes=rng.randint(0, 59)
            )
            for _ in range(rng.randint(2, 12)):
                stream = one_stream(rng, at, tracks, weights, episodes, local, mammagamma, versions)
                streams.append(stream)
                at = stream.end + timedelta(seconds=rng.randint(0, 4))
        day += timedelta(days=1)
    # several short plays ending within one minute (real repeats, identical in account data)
    base = next(s for s in streams if s.end.year == 2019 and s.end.month == 3 and s.kind == "track")
    for k in range(1, 3):
        streams.append(Stream(base.end + timedelta(seconds=5 * k), "track", 1200, track=base.track))
    streams.sort(key=lambda s: s.end)
    return streams


def one_stream(rng, at, tracks, weights, episodes, local, mammagamma, versions) -> Stream:
    roll = rng.random()
    year = at.year
    if (year >= 2024 and at.month >= 9 and roll < 0.03) or (year == 2025 and roll < 0.03):
        book = rng.choice(BOOKS)
        ms = rng.randint(60_000, 1_800_000)
        chapter = rng.randint(1, 20)
        return Stream(
            at + timedelta(milliseconds=ms), "audiobook", ms, book=book,
            chapter=f"Chapter {chapter}", chapter_uri=f"spotify:episode:ch{chapter:020d}",
            book_uri=f"spotify:show:book{BOOKS.index(book):017d}",
        )  # fmt: skip
    if roll < 0.10:
        show = rng.choice(SHOWS)
        name, ep_uri = rng.choice(episodes[show])
        ms = rng.choice([0, rng.randint(5_000, 600_000), rng.randint(600_000, 3_000_000)])
        return Stream(at + timedelta(milliseconds=ms), "episode", ms, video=rng.random() < 0.15,
                      show=show, episode=name, episode_uri=ep_uri)  # fmt: skip
    if 2022 <= year <= 2024 and roll < 0.13:
        ms = rng.randint(0, 240_000)
        return Stream(at + timedelta(milliseconds=ms), "unattributed", ms)
    if roll < 0.135:
        track = local
    elif 2019 <= year <= 2025 and roll < 0.15:
        track = mammagamma
    elif roll < 0.17:
        track = rng.choice(versions)
    else:
        track = rng.choices(tracks, weights)[0]
    r = rng.random()
    if r < 0.04:
        ms = 0
    elif r < 0.06:
        ms = rng.choice([29_999, 30_000])
    elif r < 0.30:
        ms = rng.randint(500, 29_000)
    else:
        ms = rng.randint(120_000, 360_000)
    return Stream(at + timedelta(milliseconds=ms), "track", ms, track=track,
                  video=year >= 2020 and rng.random() < 0.02)  # fmt: skip


# ---- extended rows ---------------------------------------------------------------------------


def extended_row(s: Stream, index: int, keys: list[str]) -> dict:
    """All fields of a stream, the same in every export that contains it."""
    r = random.Random(SEED * 7 + index)
    track = s.track
    is_local = track is not None and track.artist == "Unknown Artist"
    platform = r.choice(OLD_PLATFORMS) if s.end < datetime(2023, 10, 1) else r.choice(NEW_PLATFORMS)
    offline = r.random() < 0.08
    epoch = int(s.end.replace(tzinfo=UTC).timestamp()) - r.randint(0, 3600)
    offline_ts = (
        r.choice([epoch, epoch * 1000, epoch * 1000, 0, 1])
        if offline
        else r.choice([epoch, epoch * 1000])
    )
    reason_end = (
        r.choice(["fwdbtn", "fwdbtn", "backbtn", "endplay", "unknown"])
        if s.ms_played < 30_000
        else r.choice(
            ["trackdone", "trackdone", "trackdone", "endplay", "logout", "unexpected-exit"]
        )
    )
    row = {
        "ts": s.end.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "username": "sample_listener_01",
        "platform": platform,
        "ms_played": s.ms_played,
        "conn_country": r.choice(COUNTRIES),
        "ip_addr_decrypted": f"{r.choice(['192.0.2', '198.51.100', '203.0.113'])}.{r.randint(1, 254)}"
        if r.random() < 0.9
        else f"2001:db8::{r.randint(1, 9999):x}",
        "user_agent_decrypted": r.choice(
            ["Spotify/8.6.0 Android/29 (SampleDevice)", "unknown", ""]
        ),
        "master_metadata_track_name": track.name if track else None,
        "master_metadata_album_artist_name": track.artist if track else None,
        "master_metadata_album_album_name": track.album if track else None,
        "spotify_track_uri": (
            None
            if is_local and r.random() < 0.5
            else "spotify:local:Unknown+Artist:::Unknown+Track:0"
            if is_local
            else r.choice(track.uris)
            if track
            else None
        ),
        "episode_name": s.episode,
        "episode_show_name": s.show,
        "spotify_episode_uri": s.episode_uri,
        "audiobook_title": s.book[0] if s.book else None,
        "audiobook_uri": s.book_uri,
        "audiobook_chapter_uri": s.chapter_uri,
        "audiobook_chapter_title": s.chapter,
        "reason_start": r.choice(REASONS_START),
        "reason_end": reason_end,
        "shuffle": r.random() < 0.4,
        "skipped": None if s.end.year < 2020 else s.ms_played < 30_000 and r.random() < 0.7,
        "offline": offline,
        "offline_timestamp": offline_ts,
        "incognito_mode": r.random() < 0.02,
    }
    row["ip_addr"] = row["ip_addr_decrypted"]
    return {k: row[k] for k in keys}


def extended_files(
    streams: list[Stream], keys: list[str], audio_names: list[str], video_name: str
) -> dict[str, list[dict]]:
    """Split rows into Audio files (not in time order) and a Video file, with duplicates."""
    audio, video = [], []
    for index, s in enumerate(streams):
        if s.kind == "audiobook" and "audiobook_title" not in keys:
            row = extended_row(Stream(s.end, "unattributed", s.ms_played), index, keys)
        else:
            row = extended_row(s, index, keys)
        (video if s.video else audio).append(row)
        if (index * 2654435761) % 100 < 4:  # ~4 % exact duplicates, next to the original
            (video if s.video else audio).append(dict(row))
    chunks = [audio[i :: len(audio_names)] for i in range(len(audio_names))]
    chunks = [sorted(c, key=lambda r: r["ts"]) for c in chunks]
    files = dict(zip(reversed(audio_names), chunks, strict=True))  # file 0 is not the oldest
    # one pair duplicated across two files of the export
    first, second = list(files)[:2]
    files[second].append(dict(files[first][0]))
    files[video_name] = video
    return files


# ---- account rows --------------------------------------------------------------------------


def minute(s: Stream) -> str:
    return s.end.strftime("%Y-%m-%d %H:%M")


def account_music(streams: list[Stream], spaced: bool = False) -> list[dict]:
    rows = []
    for s in streams:
        if s.kind == "track":
            artist = s.track.artist
            if spaced and artist == "Sigur Rós":
                artist = "  Sigur Rós "
            rows.append({"endTime": minute(s), "artistName": artist, "trackName": s.track.name,
                         "msPlayed": s.ms_played})  # fmt: skip
    return rows


def account_mixed(streams: list[Stream]) -> list[dict]:
    """Old StreamingHistoryN.json: podcasts mixed in, show in artistName."""
    rows = []
    for s in streams:
        if s.kind == "track":
            rows.append(account_music([s], spaced=True)[0])
        elif s.kind == "episode":
            rows.append({"endTime": minute(s), "artistName": s.show, "trackName": s.episode,
                         "msPlayed": s.ms_played})  # fmt: skip
    return rows


def account_split(streams: list[Stream]) -> dict[str, list[dict]]:
    podcast = [
        {
            "endTime": minute(s),
            "podcastName": s.show,
            "episodeName": s.episode,
            "msPlayed": s.ms_played,
        }
        for s in streams
        if s.kind == "episode"
    ]
    books = [
        {"endTime": minute(s), "audiobookName": s.book[0], "chapterName": s.chapter,
         "authorName": s.book[1], "msPlayed": s.ms_played}
        for s in streams if s.kind == "audiobook"
    ]  # fmt: skip
    return {"music": account_music(streams), "podcast": podcast, "audiobook": books}


# ---- writing -------------------------------------------------------------------------------


def dump(rows: list[dict], minified: bool = False) -> bytes:
    if minified:
        return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode()
    return json.dumps(rows, ensure_ascii=False, indent=2).encode()


def account_dump(rows: list[dict]) -> bytes:
    """Account files are pretty-printed as `"key" : value`."""
    return json.dumps(rows, ensure_ascii=False, indent=2, separators=(",", " : ")).encode()


def write_zip(path: Path, members: dict[str, bytes]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, members[name])
    path.write_bytes(buffer.getvalue())


def between(streams: list[Stream], start: datetime, end: datetime) -> list[Stream]:
    return [s for s in streams if start <= s.end < end]


def not_history() -> dict[str, bytes]:
    return {
        "Userdata.json": dump({"username": "sample_listener_01", "country": "DE"}),  # type: ignore[arg-type]
        "YourLibrary.json": dump({"tracks": [{"artist": "Björk", "track": "Jóga"}]}),  # type: ignore[arg-type]
        "Playlist1.json": dump({"playlists": []}),  # type: ignore[arg-type]
        "SearchQueries.json": dump(
            [{"searchTime": "2019-01-01T10:00:00Z", "searchQuery": "sigur"}]
        ),
        "Marquee.json": dump([{"artistName": "Sigur Rós", "segment": "Light listeners"}]),
    }


def exports(streams: list[Stream]) -> dict[str, dict[str, bytes]]:
    d = datetime
    out: dict[str, dict[str, bytes]] = {}

    early = between(streams, d(2018, 1, 1), d(2018, 4, 1))
    out["01_account_2018"] = {
        "MyData/StreamingHistory.json": account_dump(
            [
                {
                    "time": s.end.strftime("%Y-%m-%d %H:%M:%S"),
                    "artistName": s.track.artist,
                    "trackName": s.track.name,
                }
                for s in early
                if s.kind == "track"
            ]
        ),
        "MyData/Userdata.json": not_history()["Userdata.json"],
    }

    mixed = account_mixed(between(streams, d(2018, 6, 1), d(2019, 6, 1)))
    half = len(mixed) // 2
    out["02_account_2019"] = {
        "MyData/StreamingHistory0.json": account_dump(mixed[:half]),
        "MyData/StreamingHistory1.json": account_dump(mixed[half:]),
        **{f"MyData/{k}": v for k, v in not_history().items()},
    }

    cuts = [
        ("03_extended_2022", d(2022, 6, 14), V1_KEYS, "MyData",
         ["endsong_0.json", "endsong_1.json", "endsong_2.json"], "endvideo.json", False),
        ("04_extended_2023", d(2023, 11, 20), V1_KEYS, "Spotify Extended Streaming History",
         ["Streaming_History_Audio_2016-2019_0.json", "Streaming_History_Audio_2019-2023_1.json"],
         "Streaming_History_Video_2020-2023.json", False),
        ("05_extended_2024", d(2024, 11, 18), V2_KEYS, "Spotify Extended Streaming History",
         ["Streaming_History_Audio_2016-2019_0.json", "Streaming_History_Audio_2019-2022_1.json",
          "Streaming_History_Audio_2022-2024_2.json"], "Streaming_History_Video_2020-2024.json", True),
        ("08_extended_2025", d(2025, 10, 20), V3_KEYS, "Spotify Extended Streaming History",
         ["Streaming_History_Audio_2016-2018_0.json", "Streaming_History_Audio_2018-2020_1.json",
          "Streaming_History_Audio_2020-2023_2.json", "Streaming_History_Audio_2023-2025_3.json"],
         "Streaming_History_Video_2020-2025.json", False),
    ]  # fmt: skip
    for name, cut, keys, folder, audio, video, minify_one in cuts:
        files = extended_files(between(streams, START, cut), keys, audio, video)
        members = {
            f"{folder}/{file}": dump(rows, minified=minify_one and i == 0)
            for i, (file, rows) in enumerate(files.items())
        }
        if name == "08_extended_2025":
            members[f"{folder}/ReadMeFirst_ExtendedStreamingHistory.pdf"] = b"%PDF-1.4 sample\n"
        out[name] = members

    for name, start, end, moved in [
        ("06_account_2024", d(2023, 12, 1), d(2024, 12, 1), False),
        ("07_account_2025", d(2024, 3, 1), d(2025, 3, 1), True),
        ("09_account_2025_11", d(2024, 11, 5), d(2025, 11, 5), False),
    ]:
        split = account_split(between(streams, start, end))
        if moved:
            for row in split["music"]:
                if row["trackName"] == "Mammagamma - Instrumental":
                    row["trackName"] = "Mammagamma"
            # a row the earlier download had with the music now sits in the podcast file
            row = split["music"].pop(len(split["music"]) // 2)
            split["podcast"].append(
                {
                    "endTime": row["endTime"],
                    "podcastName": row["artistName"],
                    "episodeName": row["trackName"],
                    "msPlayed": row["msPlayed"],
                }
            )
            split["podcast"].sort(key=lambda r: r["endTime"])  # fmt: skip
        folder = "Spotify Account Data"
        out[name] = {
            f"{folder}/StreamingHistory_{kind}_0.json": account_dump(rows)
            for kind, rows in split.items()
        }
        out[name][f"{folder}/Userdata.json"] = not_history()["Userdata.json"]
    return dict(sorted(out.items()))


def write_sample(out_dir: Path) -> list[Path]:
    """Write the nine zips into out_dir (old ones removed); return them in ingest order."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.zip"):
        old.unlink()
    paths = []
    for name, members in exports(timeline(random.Random(SEED))).items():
        path = out_dir / f"{name}.zip"
        write_zip(path, members)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("sample/build"))
    args = parser.parse_args(argv)
    for path in write_sample(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
