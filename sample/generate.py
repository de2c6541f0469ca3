"""A deterministic, fully synthetic Spotify export: every format and quirk, one listener.

    python -m sample.generate [--out sample/build]

One "true" timeline of streams (2016 → 2025-11) is written as nine downloads, in the order a
person would have received them (ingest them in that order):

  01_account_2018     the 2018 variant: StreamingHistory.json with `time`, no msPlayed
  02_account_2019     old account data: StreamingHistory0/1.json, podcasts mixed into music
  03_extended_2022    extended v1: endsong_N.json + endvideo.json (endsong_2 is the oldest)
  04_extended_2023    transitional: Streaming_History_Audio_*.json names, still v1 keys
  05_extended_2024    v2 (no username/user agent, ip_addr); one file minified
  06_account_2024     split account data: _music_, _podcast_, _audiobook_ files
  07_account_2025     a re-download overlapping 06; a title renamed, a row moved to podcasts
  08_extended_2025    v3 (audiobook keys), Audio and Video files, a ReadMeFirst PDF
  09_account_2025_11  account data filling the weeks after 08 ends

Every export is a view of the same timeline: account rows are its streams truncated to the
minute (no URIs, no unattributed streams); extended exports are cumulative and give one stream
the same field values in every export that holds it.

Quirks on purpose: exact duplicate rows (within and across files), rows identical except in a
personal field (another IP address, a user agent null vs ""), identical account rows (real
repeated plays in one minute), legacy reason codes (`nextbtn`, `click-row`) in old rows, names with surrounding spaces, CJK/emoji/accents, zero-ms and
29 999/30 000-ms rows, unattributed rows (2022–2024), local files ("Unknown Artist", null and
spotify:local: URIs), a real band called "Unknown Mortal Orchestra", "" for null, offline
timestamps in seconds, milliseconds and junk, free-text and short-token platforms, non-history
files. Personal fields are fake: documentation IP ranges, a made-up username.

Over 300 lines on purpose: one timeline written as nine downloads in every format; each quirk
the tests rely on is planted here, next to the others it must not disturb.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import os
import random
import sys
import time
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from json.encoder import encode_basestring
from pathlib import Path
from urllib.parse import quote_plus

SEED = 20251125
ZIP_TIME = (2025, 1, 1, 0, 0, 0)
START = datetime(2016, 1, 4)
END = datetime(2025, 11, 4)  # the last account download is 2025-11-05
USERNAME = "sample_listener_01"

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
ACCOUNT_KEYS = ["endTime", "artistName", "trackName", "msPlayed"]
EARLY_KEYS = ["time", "artistName", "trackName"]
PODCAST_KEYS = ["endTime", "podcastName", "episodeName", "msPlayed"]
AUDIOBOOK_KEYS = ["endTime", "audiobookName", "chapterName", "authorName", "msPlayed"]

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
    "Android OS 10 API 29 (Xiaomi, POCOPHONE F1)", "Android OS 10 API 29 (Xiaomi, POCOPHONE F1)",
    "iOS 14.2 (iPad11,6)", "Windows 10 (10.0.19042; x64)", "Windows 10 (10.0.19042; x64)",
    "OS X 10.15.1 [x86 8]", "Linux [x86-64 0]", "web_player windows 10;chrome 95.0.4638.69;desktop",
    "Partner google cast_touch;Google;Nest Hub;;tv",
]  # fmt: skip
NEW_PLATFORMS = ["android", "android", "ios", "windows", "windows", "linux", "not_applicable"]
USER_AGENTS = {
    "android": "Spotify/8.6.0 Android/29 (SampleDevice)",
    "ios": "Spotify/8.5.80 iOS/14.2 (iPad11,6)",
    "windows": "Spotify/1.1.72 Win32/0 (PC desktop)",
    "os x": "Spotify/1.1.72 OSX/0 (MacBookPro15,1)",
    "linux": "Spotify/1.1.72 Linux/0 (PC desktop)",
}
REASONS_START = ["trackdone"] * 6 + ["clickrow", "playbtn", "fwdbtn", "backbtn", "appload", ""]
COUNTRIES = ["DE"] * 8 + ["FR", "JP", "ES", "NL", "ZZ"]
EXTENDED_DIR = "Spotify Extended Streaming History"
ACCOUNT_DIR = "Spotify Account Data"
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


@dataclass
class Track:
    artist: str
    name: str
    album: str
    uris: list[str]  # empty: a local file
    duration: int  # ms


@dataclass
class Stream:
    end: datetime  # UTC, naive
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
    sid: int = 0  # position in the timeline: seeds every per-stream detail
    twin_of: Stream | None = None  # a second log of this stream, differing in personal fields


def uri(rng: random.Random, kind: str) -> str:
    return f"spotify:{kind}:" + "".join(rng.choice(B62) for _ in range(22))


# ---- the timeline ------------------------------------------------------------------------------


def catalog(rng: random.Random) -> list[Track]:
    tracks = []
    for artist in ARTISTS:
        for album_no in range(rng.randint(1, 3)):
            album = f"{rng.choice(WORDS)} {rng.choice(WORDS)}" + (" Vol. 2" if album_no else "")
            for _ in range(rng.randint(2, 6)):
                name = f"{rng.choice(WORDS)} {rng.choice(WORDS).lower()}"
                # the same song as single and album version: two URIs, one (artist, name)
                uris = [uri(rng, "track") for _ in range(rng.choice([1, 1, 1, 2]))]
                tracks.append(Track(artist, name, album, uris, rng.randint(120_000, 360_000)))
    tracks.append(
        Track("Unknown Mortal Orchestra", "Multi-Love", "Multi-Love", [uri(rng, "track")], 295_000)
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
        Track(artist, title, "Versions", [uri(rng, "track")], rng.randint(180_000, 300_000))
        for artist, titles in songs
        for title in titles
    ]


class Picker:
    """What the listener plays next: Zipf-like artists, podcasts, audiobooks, local files."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.tracks = catalog(rng)
        # Zipf-like popularity of artists, then of tracks within an artist
        order = list(ARTISTS)
        rng.shuffle(order)
        artist_weight = {a: 1 / (1 + i) ** 1.1 for i, a in enumerate(order)}
        per_artist: dict[str, int] = {}
        self.weights = []
        for t in self.tracks:
            n = per_artist[t.artist] = per_artist.get(t.artist, 0) + 1
            self.weights.append(artist_weight[t.artist] / n**0.7)
        self.mammagamma = Track(
            "The Alan Parsons Project", "Mammagamma - Instrumental", "Eye in the Sky",
            [uri(rng, "track")], 214_000,
        )  # fmt: skip
        self.versions = variants(rng)
        self.local = [
            Track("Unknown Artist", "Unknown Track", "", [], 245_000),
            Track("Les Négresses Vertes", "Zobi la mouche (live bootleg)", "Bootlegs", [], 212_000),
        ]
        self.episodes = {
            show: [(f"#{i} {rng.choice(WORDS)} {rng.choice(WORDS).lower()}", uri(rng, "episode"))
                   for i in range(1, 15)]
            for show in SHOWS
        }  # fmt: skip
        self.chapters = {
            book: [(f"Kapitel {i}" if book[1] == "Franz Kafka" else f"Capítulo {i}",
                    uri(rng, "episode")) for i in range(1, 11)]
            for book in BOOKS
        }  # fmt: skip
        self.book_uris = {book: uri(rng, "show") for book in BOOKS}

    def track_ms(self, track: Track) -> int:
        r = self.rng.random()
        if r < 0.04:
            return 0
        if r < 0.055:
            return self.rng.choice([29_999, 30_000])
        if r < 0.30:
            return self.rng.randint(300, 29_000)  # a skip
        if r < 0.38:
            return self.rng.randint(30_001, track.duration - 5_000)  # stopped part-way
        return track.duration - self.rng.randint(0, 1_500)  # a full play

    def next(self, at: datetime) -> Stream:
        rng, roll, year = self.rng, self.rng.random(), at.year
        if 2022 <= year <= 2024 and rng.random() < 0.07:  # Spotify lost the metadata
            ms = rng.choice([0, rng.randint(1_000, 240_000)])
            return Stream(at + timedelta(milliseconds=ms), "unattributed", ms)
        if at >= datetime(2024, 9, 1) and roll < 0.04:
            book = rng.choice(BOOKS)
            chapter, chapter_uri = rng.choice(self.chapters[book])
            ms = rng.choice([rng.randint(60_000, 1_800_000), rng.randint(0, 20_000)])
            return Stream(at + timedelta(milliseconds=ms), "audiobook", ms, book=book,
                          chapter=chapter, chapter_uri=chapter_uri,
                          book_uri=self.book_uris[book])  # fmt: skip
        if roll < 0.10:
            show = rng.choice(SHOWS)
            name, ep_uri = rng.choice(self.episodes[show])
            ms = rng.choice([0, rng.randint(5_000, 600_000), rng.randint(600_000, 3_000_000)])
            video = year >= 2020 and rng.random() < 0.2
            return Stream(at + timedelta(milliseconds=ms), "episode", ms, video=video,
                          show=show, episode=name, episode_uri=ep_uri)  # fmt: skip
        if roll < 0.105:
            track = rng.choice(self.local)
        elif year >= 2019 and roll < 0.13:
            track = self.mammagamma
        elif roll < 0.15:
            track = rng.choice(self.versions)
        else:
            track = rng.choices(self.tracks, self.weights)[0]
        ms = self.track_ms(track)
        video = year >= 2020 and bool(track.uris) and rng.random() < 0.02  # a music video
        return Stream(at + timedelta(milliseconds=ms), "track", ms, video=video, track=track)


def timeline(rng: random.Random) -> list[Stream]:
    """~3,700 streams, evenings and weekends, never overlapping; sorted by end."""
    picker = Picker(rng)
    streams: list[Stream] = []
    free = START  # nothing starts before the previous stream ended
    bursts = [datetime(2019, 3, 9), datetime(2024, 6, 15), datetime(2025, 6, 14)]
    day = last_session = START
    while day < END:
        weekend = day.weekday() >= 5
        sessions = sum(rng.random() < p for p in ((0.15, 0.04) if weekend else (0.06, 0.01)))
        if not sessions and (day - last_session).days >= 6:
            sessions = 1  # never more than a few days without music
        if sessions:
            last_session = day
        hours = sorted(
            rng.choice([8, 11, 13, 15, 16] if weekend else [6, 7, 12]) if rng.random() < 0.3
            else rng.choice([17, 18, 19, 19, 20, 20, 21, 21, 22])
            for _ in range(sessions)
        )  # fmt: skip
        for hour in hours:
            at = max(free, day + timedelta(hours=hour, minutes=rng.randint(0, 59)))
            at += timedelta(seconds=rng.randint(1, 59), milliseconds=rng.randint(0, 999))
            for _ in range(rng.randint(2, 8)):
                stream = picker.next(at)
                streams.append(stream)
                at = stream.end + timedelta(milliseconds=rng.randint(50, 4_000))
            if bursts and day >= bursts[0]:
                # the same song restarted three times within one minute: identical account rows
                bursts.pop(0)
                at = at.replace(second=0, microsecond=0) + timedelta(minutes=1, seconds=2)
                track = picker.tracks[0]
                for _ in range(3):
                    stream = Stream(at + timedelta(milliseconds=4_000), "track", 4_000, track=track)
                    streams.append(stream)
                    at = stream.end + timedelta(seconds=1)
            free = at
        day += timedelta(days=1)
    streams.sort(key=lambda s: s.end)
    for sid, stream in enumerate(streams):
        stream.sid = sid
    return streams


# ---- extended rows -----------------------------------------------------------------------------


def local_uri(track: Track) -> str:
    parts = (track.artist, track.album, track.name)
    return "spotify:local:" + ":".join(quote_plus(p) for p in parts) + f":{track.duration // 1000}"


def extended_row(s: Stream) -> dict:
    """Every field of every version for a stream: the same in each export that holds it."""
    r = random.Random(SEED * 7 + s.sid)
    track = s.track
    old = s.end < datetime(2023, 10, 1)
    platform = r.choice(OLD_PLATFORMS) if old else r.choice(NEW_PLATFORMS)
    family = next((f for f in USER_AGENTS if platform.lower().startswith(f)), None)
    if family is None and "Android" in platform:
        family = "android"
    if family is None and platform.startswith("iOS"):
        family = "ios"
    agent = USER_AGENTS.get(family or "", "unknown") if r.random() < 0.85 else ""
    epoch = int(s.end.replace(tzinfo=UTC).timestamp()) - r.randint(0, 3_600)
    offline = r.random() < 0.08
    offline_ts = r.choice([epoch, epoch * 1000, epoch * 1000])
    if offline and r.random() < 0.3:
        offline_ts = r.choice([0, 1])  # junk
    if s.ms_played < 30_000:
        reason_end = r.choice(["fwdbtn"] * 5 + ["backbtn", "endplay", "unknown", "trackerror"])
    elif s.kind == "track" and track and s.ms_played >= track.duration - 1_500:
        reason_end = r.choice(["trackdone"] * 8 + ["endplay", "logout"])
    else:
        reason_end = r.choice(["endplay", "endplay", "fwdbtn", "logout", "unexpected-exit", ""])
    album = track.album if track else None
    if track is None:
        track_uri = None
    elif not track.uris:
        track_uri = None if r.random() < 0.4 else local_uri(track)
    else:
        version = r.randrange(len(track.uris))
        track_uri = track.uris[version]
        if version:  # the single: its own release, titled like the song
            album = track.name
    flag = lambda p: None if s.end.year < 2017 and r.random() < 0.02 else r.random() < p  # noqa: E731
    ip = (
        f"{r.choice(['192.0.2', '198.51.100', '203.0.113'])}.{r.randint(1, 254)}"
        if r.random() < 0.9
        else f"2001:db8:{r.randint(1, 0xFFFF):x}::{r.randint(1, 0xFFFF):x}"
    )
    row = {
        "ts": s.end.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "username": USERNAME,
        "platform": platform,
        "ms_played": s.ms_played,
        "conn_country": r.choice(COUNTRIES),
        "ip_addr_decrypted": ip,
        "user_agent_decrypted": agent,
        "master_metadata_track_name": track.name if track else None,
        "master_metadata_album_artist_name": track.artist if track else None,
        "master_metadata_album_album_name": album,
        "spotify_track_uri": track_uri,
        "episode_name": s.episode,
        "episode_show_name": s.show,
        "spotify_episode_uri": s.episode_uri,
        "audiobook_title": s.book[0] if s.book else None,
        "audiobook_uri": s.book_uri,
        "audiobook_chapter_uri": s.chapter_uri,
        "audiobook_chapter_title": s.chapter,
        "reason_start": r.choice(REASONS_START),
        "reason_end": reason_end,
        "shuffle": flag(0.4),
        "skipped": None if s.end.year < 2020 else reason_end in ("fwdbtn", "backbtn"),
        "offline": flag(0.08) if not offline else True,
        "offline_timestamp": offline_ts,
        "incognito_mode": flag(0.02),
    }
    row["ip_addr"] = row["ip_addr_decrypted"]
    legacy_reason_codes(row, s)
    return row


def legacy_reason_codes(row: dict, s: Stream) -> None:
    """Old endsong exports spell `fwdbtn` as `nextbtn` and `clickrow` as `click-row`: half the
    rows before mid-2017 do (own random stream, so no other field changes)."""
    if s.end >= datetime(2017, 7, 1) or random.Random(SEED * 19 + s.sid).random() >= 0.5:
        return
    legacy = {"fwdbtn": "nextbtn", "clickrow": "click-row"}
    row["reason_start"] = legacy.get(row["reason_start"], row["reason_start"])
    row["reason_end"] = legacy.get(row["reason_end"], row["reason_end"])


def personal_twin_row(row: dict, sid: int) -> dict:
    """The same playback event logged again, differing only in personal fields: another IP
    address, or a user agent null in one copy and "" in the other."""
    twin = dict(row)
    if sid % 2:
        ip = f"{random.Random(SEED * 23 + sid).choice(['192.0.2', '203.0.113'])}.{sid % 250 + 1}"
        twin["ip_addr_decrypted"] = twin["ip_addr"] = ip
    else:
        twin["user_agent_decrypted"] = None if row["user_agent_decrypted"] == "" else ""
    return twin


def encode(value: object) -> str:
    """One JSON value as json.dumps(value, ensure_ascii=False) writes it."""
    if isinstance(value, str):
        return encode_basestring(value)
    return json.dumps(value)


def duplicated(s: Stream) -> bool:
    """~4 % of streams appear twice, identical in every field (the same ones in every export)."""
    return random.Random(SEED * 13 + s.sid).random() < 0.04


def personal_twin(s: Stream) -> bool:
    """~1 % of music streams are logged twice with other personal fields (every export)."""
    return s.kind == "track" and random.Random(SEED * 17 + s.sid).random() < 0.01


class Rows:
    """Each stream's extended fields, drawn and JSON-encoded once for all four exports."""

    def __init__(self) -> None:
        self.fields: dict[int, dict] = {}
        self.lines: dict[int, dict[str, str]] = {}
        self.twice: dict[int, bool] = {}
        self.twins: dict[int, Stream | None] = {}

    def row(self, s: Stream) -> dict:
        if s.sid not in self.fields:
            if s.twin_of is None:
                self.fields[s.sid] = extended_row(s)
            else:
                self.fields[s.sid] = personal_twin_row(self.row(s.twin_of), s.twin_of.sid)
        return self.fields[s.sid]

    def twin(self, s: Stream) -> Stream | None:
        """The stream's personal twin (one object for every export), if it has one."""
        if s.sid not in self.twins:
            self.twins[s.sid] = (
                Stream(s.end, s.kind, s.ms_played, s.video, s.track, sid=-1 - s.sid, twin_of=s)
                if personal_twin(s)
                else None
            )
        return self.twins[s.sid]

    def duplicated(self, s: Stream) -> bool:
        if s.sid not in self.twice:
            self.twice[s.sid] = duplicated(s)
        return self.twice[s.sid]

    def dump(self, streams: list[Stream], keys: list[str], minified: bool = False) -> bytes:
        """Like json.dumps(rows, ensure_ascii=False, indent=2), or minified; much faster."""
        if minified or not streams:
            rows = [{k: self.row(s)[k] for k in keys} for s in streams]
            return dump(rows, minified=minified)
        blocks = []
        for s in streams:
            if s.sid not in self.lines:
                self.lines[s.sid] = {
                    k: f"    {encode(k)}: {encode(v)}" for k, v in self.row(s).items()
                }
            lines = self.lines[s.sid]
            blocks.append("  {\n" + ",\n".join(lines[k] for k in keys) + "\n  }")
        return ("[\n" + ",\n".join(blocks) + "\n]").encode()


def years(streams: list[Stream]) -> str:
    first, last = streams[0].end.year, streams[-1].end.year
    return str(first) if first == last else f"{first}-{last}"


def extended_files(
    streams: list[Stream], rows: Rows, cuts: list[datetime], old_names: bool
) -> dict[str, list[Stream]]:
    """Audio files split by time at `cuts`, a Video file; exact duplicates within and across.

    Before v3 an audiobook stream, lacking the audiobook keys, is an unattributed row.
    """
    audio: list[list[Stream]] = [[] for _ in range(len(cuts) + 1)]
    video: list[Stream] = []
    for s in streams:
        target = video if s.video else audio[sum(s.end >= c for c in cuts)]
        target.append(s)
        if rows.duplicated(s):
            target.append(s)
        if twin := rows.twin(s):
            target.append(twin)
    # the last row of each Audio file is repeated at the start of the next one
    for before, after in itertools.pairwise(audio):
        after.insert(0, before[-1])
    if old_names:  # endsong_N: the index is not the time order (endsong_2 is the oldest)
        names = [f"endsong_{i}.json" for i in (2, 0, 1, 3, 4)[: len(audio)]]
        return {**dict(zip(names, audio, strict=True)), "endvideo.json": video}
    files = {
        f"Streaming_History_Audio_{years(part)}_{i}.json": part for i, part in enumerate(audio)
    }
    files[f"Streaming_History_Video_{years(video)}.json"] = video
    return files


# ---- account rows ------------------------------------------------------------------------------


def minute(s: Stream) -> str:
    return s.end.strftime("%Y-%m-%d %H:%M")


def music_row(s: Stream, spaced: bool = False) -> dict:
    artist = s.track.artist
    if spaced and artist == "Sigur Rós":
        artist = "  Sigur Rós "
    return {"endTime": minute(s), "artistName": artist, "trackName": s.track.name,
            "msPlayed": s.ms_played}  # fmt: skip


def account_mixed(streams: list[Stream]) -> list[dict]:
    """Old StreamingHistoryN.json: podcasts mixed in, show in artistName."""
    rows = []
    for s in streams:
        if s.kind == "track":
            rows.append(music_row(s, spaced=True))
        elif s.kind == "episode":
            rows.append({"endTime": minute(s), "artistName": s.show, "trackName": s.episode,
                         "msPlayed": s.ms_played})  # fmt: skip
    return rows


def account_split(streams: list[Stream]) -> dict[str, list[dict]]:
    music = [music_row(s) for s in streams if s.kind == "track"]
    podcast = [
        {"endTime": minute(s), "podcastName": s.show, "episodeName": s.episode,
         "msPlayed": s.ms_played}
        for s in streams if s.kind == "episode"
    ]  # fmt: skip
    books = [
        {"endTime": minute(s), "audiobookName": s.book[0], "chapterName": s.chapter,
         "authorName": s.book[1], "msPlayed": s.ms_played}
        for s in streams if s.kind == "audiobook"
    ]  # fmt: skip
    return {"music": music, "podcast": podcast, "audiobook": books}


def redownload_quirks(split: dict[str, list[dict]], moved_before: str) -> None:
    """07: Spotify renamed a title, and filed one music row (also in 06) as a podcast."""
    for row in split["music"]:
        if row["trackName"] == "Mammagamma - Instrumental":
            row["trackName"] = "Mammagamma"
    index = max(
        i
        for i, row in enumerate(split["music"])
        if row["endTime"] < moved_before and row["msPlayed"] >= 30_000
    )
    row = split["music"].pop(index)
    split["podcast"].append(
        {"endTime": row["endTime"], "podcastName": row["artistName"],
         "episodeName": row["trackName"], "msPlayed": row["msPlayed"]}
    )  # fmt: skip
    split["podcast"].sort(key=lambda r: r["endTime"])


# ---- writing -----------------------------------------------------------------------------------


def dump(data: object, minified: bool = False) -> bytes:
    """Extended files: `"key": value`, two-space indent, or no white space at all."""
    if minified:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def account_dump(data: object) -> bytes:
    """Account-data files are pretty-printed as `"key" : value`."""
    return json.dumps(data, ensure_ascii=False, indent=2, separators=(",", " : ")).encode()


def write_zip(path: Path, members: dict[str, bytes]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, members[name])
    path.write_bytes(buffer.getvalue())


def between(streams: list[Stream], start: datetime, end: datetime) -> list[Stream]:
    return [s for s in streams if start <= s.end < end]


def not_history(folder: str, year: int) -> dict[str, bytes]:
    """Files that sit next to the history in an account-data zip and are not history."""
    files = {
        "Userdata.json": account_dump(
            {"username": USERNAME, "email": "listener@example.com", "country": "DE",
             "birthdate": "1990-01-01", "creationTime": "2015-12-24"}
        ),
        "YourLibrary.json": account_dump(
            {"tracks": [{"artist": "Björk", "album": "Homogenic", "track": "Jóga"}],
             "albums": [], "shows": [{"name": "Café Lingua", "publisher": "Sample Media"}]}
        ),
        "Playlist1.json": account_dump(
            {"playlists": [{"name": "Abends 🌙", "lastModifiedDate": f"{year}-01-02",
                            "items": [{"track": {"trackName": "Multi-Love",
                                                 "artistName": "Unknown Mortal Orchestra"}}]}]}
        ),
        "SearchQueries.json": account_dump(
            [{"platform": "ANDROID", "searchTime": f"{year}-01-01T10:00:00.000Z",
              "searchQuery": "sigur", "searchInteractionURIs": []}]
        ),
        "Marquee.json": account_dump([{"artistName": "Sigur Rós", "segment": "Light listeners"}]),
    }  # fmt: skip
    return {f"{folder}/{name}": body for name, body in files.items()}


def exports(streams: list[Stream]) -> dict[str, dict[str, bytes]]:
    d = datetime
    out: dict[str, dict[str, bytes]] = {}

    early = [s for s in between(streams, d(2018, 1, 1), d(2018, 4, 1)) if s.kind == "track"]
    out["01_account_2018"] = {
        "MyData/StreamingHistory.json": account_dump(
            [{"time": s.end.strftime("%Y-%m-%d %H:%M:%S"), "artistName": s.track.artist,
              "trackName": s.track.name} for s in early]
        ),
        "MyData/Userdata.json": not_history("MyData", 2018)["MyData/Userdata.json"],
    }  # fmt: skip

    mixed = account_mixed(between(streams, d(2018, 6, 1), d(2019, 6, 1)))
    half = len(mixed) * 3 // 5
    out["02_account_2019"] = {
        "MyData/StreamingHistory0.json": account_dump(mixed[:half]),
        "MyData/StreamingHistory1.json": account_dump(mixed[half:]),
        **not_history("MyData", 2019),
    }

    extended = [
        # name, cut-off (exclusive), keys, folder, Audio file time splits, old names, minified
        ("03_extended_2022", d(2022, 6, 14), V1_KEYS, "MyData",
         [d(2018, 3, 1), d(2020, 5, 1)], True, None),
        ("04_extended_2023", d(2023, 11, 20), V1_KEYS, EXTENDED_DIR,
         [d(2019, 9, 1)], False, None),
        ("05_extended_2024", d(2024, 11, 18), V2_KEYS, EXTENDED_DIR,
         [d(2019, 1, 1), d(2022, 1, 1)], False, 1),
        ("08_extended_2025", d(2025, 10, 20), V3_KEYS, EXTENDED_DIR,
         [d(2018, 6, 1), d(2020, 9, 1), d(2023, 2, 1), d(2023, 10, 1)], False, None),
    ]  # fmt: skip
    rows = Rows()
    for name, cut, keys, folder, splits, old_names, minified in extended:
        files = extended_files(between(streams, START, cut), rows, splits, old_names)
        out[name] = {
            f"{folder}/{file}": rows.dump(part, keys, minified=i == minified)
            for i, (file, part) in enumerate(files.items())
        }
    out["08_extended_2025"][f"{EXTENDED_DIR}/ReadMeFirst_ExtendedStreamingHistory.pdf"] = (
        b"%PDF-1.4\n% a stand-in for Spotify's ReadMeFirst; not history\n%%EOF\n"
    )

    for name, start, end in [
        ("06_account_2024", d(2023, 12, 1), d(2024, 12, 1)),
        ("07_account_2025", d(2024, 3, 1), d(2025, 3, 1)),
        ("09_account_2025_11", d(2024, 11, 5), d(2025, 11, 5)),
    ]:
        split = account_split(between(streams, start, end))
        if name == "07_account_2025":
            redownload_quirks(split, moved_before="2024-11-30")
        out[name] = {
            f"{ACCOUNT_DIR}/StreamingHistory_{kind}_0.json": account_dump(rows)
            for kind, rows in split.items()
        }
        out[name].update(not_history(ACCOUNT_DIR, end.year))
    return dict(sorted(out.items()))


def write_sample(out_dir: Path | str) -> list[Path]:
    """Write the nine zips into out_dir; return their paths in ingest order (oldest first).

    Each zip is written under a temporary name and renamed into place, so a program reading
    the folder meanwhile (an ingest of the previous run's zips, identical bytes) always finds
    every zip whole. Zips an earlier run left there under other names (`NN_*.zip`) are removed
    afterwards, so a folder ingest never mixes two versions of the sample; any other file is
    left alone.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, members in exports(timeline(random.Random(SEED))).items():
        path = out_dir / f"{name}.zip"
        partial = out_dir / f".{name}.zip.{os.getpid()}"
        write_zip(partial, members)
        os.replace(partial, path)
        paths.append(path)
    for old in sorted(set(out_dir.glob("[0-9][0-9]_*.zip")) - set(paths)):
        old.unlink()
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("sample/build"))
    args = parser.parse_args(argv)
    started = time.perf_counter()
    paths = write_sample(args.out)
    for path in paths:
        print(path)
    print(f"{len(paths)} zips in {time.perf_counter() - started:.2f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
