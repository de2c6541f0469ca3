"""The bundled sample export keeps its promises: deterministic, small, every format and quirk."""

from __future__ import annotations

import ipaddress
import json
import re
import zipfile
from collections import Counter

import pytest

from sample.generate import V1_KEYS, V2_KEYS, V3_KEYS, write_sample

DOC_RANGES = [
    ipaddress.ip_network(n)
    for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
]


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> dict[str, dict[str, object]]:
    """{zip name: {member: parsed JSON or raw bytes}}."""
    paths = write_sample(tmp_path_factory.mktemp("sample"))
    out = {}
    for path in paths:
        with zipfile.ZipFile(path) as archive:
            out[path.stem] = {n: archive.read(n) for n in archive.namelist()}
    return out


def rows(members: dict[str, bytes], pattern: str) -> dict[str, list[dict]]:
    return {n: json.loads(b) for n, b in members.items() if re.search(pattern, n)}


def test_output_is_byte_identical_every_time(tmp_path):
    first = [p.read_bytes() for p in write_sample(tmp_path / "a")]
    second = [p.read_bytes() for p in write_sample(tmp_path / "b")]
    assert first == second


def test_nine_downloads_small_enough_for_a_quick_demo(sample):
    assert list(sample) == [
        "01_account_2018", "02_account_2019", "03_extended_2022", "04_extended_2023",
        "05_extended_2024", "06_account_2024", "07_account_2025", "08_extended_2025",
        "09_account_2025_11",
    ]  # fmt: skip
    total = sum(
        len(r)
        for members in sample.values()
        for r in rows(members, r"History.*\.json$|endsong|endvideo").values()
    )
    assert 10_000 <= total <= 20_000


@pytest.mark.parametrize(
    ("name", "keys", "names"),
    [
        ("03_extended_2022", V1_KEYS, r"MyData/(endsong_\d|endvideo)\.json"),
        ("04_extended_2023", V1_KEYS, r"Streaming_History_(Audio|Video)_"),
        ("05_extended_2024", V2_KEYS, r"Streaming_History_(Audio|Video)_"),
        ("08_extended_2025", V3_KEYS, r"Streaming_History_(Audio|Video)_"),
    ],
)
def test_extended_key_sets_and_duplicates(sample, name, keys, names):
    files = rows(sample[name], names)
    assert len(files) >= 3 and any("Video" in n or "endvideo" in n for n in files)
    for content in files.values():
        assert all(list(r) == keys for r in content)
    all_rows = [json.dumps(r, sort_keys=True) for content in files.values() for r in content]
    assert sum(n - 1 for n in Counter(all_rows).values()) > 0, "exact duplicates expected"


def test_key_counts_match_the_spec():
    assert (len(V1_KEYS), len(V2_KEYS), len(V3_KEYS)) == (21, 19, 23)


def test_account_variants(sample):
    (early,) = rows(sample["01_account_2018"], r"StreamingHistory\.json").values()
    assert set(early[0]) == {"time", "artistName", "trackName"}
    old = rows(sample["02_account_2019"], r"StreamingHistory\d\.json")
    assert len(old) == 2 and all(
        set(r) == {"endTime", "artistName", "trackName", "msPlayed"}
        for f in old.values()
        for r in f
    )
    flat = [r for f in old.values() for r in f]
    assert any(r["artistName"] != r["artistName"].strip() for r in flat), "names with spaces"
    assert any(n > 1 for n in Counter(json.dumps(r) for r in flat).values()), "repeated plays"
    split = rows(sample["06_account_2024"], r"StreamingHistory_(music|podcast|audiobook)_0")
    assert len(split) == 3
    assert b"Marquee.json" in b" ".join(n.encode() for n in sample["02_account_2019"])


def test_minified_file_and_renamed_title(sample):
    assert any(
        b"\n" not in body for n, body in sample["05_extended_2024"].items() if n.endswith(".json")
    )
    music = lambda name: [  # noqa: E731
        r["trackName"] for f in rows(sample[name], r"_music_").values() for r in f
    ]
    assert "Mammagamma" in music("07_account_2025") and "Mammagamma" not in music("06_account_2024")


def test_account_data_fills_the_tail_after_extended(sample):
    ext = max(
        r["ts"] for f in rows(sample["08_extended_2025"], r"Streaming_History").values() for r in f
    )
    tail = max(
        r["endTime"] for f in rows(sample["09_account_2025_11"], r"_music_").values() for r in f
    )
    assert tail.replace(" ", "T") > ext[:16]


def test_only_documentation_ip_addresses(sample):
    found = set()
    for members in sample.values():
        for body in members.values():
            text = body.decode("utf-8", "replace")
            found.update(re.findall(r"\b\d{1,3}(?:\.\d{1,3}){3}\b|2001:db8:[0-9a-f:]*", text))
    assert found
    assert all(any(ipaddress.ip_address(a) in n for n in DOC_RANGES) for a in found), found


def test_quirks_are_present(sample):
    flat = [r for f in rows(sample["08_extended_2025"], r"Streaming_History").values() for r in f]
    assert any(r["ms_played"] == 0 for r in flat)
    assert {29_999, 30_000} <= {r["ms_played"] for r in flat}
    assert any(r["master_metadata_album_artist_name"] == "Unknown Artist" for r in flat)
    assert any(r["master_metadata_album_artist_name"] == "Unknown Mortal Orchestra" for r in flat)
    assert any(
        all(r[k] is None for k in V3_KEYS if "name" in k or "uri" in k or "title" in k)
        for r in flat
    )
    assert any(r["reason_start"] == "" for r in flat)
    stamps = {r["offline_timestamp"] for r in flat}
    assert any(s > 1e11 for s in stamps) and any(1e9 < s < 1e11 for s in stamps) and {0, 1} & stamps
    assert any(
        re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", r["master_metadata_album_artist_name"] or "")
        for r in flat
    )
