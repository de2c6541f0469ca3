"""Small generated history files of every format, for the ingest tests. Fake data only."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

V1 = {
    "ts": "2021-03-04T05:06:07Z",
    "username": "fixture_user",
    "platform": "Android OS 10 API 29 (Xiaomi, POCOPHONE F1)",
    "ms_played": 200000,
    "conn_country": "DE",
    "ip_addr_decrypted": "192.0.2.10",
    "user_agent_decrypted": "Spotify/8.6.0 Android/29 (FixtureDevice)",
    "master_metadata_track_name": "Hoppípolla",
    "master_metadata_album_artist_name": " Sigur Rós ",
    "master_metadata_album_album_name": "Takk...",
    "spotify_track_uri": "spotify:track:3eCqrTeyvCRhKXzbYQVC3s",
    "episode_name": None,
    "episode_show_name": None,
    "spotify_episode_uri": None,
    "reason_start": "",
    "reason_end": "trackdone",
    "shuffle": True,
    "skipped": None,
    "offline": False,
    "offline_timestamp": 1614834367000,
    "incognito_mode": False,
}


def v1_row(i: int = 0, **changes) -> dict:
    row = dict(V1, ts=f"2021-03-04T05:{i // 60 % 60:02d}:{i % 60:02d}Z", ms_played=1000 * i)
    row.update(changes)
    return row


def v2_row(i: int = 0, **changes) -> dict:
    row = {("ip_addr" if k == "ip_addr_decrypted" else k): v for k, v in v1_row(i).items()}
    del row["username"], row["user_agent_decrypted"]
    row.update(changes)
    return row


def v3_row(i: int = 0, **changes) -> dict:
    row = v2_row(i)
    position = list(row).index("reason_start")
    items = list(row.items())
    book = [
        ("audiobook_title", None),
        ("audiobook_uri", None),
        ("audiobook_chapter_uri", None),
        ("audiobook_chapter_title", None),
    ]
    row = dict(items[:position] + book + items[position:])
    row.update(changes)
    return row


def account_row(i: int = 0, **changes) -> dict:
    row = {
        "endTime": f"2024-05-01 {i // 60 % 24:02d}:{i % 60:02d}",
        "artistName": "坂本龍一",
        "trackName": "Merry Christmas Mr. Lawrence",
        "msPlayed": 1000 * i,
    }
    row.update(changes)
    return row


def podcast_row(i: int = 0) -> dict:
    return {
        "endTime": f"2024-05-02 10:{i % 60:02d}",
        "podcastName": "Fixture Show",
        "episodeName": f"Episode {i}",
        "msPlayed": 60000,
    }


def audiobook_row(i: int = 0) -> dict:
    return {
        "endTime": f"2024-05-03 10:{i % 60:02d}",
        "audiobookName": "Fixture Book",
        "chapterName": f"Chapter {i}",
        "authorName": "A. Author",
        "msPlayed": 600000,
    }


def time_row(i: int = 0) -> dict:
    return {"time": f"2018-01-02 03:04:{i % 60:02d}", "artistName": "Björk", "trackName": "Jóga"}


def write_json(path: Path, rows, *, indent: int | None = 2, bom: bool = False, crlf: bool = False):
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(rows, ensure_ascii=False, indent=indent)
    if crlf:
        text = text.replace("\n", "\r\n")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
    return path


def write_zip(path: Path, members: dict[str, bytes | list]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            data = content if isinstance(content, bytes) else json.dumps(content).encode()
            archive.writestr(name, data)
    return path


def every_format(folder: Path) -> dict[str, int]:
    """A folder holding one file of every format and layout quirk; returns rows per file."""
    files = {
        "MyData/StreamingHistory0.json": ([account_row(i) for i in range(3)], {}),
        "MyData/StreamingHistory.json": ([time_row(i) for i in range(2)], {"bom": True}),
        "Spotify Account Data/StreamingHistory_music_0.json": (
            [account_row(i) for i in range(4)],
            {"crlf": True},
        ),
        "Spotify Account Data/StreamingHistory_podcast_0.json": ([podcast_row(1)], {}),
        "Spotify Account Data/StreamingHistory_audiobook_0.json": ([audiobook_row(2)], {}),
        "Spotify Account Data/StreamingHistory_video_0.json": ([], {}),
        "MyData/endsong_0.json": ([v1_row(i) for i in range(5)], {"indent": None}),
        "MyData/endvideo.json": ([v1_row(7)], {}),
        "Spotify Extended Streaming History/Streaming_History_Audio_2019-2021_0.json": (
            [v2_row(i) for i in range(2)],
            {},
        ),
        "Spotify Extended Streaming History/Streaming_History_Audio_2024-2025_1.json": (
            [v3_row(3, audiobook_title="Fixture Book", audiobook_chapter_title="Ch 1")],
            {},
        ),
        "Spotify Extended Streaming History/Streaming_History_Video_2024-2025.json": (
            [v3_row(4)],
            {},
        ),
        "MyData/Userdata.json": ({"username": "fixture_user"}, {}),
    }
    for name, (rows, options) in files.items():
        write_json(folder / name, rows, **options)
    return {name: len(rows) for name, (rows, _) in files.items() if isinstance(rows, list)}
