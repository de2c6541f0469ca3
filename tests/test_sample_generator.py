"""The bundled sample export keeps its promises: deterministic, small, every format and quirk.

Over 300 lines on purpose: one test per promise of the sample (each format and quirk), sharing
the readers of the generated zips.
"""

from __future__ import annotations

import functools
import io
import ipaddress
import json
import re
import threading
import zipfile
from collections import Counter
from datetime import datetime, timedelta

import pytest

from sample.generate import V1_KEYS, V2_KEYS, V3_KEYS, main, write_sample

DOC_RANGES = [
    ipaddress.ip_network(n)
    for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
]
NAMES = [
    "01_account_2018", "02_account_2019", "03_extended_2022", "04_extended_2023",
    "05_extended_2024", "06_account_2024", "07_account_2025", "08_extended_2025",
    "09_account_2025_11",
]  # fmt: skip
NOT_HISTORY = ["Marquee.json", "Playlist1.json", "SearchQueries.json", "Userdata.json",
               "YourLibrary.json"]  # fmt: skip
ACCOUNT = "Spotify Account Data/"
EXT = "Spotify Extended Streaming History/"
SPLIT = [f"StreamingHistory_{kind}_0.json" for kind in ("audiobook", "music", "podcast")]
MEMBERS = {
    "01_account_2018": ["MyData/StreamingHistory.json", "MyData/Userdata.json"],
    "02_account_2019": sorted(
        f"MyData/{n}" for n in [*NOT_HISTORY, "StreamingHistory0.json", "StreamingHistory1.json"]
    ),
    "03_extended_2022": [f"MyData/{n}" for n in
                         ("endsong_0.json", "endsong_1.json", "endsong_2.json", "endvideo.json")],
    "04_extended_2023": [EXT + n for n in (
        "Streaming_History_Audio_2016-2019_0.json", "Streaming_History_Audio_2019-2023_1.json",
        "Streaming_History_Video_2020-2023.json")],
    "05_extended_2024": [EXT + n for n in (
        "Streaming_History_Audio_2016-2018_0.json", "Streaming_History_Audio_2018-2021_1.json",
        "Streaming_History_Audio_2021-2024_2.json", "Streaming_History_Video_2020-2024.json")],
    "06_account_2024": sorted(ACCOUNT + n for n in [*NOT_HISTORY, *SPLIT]),
    "07_account_2025": sorted(ACCOUNT + n for n in [*NOT_HISTORY, *SPLIT]),
    "08_extended_2025": [EXT + n for n in (
        "ReadMeFirst_ExtendedStreamingHistory.pdf", "Streaming_History_Audio_2016-2018_0.json",
        "Streaming_History_Audio_2018-2020_1.json", "Streaming_History_Audio_2020-2023_2.json",
        "Streaming_History_Audio_2023-2025_4.json", "Streaming_History_Audio_2023_3.json",
        "Streaming_History_Video_2020-2025.json")],
    "09_account_2025_11": sorted(ACCOUNT + n for n in [*NOT_HISTORY, *SPLIT]),
}  # fmt: skip
EXTENDED = {"03_extended_2022": V1_KEYS, "04_extended_2023": V1_KEYS,
            "05_extended_2024": V2_KEYS, "08_extended_2025": V3_KEYS}  # fmt: skip
HISTORY = r"StreamingHistory.*\.json$|endsong|endvideo|Streaming_History_.*\.json$"


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[list[str], list[bytes]]:
    """One run of write_sample: zip names and their bytes."""
    out = tmp_path_factory.mktemp("sample")
    (out / "03_extended_2021.zip").write_bytes(b"a zip an older version of the generator wrote")
    (out / "my_spotify_data.zip").write_bytes(b"not ours: left alone")
    paths = write_sample(out)
    assert all(p.parent == out for p in paths)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [*(p.name for p in paths), "my_spotify_data.zip"]
    )
    return [p.name for p in paths], [p.read_bytes() for p in paths]


@pytest.fixture(scope="module")
def sample(generated) -> dict[str, dict[str, bytes]]:
    """{zip name: {member: raw bytes}}, in the order write_sample returned the zips."""
    out = {}
    for name, data in zip(*generated, strict=True):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            out[name.removesuffix(".zip")] = {n: archive.read(n) for n in archive.namelist()}
    return out


@functools.cache
def parse(body: bytes) -> list[dict]:
    return json.loads(body)


def rows(members: dict[str, bytes], pattern: str = HISTORY) -> dict[str, list[dict]]:
    return {n: parse(b) for n, b in members.items() if re.search(pattern, n)}


def flat(members: dict[str, bytes], pattern: str = HISTORY) -> list[dict]:
    return [r for content in rows(members, pattern).values() for r in content]


def key(row: dict, keys: list[str] | None = None) -> str:
    return json.dumps({k: row[k] for k in keys or row}, sort_keys=True, ensure_ascii=False)


def test_output_is_byte_identical_and_replaces_old_zips(generated, tmp_path, capsys):
    names, first = generated
    assert names == [f"{n}.zip" for n in NAMES]
    # the command line: a second run, into another folder, prints the paths in ingest order
    assert main(["--out", str(tmp_path / "cli")]) == 0
    printed = capsys.readouterr().out.split()
    assert printed == [str(tmp_path / "cli" / n) for n in names]
    assert [(tmp_path / "cli" / n).read_bytes() for n in names] == first
    for data in first:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            assert {i.date_time for i in infos} == {(2025, 1, 1, 0, 0, 0)}
            assert [i.filename for i in infos] == sorted(i.filename for i in infos)


def test_a_reader_meanwhile_finds_every_zip_whole(generated, tmp_path):
    """`make demo` writes the sample again while others may be reading it (make test ingests
    it beside pytest): every zip is there, whole, at every moment."""
    names, first = generated
    folder = tmp_path / "again"
    folder.mkdir()
    for name, data in zip(names, first, strict=True):  # what the previous run wrote
        (folder / name).write_bytes(data)
    seen: list[list[str]] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            found = sorted(p.name for p in folder.glob("[0-9][0-9]_*.zip"))
            seen.append(found)
            for name in found:
                assert (folder / name).read_bytes() == first[names.index(name)], name

    reader = threading.Thread(target=read)
    reader.start()
    try:
        write_sample(folder)
    finally:
        done.set()
        reader.join()
    assert len(seen) > 10 and all(found == sorted(names) for found in seen)


def test_nine_downloads_in_ingest_order_and_small_enough(sample):
    assert list(sample) == NAMES
    total = sum(len(flat(members)) for members in sample.values())
    assert 10_000 <= total <= 20_000


@pytest.mark.parametrize("name", NAMES)
def test_members_of_each_zip(sample, name):
    assert sorted(sample[name]) == MEMBERS[name]
    for member, body in sample[name].items():
        if member.endswith(".json"):
            assert not body.startswith(b"\xef\xbb\xbf")
            json.loads(body.decode("utf-8"))


def test_key_counts_match_the_spec():
    assert (len(V1_KEYS), len(V2_KEYS), len(V3_KEYS)) == (21, 19, 23)
    assert "ip_addr" in V2_KEYS and "username" not in V2_KEYS
    books = ["audiobook_title", "audiobook_uri", "audiobook_chapter_uri", "audiobook_chapter_title"]
    at = V3_KEYS.index("reason_start")
    assert V3_KEYS[at - 4 : at] == books and [k for k in V3_KEYS if k not in books] == V2_KEYS


@pytest.mark.parametrize(("name", "keys"), EXTENDED.items())
def test_extended_keys_in_order_and_exact_duplicates(sample, name, keys):
    files = rows(sample[name])
    for content in files.values():
        assert content and all(list(r) == keys for r in content)
    counts = Counter(key(r) for content in files.values() for r in content)
    total = sum(counts.values())
    assert 0.03 <= sum(n - 1 for n in counts.values()) / total <= 0.06
    within = [n for n, c in files.items() if any(v > 1 for v in Counter(map(key, c)).values())]
    assert len(within) >= 2, "duplicates inside one file"
    sets = [set(map(key, c)) for c in files.values()]
    assert any(a & b for i, a in enumerate(sets) for b in sets[i + 1 :]), "across two files"


def test_extended_files_are_not_in_name_order(sample):
    files = rows(sample["03_extended_2022"], r"endsong")
    newest = {n.rsplit("/", 1)[1]: max(r["ts"] for r in c) for n, c in files.items()}
    assert newest["endsong_2.json"] < newest["endsong_0.json"] < newest["endsong_1.json"]
    files = rows(sample["08_extended_2025"], r"Audio")
    by_name = [max(r["ts"] for r in files[n]) for n in sorted(files)]
    assert by_name != sorted(by_name), "alphabetical order is not time order"


def test_cumulative_exports_agree_on_every_stream(sample):
    common = [k for k in V2_KEYS if k != "ip_addr"]
    older = None
    for name in EXTENDED:
        here = flat(sample[name])
        if older is not None:
            assert {key(r, common) for r in older} <= {key(r, common) for r in here}, name
            assert max(r["ts"] for r in here) > max(r["ts"] for r in older)
        older = here
    v1 = {key(r) for r in flat(sample["03_extended_2022"])}
    assert v1 <= {key(r) for r in flat(sample["04_extended_2023"])}


def test_video_rows_are_not_in_the_audio_files(sample):
    for name in EXTENDED:
        video = flat(sample[name], r"Video|endvideo")
        audio = {key(r) for r in flat(sample[name], r"Audio|endsong")}
        assert video and not {key(r) for r in video} & audio
        assert any(r["spotify_episode_uri"] for r in video)
        uris = [r["spotify_track_uri"] for r in video if r["spotify_track_uri"]]
        assert uris and all(re.fullmatch(r"spotify:track:[0-9A-Za-z]{22}", u) for u in uris)


def test_minified_and_pretty_printed_files(sample):
    ext = {n: b for n, b in sample["05_extended_2024"].items() if n.endswith(".json")}
    minified = [n for n, b in ext.items() if b"\n" not in b]
    assert len(minified) == 1 and b'":' in ext[minified[0]] and b'": ' not in ext[minified[0]]
    for n, body in ext.items():
        if n not in minified:
            assert body.startswith(b'[\n  {\n    "ts": "')
    music = sample["06_account_2024"][ACCOUNT + "StreamingHistory_music_0.json"]
    assert b'"endTime" : "' in music
    assert "Sigur Rós".encode() in sample["02_account_2019"]["MyData/StreamingHistory0.json"]


def test_account_variants(sample):
    early = flat(sample["01_account_2018"])
    assert all(list(r) == ["time", "artistName", "trackName"] for r in early)
    times = [datetime.strptime(r["time"], "%Y-%m-%d %H:%M:%S") for r in early]
    assert max(times) - min(times) <= timedelta(days=92) and min(times).year == 2018
    old = flat(sample["02_account_2019"])
    assert all(list(r) == ["endTime", "artistName", "trackName", "msPlayed"] for r in old)
    assert (
        "2018-06-01" <= min(r["endTime"] for r in old) < max(r["endTime"] for r in old) < "2019-06"
    )
    assert any(r["artistName"] != r["artistName"].strip() for r in old), "names with spaces"
    assert any(n > 1 for n in Counter(json.dumps(r) for r in old).values()), "repeated plays"
    # podcasts mixed in: (show, episode) pairs that are episodes in the extended history
    episodes = {
        (r["episode_show_name"], r["episode_name"]) for r in flat(sample["08_extended_2025"])
    }
    assert any((r["artistName"], r["trackName"]) in episodes for r in old)
    for name in ("06_account_2024", "07_account_2025", "09_account_2025_11"):
        split = rows(sample[name])
        files = {n.rsplit("/", 1)[1]: c for n, c in split.items()}
        assert all(
            list(r) == ["endTime", "artistName", "trackName", "msPlayed"]
            for r in files["StreamingHistory_music_0.json"]
        )
        assert all(
            list(r) == ["endTime", "podcastName", "episodeName", "msPlayed"]
            for r in files["StreamingHistory_podcast_0.json"]
        )
        assert all(
            list(r) == ["endTime", "audiobookName", "chapterName", "authorName", "msPlayed"]
            for r in files["StreamingHistory_audiobook_0.json"]
        )
        assert all(c for c in files.values())
        for r in (r for c in files.values() for r in c):
            assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", r["endTime"])
            assert isinstance(r["msPlayed"], int) and r["msPlayed"] >= 0
            assert all(v is not None for v in r.values()), "no unattributed rows in account data"


def test_redownload_renames_a_title_and_moves_a_row(sample):
    def files(name):
        return {n.rsplit("_", 2)[1]: c for n, c in rows(sample[name]).items()}

    before, after = files("06_account_2024"), files("07_account_2025")
    titles = lambda f: {r["trackName"] for r in f["music"]}  # noqa: E731
    assert "Mammagamma - Instrumental" in titles(before) and "Mammagamma" not in titles(before)
    assert "Mammagamma" in titles(after) and "Mammagamma - Instrumental" not in titles(after)
    music = {tuple(r.values()) for r in before["music"]}
    assert any(tuple(r.values()) in music for r in after["podcast"]), "a music row moved"
    both = {tuple(r.values()) for r in after["music"]} & music
    assert len(both) > len(after["music"]) / 2, "the re-download overlaps most of 06"


def test_account_data_fills_the_tail_after_extended(sample):
    ext = max(r["ts"] for r in flat(sample["08_extended_2025"]))
    assert "2025-10-15" <= ext < "2025-10-21"
    tail = flat(sample["09_account_2025_11"])
    end = max(r["endTime"] for r in tail)
    assert end.replace(" ", "T") > ext[:16] and end < "2025-11-06"
    assert min(r["endTime"] for r in tail) < ext[:10], "09 overlaps 08 before filling its tail"


def test_only_documentation_ip_addresses_and_fake_identity(sample):
    found = set()
    for members in sample.values():
        for body in members.values():
            text = body.decode("utf-8", "replace")
            found.update(re.findall(r"\b\d{1,3}(?:\.\d{1,3}){3}\b", text))
            found.update(
                re.findall(r'"([0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7})"', text)
            )  # IPv6
    assert any(":" in a for a in found) and any("." in a for a in found)
    assert all(any(ipaddress.ip_address(a) in n for n in DOC_RANGES) for a in found), found
    for name in ("03_extended_2022", "04_extended_2023"):
        assert {r["username"] for r in flat(sample[name])} == {"sample_listener_01"}
        agents = {r["user_agent_decrypted"] for r in flat(sample[name])}
        assert "" in agents and "Spotify/8.6.0 Android/29 (SampleDevice)" in agents


def test_quirks_are_present(sample):
    rows08 = flat(sample["08_extended_2025"])
    assert all(isinstance(r["ms_played"], int) and r["ms_played"] >= 0 for r in rows08)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", r["ts"]) for r in rows08)
    assert any(r["ms_played"] == 0 for r in rows08)
    assert {29_999, 30_000} <= {r["ms_played"] for r in rows08}
    artists = {r["master_metadata_album_artist_name"] for r in rows08}
    assert {"Unknown Artist", "Unknown Mortal Orchestra", "Beyoncé", "Sigur Rós", "Mø"} <= artists
    assert "坂本龍一" in artists and any("🎸" in (a or "") for a in artists)
    local = [r for r in rows08 if r["master_metadata_album_artist_name"] == "Unknown Artist"]
    assert {r["master_metadata_track_name"] for r in local} == {"Unknown Track"}
    local_uris = {r["spotify_track_uri"] for r in rows08 if r["spotify_track_uri"] is None
                  or r["spotify_track_uri"].startswith("spotify:local:")}  # fmt: skip
    assert None in local_uris and len(local_uris) > 1
    assert any(r["master_metadata_track_name"] == "Mammagamma - Instrumental" for r in rows08)
    meta = [k for k in V3_KEYS if "name" in k or "uri" in k or "title" in k]
    unattributed = [r for r in rows08 if all(r[k] is None for k in meta)]
    assert unattributed and {r["ts"][:4] for r in unattributed} <= {"2022", "2023", "2024"}
    assert any(r["audiobook_title"] for r in rows08)
    assert any(r["reason_start"] == "" for r in rows08)
    stamps = {r["offline_timestamp"] for r in rows08}
    assert any(s > 1e11 for s in stamps) and any(1e9 < s < 1e11 for s in stamps)
    assert {0, 1} & stamps
    assert "ZZ" in {r["conn_country"] for r in rows08}
    # skipped: null before 2020, a boolean after
    assert {r["skipped"] for r in rows08 if r["ts"] < "2020"} == {None}
    assert {r["skipped"] for r in rows08 if r["ts"] >= "2020"} == {True, False}
    # free-text platforms before October 2023, short tokens after
    tokens = {"android", "ios", "windows", "linux", "not_applicable"}
    assert {r["platform"] for r in rows08 if r["ts"] >= "2023-10"} <= tokens
    old = {r["platform"] for r in rows08 if r["ts"] < "2023-10"}
    assert not old & tokens and "Linux [x86-64 0]" in old
    # fwdbtn mostly on short plays
    fwd = [r["ms_played"] for r in rows08 if r["reason_end"] == "fwdbtn"]
    assert sum(ms < 30_000 for ms in fwd) > 0.8 * len(fwd)
    # one song, two URIs (single and album version, two album names)
    uris: dict[tuple, set] = {}
    for r in rows08:
        if (r["spotify_track_uri"] or "").startswith("spotify:track:"):
            name = (r["master_metadata_album_artist_name"], r["master_metadata_track_name"])
            uris.setdefault(name, set()).add(
                (r["spotify_track_uri"], r["master_metadata_album_album_name"])
            )
    assert any(len({u for u, _ in v}) > 1 and len({a for _, a in v}) > 1 for v in uris.values())
    assert all(a for v in uris.values() for _, a in v), "a Spotify track always has an album"


def test_streams_do_not_overlap_much(sample):
    """Start ≈ ts − ms_played: a stream starts (nearly) after the previous one ended."""
    rows08 = flat(sample["08_extended_2025"])
    # within one second, the longer stream started first
    seen = sorted({(r["ts"], r["ms_played"]) for r in rows08}, key=lambda t: (t[0], -t[1]))
    ends = [datetime.strptime(ts, "%Y-%m-%dT%H:%M:%SZ") for ts, _ in seen]
    starts = [end - timedelta(milliseconds=ms) for end, (_, ms) in zip(ends, seen, strict=True)]
    overlaps = [
        e - s for s, e in zip(starts[1:], ends, strict=False) if e - s > timedelta(seconds=2)
    ]
    assert not overlaps
