"""End to end on the bundled sample: zips → ingest.py → dbt → marts.

Every number of `top_tracks` and `top_artists` is checked against a plain-Python count of
the counting rules (docs/counting-rules.md), written here independently of the SQL: this file reads
the zips itself and shares no code with ingest.py or the models. Over 300 lines on purpose:
the independent recount of the rules is most of it, and it must stay in one piece, apart from
the code it checks.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest

from spotify_history.cli import dbt_executable
from tests.user_loop import query, settings_like_the_examples

ROOT = Path(__file__).resolve().parent.parent
MIN_PLAY_MS = 30_000

ACCOUNT_NAME = re.compile(r"StreamingHistory(_(music|podcast|audiobook|video))?(_?\d+)?\.json")
EXTENDED_NAME = re.compile(r"(endsong(_\d+)?|endvideo|Streaming_History_(Audio|Video)_.*)\.json")
PERSONAL_KEYS = ("username", "ip_addr_decrypted", "ip_addr", "user_agent_decrypted")
AUDIOBOOK_KEYS = (
    "audiobook_title",
    "audiobook_uri",
    "audiobook_chapter_uri",
    "audiobook_chapter_title",
)


def clean(value: str | None) -> str | None:
    """Clean names: surrounding white space trimmed, empty string is null."""
    if value is None:
        return None
    value = value.strip()
    return value or None


@dataclass
class Stream:
    listener: str
    source: tuple[int, str]  # (export number, 'account' | 'extended')
    order: tuple[int, int]  # (file number, row number): first-wins for duplicates
    ended: datetime
    ms_played: int | None
    content_type: str
    artist: str | None = None
    track: str | None = None
    show: str | None = None
    episode: str | None = None
    old_mixed: bool = False
    raw_key: str = ""
    duplicate: bool = False
    overlapped: bool = False


@dataclass
class Source:
    rows: list[Stream] = field(default_factory=list)

    @property
    def span(self) -> tuple[datetime, datetime] | None:
        if not self.rows:
            return None
        ends = [s.ended for s in self.rows]
        return min(ends), max(ends)


def classify_extended(row: dict) -> str:
    """Content type, in order: audiobook, episode, track, unattributed (blank is not set)."""

    def has(*keys: str) -> bool:
        return any(clean(row.get(k)) is not None for k in keys)

    if has(*AUDIOBOOK_KEYS):
        return "audiobook"
    if has("spotify_episode_uri", "episode_name"):
        return "episode"
    if has("spotify_track_uri", "master_metadata_track_name"):
        return "track"
    return "unattributed"


def read_exports(zips: list[Path], listener: str = "me") -> list[Stream]:
    """Every row of every history file, as candidate streams of their source."""
    streams: list[Stream] = []
    seen_files: dict[str, list[dict]] = {}
    file_number = 0
    for export_number, path in enumerate(zips, start=1):
        with zipfile.ZipFile(path) as archive:
            for member in sorted(archive.namelist()):
                base = member.rsplit("/", 1)[-1]
                kind = (
                    "account"
                    if ACCOUNT_NAME.fullmatch(base)
                    else "extended"
                    if EXTENDED_NAME.fullmatch(base)
                    else None
                )
                if kind is None:
                    continue
                data = archive.read(member)
                digest = hashlib.sha256(data).hexdigest()
                rows = seen_files.setdefault(
                    digest, json.load(io.TextIOWrapper(io.BytesIO(data), "utf-8-sig"))
                )
                file_number += 1
                for row_number, row in enumerate(rows, start=1):
                    streams.append(
                        to_stream(
                            row, listener, (export_number, kind), (file_number, row_number), base
                        )
                    )
    return streams


def to_stream(
    row: dict, listener: str, source: tuple[int, str], order: tuple[int, int], base: str
) -> Stream:
    if source[1] == "extended":
        return Stream(
            listener=listener,
            source=source,
            order=order,
            ended=datetime.strptime(row["ts"], "%Y-%m-%dT%H:%M:%SZ"),
            ms_played=row["ms_played"],
            content_type=classify_extended(row),
            artist=clean(row.get("master_metadata_album_artist_name")),
            track=clean(row.get("master_metadata_track_name")),
            show=clean(row.get("episode_show_name")),
            episode=clean(row.get("episode_name")),
            # identical means every field but the personal ones (docs/counting-rules.md)
            raw_key=json.dumps(
                {k: v for k, v in row.items() if k not in PERSONAL_KEYS},
                sort_keys=True,
                ensure_ascii=False,
            ),
        )
    if "endTime" in row:
        ended = datetime.strptime(row["endTime"], "%Y-%m-%d %H:%M")
    else:
        ended = datetime.strptime(row["time"], "%Y-%m-%d %H:%M:%S")
    book = clean(row.get("audiobookName")) or clean(row.get("chapterName"))
    episode = clean(row.get("episodeName"))
    track = clean(row.get("trackName"))
    content_type = (
        "audiobook" if book else "episode" if episode else "track" if track else "unattributed"
    )
    return Stream(
        listener=listener,
        source=source,
        order=order,
        ended=ended,
        ms_played=row.get("msPlayed"),
        content_type=content_type,
        artist=clean(row.get("artistName")),
        track=track,
        show=clean(row.get("podcastName")),
        episode=episode,
        old_mixed=re.fullmatch(r"StreamingHistory\d*\.json", base) is not None,
    )


def apply_rules(streams: list[Stream]) -> list[Stream]:
    """Exports and sources, source authority, overlap, exact duplicates, and podcasts in old
    music files; returns the kept streams."""
    # podcasts in old mixed account files: a (show, episode) the listener has as an episode
    known = {
        (s.listener, s.show, s.episode) for s in streams if s.content_type == "episode" and s.show
    }
    for s in streams:
        if s.old_mixed and s.content_type == "track" and (s.listener, s.artist, s.track) in known:
            s.content_type, s.show, s.episode, s.artist, s.track = (
                "episode",
                s.artist,
                s.track,
                None,
                None,
            )

    sources: dict[tuple[str, tuple[int, str]], Source] = defaultdict(Source)
    for s in streams:
        sources[(s.listener, s.source)].rows.append(s)

    # exact duplicates: inside one extended source
    for (_, (_, kind)), source in sources.items():
        if kind == "extended":
            first: set[str] = set()
            for s in sorted(source.rows, key=lambda s: s.order):
                s.duplicate = s.raw_key in first
                first.add(s.raw_key)

    # source authority and overlap: a higher-ranked source's span replaces what it covers
    def authority(key: tuple[str, tuple[int, str]]) -> tuple:
        span = sources[key].span
        return (key[1][1] == "extended", span[1] if span else datetime.min, key[1][0])

    for key, source in sources.items():
        higher = [
            other.span
            for other_key, other in sources.items()
            if other_key[0] == key[0] and authority(other_key) > authority(key) and other.span
        ]
        for s in source.rows:
            s.overlapped = any(start <= s.ended <= end for start, end in higher)
    return [s for s in streams if not s.duplicate and not s.overlapped]


def rank(counts: dict, key_order) -> dict:
    """Competition ranks (1, 2, 2, 4) by play count."""
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], key_order(kv[0])))
    ranks, previous = {}, None
    for position, (key, count) in enumerate(ordered, start=1):
        if count != previous:
            current, previous = position, count
        ranks[key] = current
    return ranks


def sort_key(value):
    return tuple((v is None, v or "") for v in (value if isinstance(value, tuple) else (value,)))


@pytest.fixture(scope="session")
def built(built_sample_db, sample_zips) -> tuple[Path, list[Path]]:
    """The sample export, ingested and built once for the session (tests/conftest.py)."""
    return built_sample_db, sample_zips


@pytest.fixture(scope="session")
def expected(built) -> list[Stream]:
    return apply_rules(read_exports(built[1]))


def test_top_tracks_match_an_independent_count(built, expected):
    plays = [s for s in expected if s.content_type == "track" and (s.ms_played or 0) >= MIN_PLAY_MS]
    counts = Counter((s.artist, s.track) for s in plays)
    ms = Counter()
    for s in expected:
        if s.content_type == "track":
            ms[(s.artist, s.track)] += s.ms_played or 0
    ranks = rank(counts, sort_key)
    want = {
        key: (
            ranks[key],
            n,
            ms[key],
            ms[key] // 60000,
            min(s.ended for s in plays if (s.artist, s.track) == key),
            max(s.ended for s in plays if (s.artist, s.track) == key),
        )
        for key, n in counts.items()
    }
    got = {
        (a, t): (r, n, m, mins, first, last)
        for a, t, r, n, m, mins, first, last in query(
            built[0],
            "select artist_name, track_name, rank, play_count, ms_played, minutes_played, "
            "first_played_at, last_played_at from top_tracks where listener = 'me'",
        )
    }
    assert len(plays) > 1000, "the sample should hold a realistic number of plays"
    assert got == want


def test_top_artists_match_an_independent_count(built, expected):
    plays = [s for s in expected if s.content_type == "track" and (s.ms_played or 0) >= MIN_PLAY_MS]
    counts = Counter(s.artist for s in plays)
    tracks = defaultdict(set)
    for s in plays:
        tracks[s.artist].add(s.track)
    ms = Counter()
    for s in expected:
        if s.content_type == "track":
            ms[s.artist] += s.ms_played or 0
    ranks = rank(counts, sort_key)
    want = {
        artist: (ranks[artist], n, len(tracks[artist]), ms[artist], ms[artist] // 60000)
        for artist, n in counts.items()
    }
    got = {
        a: (r, n, tc, m, mins)
        for a, r, n, tc, m, mins in query(
            built[0],
            "select artist_name, rank, play_count, track_count, ms_played, minutes_played "
            "from top_artists where listener = 'me'",
        )
    }
    assert got == want


def test_streams_by_content_type_and_source_match(built, expected):
    want = Counter((s.source[1], s.content_type) for s in expected)
    got = dict(
        ((kind, ctype), n)
        for kind, ctype, n in query(
            built[0], "select source_kind, content_type, count(*) from streams group by all"
        )
    )
    assert got == dict(want)
    # the sample exercises every content type and both kinds of source
    assert {c for _, c in got} == {"track", "episode", "audiobook", "unattributed"}
    assert {k for k, _ in got} == {"account", "extended"}


def test_every_raw_row_is_kept_or_audited_with_a_reason(built):
    candidates = read_exports(built[1])
    kept = apply_rules(candidates)
    reasons = Counter(
        "overlapped" if s.overlapped else "exact_duplicate"
        for s in candidates
        if s.overlapped or s.duplicate
    )
    got = dict(query(built[0], "select reason, count(*) from import_audit group by all"))
    assert got == dict(reasons)
    assert reasons["exact_duplicate"] > 0 and reasons["overlapped"] > 0
    (n_streams,) = query(built[0], "select count(*) from streams")[0]
    assert n_streams == len(kept)
    assert n_streams + sum(got.values()) == len(candidates)


def test_suggested_merges_find_the_variants_in_the_sample(built):
    rows = query(
        built[0],
        "select artist_name, track_name, suggested_track_name from suggested_track_merges",
    )
    for artist, titles in [
        ("Radiohead", {"Paper moon", "Paper moon - Remastered 2011", "Paper moon - Live"}),
        ("Daft Punk", {"Gold light", "Gold light (feat. Sample Singer)"}),
        ("Björk", {"Jóga", "JÓGA - Radio Edit"}),
    ]:
        found = [(t, c) for a, t, c in rows if a == artist and (t in titles or c in titles)]
        canonical = {c for _, c in found}
        assert len(canonical) == 1, found
        assert {t for t, _ in found} | canonical == titles


def test_explain_lists_every_raw_row_behind_a_number(built, capsys):
    from spotify_history import explain

    artist, track, plays = query(
        built[0], "select artist_name, track_name, play_count from top_tracks where rank = 1"
    )[0]
    assert explain.main(["--db", str(built[0]), "--artist", artist, "--track", track]) == 0
    out = capsys.readouterr().out
    (kept,) = query(
        built[0],
        "select count(*) from streams where artist_name = ? and track_name = ?",
        [artist, track],
    )[0]
    (dropped,) = query(
        built[0],
        "select count(*) from import_audit where original_artist_name = ? and original_track_name = ?",
        [artist, track],
    )[0]
    assert f"{kept + dropped} raw rows" in out and f"{plays} counted" in out
    assert dropped > 0 and "replaced by export" in out and "exact duplicate (of row" in out


def test_make_it_yours_merges_and_exclusions_apply_and_undo(built, tmp_path):
    """Accept the suggested merges and exclude an artist; rebuild; then remove both rules.
    The rules go in a settings folder of the test's own (SPOTIFY_SETTINGS_DIR), as a user's go
    in my/; the build is the part of the project the rules reach (the marts checked here, with
    their tests)."""
    db = tmp_path / "mine.duckdb"
    shutil.copy(built[0], db)
    before_tracks = dict(
        ((a, t), n)
        for a, t, n in query(db, "select artist_name, track_name, play_count from top_tracks")
    )
    (seed_rows,) = zip(
        *query(db, "select seed_row from suggested_track_merges where artist_name = 'Radiohead'"),
        strict=True,
    )
    header = "listener,artist_name,track_name,canonical_artist_name,canonical_track_name,note\n"

    def build(settings: Path) -> None:
        env = {**os.environ, "SPOTIFY_DB": str(db), "DBT_PROFILES_DIR": str(ROOT),
               "SPOTIFY_SETTINGS_DIR": str(settings.relative_to(ROOT))}  # fmt: skip
        dbt = dbt_executable()  # plain dbt (in the suite, the warm one: tests/warm_dbt.py)
        subprocess.run(
            [dbt, "--quiet", "build", "--exclude-resource-type", "unit_test",
             "--select", "+top_tracks", "+top_artists", "+streams", "+exclusions_applied",
             "--indirect-selection", "cautious",
             "--target-path", str(tmp_path / "target")],
            cwd=ROOT, env=env, check=True,
        )  # fmt: skip

    with settings_like_the_examples() as settings:
        (settings / "track_merges.csv").write_text(header + "\n".join(seed_rows) + "\n")
        exclusions = settings / "exclusions.csv"
        original_exclusions = exclusions.read_text()
        exclusions.write_text(
            original_exclusions + "1,,unknown mortal orchestra,,,,,,,a test rule\n"
        )
        build(settings)
        merged = dict(
            ((a, t), n)
            for a, t, n in query(
                db,
                "select artist_name, track_name, play_count from top_tracks where artist_name = 'Radiohead'",
            )
        )
        variants = ["Paper moon", "Paper moon - Live", "Paper moon - Remastered 2011"]
        assert merged[("Radiohead", "Paper moon")] == sum(
            before_tracks.get(("Radiohead", v), 0) for v in variants
        )
        assert not {("Radiohead", v) for v in variants[1:]} & set(merged)
        assert query(
            db, "select count(*) from top_artists where artist_name = 'Unknown Mortal Orchestra'"
        ) == [(0,)]
        excluded = query(
            db,
            "select count(*), min(excluded_by_rule_id) from streams where artist_name = 'Unknown Mortal Orchestra'",
        )[0]
        assert excluded[0] > 0 and excluded[1] == 1
        assert query(db, "select stream_count from exclusions_applied where rule_id = 1") == [
            (excluded[0],)
        ]

        (settings / "track_merges.csv").write_text(header)
        exclusions.write_text(original_exclusions)
        build(settings)
    after = dict(
        ((a, t), n)
        for a, t, n in query(db, "select artist_name, track_name, play_count from top_tracks")
    )
    assert after == before_tracks
