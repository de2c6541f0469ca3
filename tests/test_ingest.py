"""ingest.py: every format, lossless, idempotent, atomic, strict, safe and private.

Over 300 lines on purpose: one module per promise of the ingest would scatter the shared
helpers (run, query, digest, the bad-input table); each section below is one promise.
"""

from __future__ import annotations

import hashlib
import json
import random
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import duckdb
import pytest

import ingest
from spotify_history import loading
from tests.ingest_fixtures import (
    account_row,
    every_format,
    v1_row,
    v2_row,
    v3_row,
    write_json,
    write_zip,
)

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str | Path) -> int:
    return ingest.main([str(a) for a in args])


def query(db: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "spotify.duckdb"


# ---- every format ------------------------------------------------------------------------


def test_every_format_lands_typed_with_lineage(tmp_path, db, capsys):
    rows = every_format(tmp_path / "export")
    assert run("--db", db, tmp_path / "export") == 0
    files = dict(query(db, "select path, format from raw.files"))
    assert files == {
        "MyData/StreamingHistory0.json": "account",
        "MyData/StreamingHistory.json": "account_time",
        "Spotify Account Data/StreamingHistory_music_0.json": "account_music",
        "Spotify Account Data/StreamingHistory_podcast_0.json": "account_podcast",
        "Spotify Account Data/StreamingHistory_audiobook_0.json": "account_audiobook",
        "Spotify Account Data/StreamingHistory_video_0.json": "account_video",
        "MyData/endsong_0.json": "extended_v1",
        "MyData/endvideo.json": "extended_v1",
        "Spotify Extended Streaming History/Streaming_History_Audio_2019-2021_0.json": "extended_v2",
        "Spotify Extended Streaming History/Streaming_History_Audio_2024-2025_1.json": "extended_v3",
        "Spotify Extended Streaming History/Streaming_History_Video_2024-2025.json": "extended_v3",
    }
    counted = dict(
        query(
            db,
            "select f.path, count(h.file_id) from raw.files f left join ("
            "select file_id from raw.account_history union all "
            "select file_id from raw.extended_history) h using (file_id) group by all",
        )
    )
    assert counted == {k: v for k, v in rows.items() if k in files}
    # typed and untouched: names keep their spaces, '' stays '', times are timestamps
    artist, reason, ts, shuffle, offline_ts = query(
        db,
        "select master_metadata_album_artist_name, reason_start, ts, shuffle, offline_timestamp "
        "from raw.extended_history where file_id = (select file_id from raw.files "
        "where path = 'MyData/endsong_0.json') and row_number = 2",
    )[0]
    assert (artist, reason, str(ts), shuffle, offline_ts) == (
        " Sigur Rós ",
        "",
        "2021-03-04 05:00:01",
        True,
        1614834367000,
    )
    assert query(db, 'select "time", "msPlayed" from raw.account_history where "time" is not null')[
        0
    ] == (
        __import__("datetime").datetime(2018, 1, 2, 3, 4, 0),
        None,
    )
    assert query(db, "select count(*) from raw.exports") == [(1,)]
    out = capsys.readouterr().out
    assert "1 other files ignored" in out
    # rows per file format, most first (what kind of stream a row is, the build decides)
    assert (
        "; 21 rows (extended_v1 6, account_music 4, account 3, account_time 2, extended_v2 2, "
        "extended_v3 2, account_audiobook 1, account_podcast 1, account_video 0);"
    ) in out


def test_row_numbers_are_positions_in_the_file(tmp_path, db):
    rows = [v2_row(i, ms_played=i) for i in range(5000)]
    random.Random(1).shuffle(rows)
    write_json(tmp_path / "endsong_0.json", rows, indent=None)
    assert run("--db", db, tmp_path / "endsong_0.json") == 0
    got = query(db, "select row_number, ms_played from raw.extended_history order by row_number")
    assert got == [(i + 1, row["ms_played"]) for i, row in enumerate(rows)]


def test_row_numbers_stay_exact_across_many_files_read_together(tmp_path, db):
    export = tmp_path / "many"
    expected = {}
    rng = random.Random(2)
    for f in range(40):  # more than one parallel batch, files of uneven sizes, some empty
        rows = [v2_row(i, ms_played=f * 100000 + i) for i in range(rng.choice([0, 7, 300, 2500]))]
        rng.shuffle(rows)
        name = f"Streaming_History_Audio_2020_{f}.json"
        write_json(export / name, rows, indent=None)
        expected[name] = [(i + 1, r["ms_played"]) for i, r in enumerate(rows)]
    assert run("--db", db, export) == 0
    got = {}
    for path, row, ms in query(
        db,
        "select f.path, h.row_number, h.ms_played from raw.extended_history h "
        "join raw.files f using (file_id) order by f.path, h.row_number",
    ):
        got.setdefault(path, []).append((row, ms))
    assert got == {k: v for k, v in expected.items() if v}


def test_the_first_bad_value_in_file_order_is_named_in_a_big_batch(tmp_path, db, capsys):
    """The parallel insert may hit any bad value first; the message names the first one in
    file order (files in name order, then rows), with its exact row number."""
    export = tmp_path / "bad"
    for f in range(12):
        rows = [v2_row(i, ms_played=1000 + i) for i in range(3000)]
        if f == 4:
            rows[2716]["ms_played"] = "12"  # the first bad value
        if f in (4, 9):
            rows[2900]["shuffle"] = "yes"
        write_json(export / f"Streaming_History_Audio_2020_{f:02}.json", rows, indent=None)
    assert run("--db", db, export) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        "error: Streaming_History_Audio_2020_04.json: row 2717: "
        'field "ms_played": not an integer (\'"12"\')'
    )
    assert not db.exists()


def test_manifest_records_span_hash_and_base_names(tmp_path, db):
    path = write_json(
        tmp_path / "deep" / "Streaming_History_Audio_2021_0.json", [v2_row(3), v2_row(9)]
    )
    assert run("--db", db, tmp_path / "deep") == 0
    ((inputs, listener, files, rows),) = query(
        db, "select inputs, listener, file_count, row_count from raw.exports"
    )
    assert (inputs, listener, files, rows) == (["deep"], "me", 1, 2)
    sha, size, first, last, n = query(
        db, "select sha256, bytes, first_ended_at, last_ended_at, row_count from raw.files"
    )[0]
    assert (sha, size, n) == (digest(path), path.stat().st_size, 2)
    assert (str(first), str(last)) == ("2021-03-04 05:00:03", "2021-03-04 05:00:09")


def test_unknown_keys_are_kept_and_reported(tmp_path, db, capsys):
    write_json(
        tmp_path / "endsong_0.json",
        [v1_row(1), v1_row(2, future_key={"nested": [1, 2]}, another="x")],
    )
    assert run("--db", db, tmp_path / "endsong_0.json") == 0
    assert query(db, "select unknown_keys from raw.files") == [(["another", "future_key"],)]
    extras = query(db, "select row_number, extra from raw.extended_history order by 1")
    assert extras[0] == (1, None)
    assert json.loads(extras[1][1]) == {"future_key": {"nested": [1, 2]}, "another": "x"}
    assert "unknown keys kept in `extra`: another, future_key" in capsys.readouterr().out


# ---- idempotent -------------------------------------------------------------------------------


def test_same_export_twice_changes_nothing(tmp_path, db, capsys):
    export = write_zip(tmp_path / "my_spotify_data.zip", {"MyData/endsong_0.json": [v1_row(1)]})
    assert run("--db", db, export) == 0
    before = digest(db)
    capsys.readouterr()
    assert run("--db", db, export) == 0
    assert "already loaded, nothing changed" in capsys.readouterr().out
    assert digest(db) == before


def test_a_newer_export_sharing_a_file_points_at_the_loaded_rows(tmp_path, db):
    old = write_zip(tmp_path / "a.zip", {"MyData/endsong_0.json": [v1_row(1)]})
    new = write_zip(
        tmp_path / "b.zip",
        {"MyData/endsong_0.json": [v1_row(1)], "MyData/endsong_1.json": [v1_row(2)]},
    )
    assert run("--db", db, old) == 0
    assert run("--db", db, new) == 0
    files = query(
        db,
        "select export_id, path, duplicate_of_file_id, row_count from raw.files order by file_id",
    )
    assert files == [
        (1, "MyData/endsong_0.json", None, 1),
        (2, "MyData/endsong_0.json", 1, 1),
        (2, "MyData/endsong_1.json", None, 1),
    ]
    assert query(db, "select count(*) from raw.extended_history") == [(2,)]


def test_listeners_are_kept_apart(tmp_path, db):
    export = write_json(tmp_path / "endsong_0.json", [v1_row(1)])
    assert run("--db", db, "--listener", "me", export) == 0
    assert run("--db", db, "--listener", "kid", export) == 0
    assert query(db, "select listener, row_count from raw.exports order by 1") == [
        ("kid", 1),
        ("me", 1),
    ]


def test_loose_files_form_one_export_and_folders_hold_several_packages(tmp_path, db):
    a = write_json(tmp_path / "StreamingHistory_music_0.json", [account_row(1)])
    b = write_json(tmp_path / "endsong_0.json", [v1_row(1)])
    folder = tmp_path / "both"
    write_json(folder / "Spotify Account Data" / "StreamingHistory_music_0.json", [account_row(2)])
    write_json(folder / "Spotify Extended Streaming History" / "endsong_0.json", [v1_row(2)])
    assert run("--db", db, a, b, folder) == 0
    assert query(db, "select export_id, inputs, file_count from raw.exports order by 1") == [
        (1, ["both"], 2),
        (2, ["StreamingHistory_music_0.json", "endsong_0.json"], 2),
    ]


# ---- strict and clear ---------------------------------------------------------------------------


def bad(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("endsong_0.json", b"", "endsong_0.json: empty file"),
        ("endsong_0.json", b'[{"ts": "2021-01-01T00:00:00Z", "ms_played": 1},', "truncated"),
        ("endsong_0.json", b'{"ts": "2021-01-01T00:00:00Z"}', "not a JSON array of rows"),
        ("endsong_0.json", b"[1, 2]", "not a JSON array of objects"),
        (
            "endsong_0.json",
            b'[{"ts": "2021-01-01T00:00:00Z", "ms_played": 1, "x": "\xff"}]',
            "not valid JSON",
        ),
        (
            "endsong_0.json",
            json.dumps([v1_row(1), v1_row(2, ms_played=-5)]).encode(),
            'row 2: field "ms_played": negative',
        ),
        (
            "endsong_0.json",
            json.dumps([v1_row(1, ms_played="12")]).encode(),
            'row 1: field "ms_played": not an integer',
        ),
        (
            "endsong_0.json",
            json.dumps([v1_row(1, ms_played=1.5)]).encode(),
            'row 1: field "ms_played": not an integer',
        ),
        (
            "endsong_0.json",
            json.dumps([v1_row(1), v1_row(2, ts="2021-03-04 05:06")]).encode(),
            'row 2: field "ts": not a time',
        ),
        (
            "endsong_0.json",
            json.dumps([{k: v for k, v in v1_row(1).items() if k != "ts"}, v1_row(2)]).encode(),
            'row 1: field "ts": missing',
        ),
        (
            "endsong_0.json",
            json.dumps([v1_row(1, shuffle="yes")]).encode(),
            'row 1: field "shuffle": not true, false or null',
        ),
        (
            "endsong_0.json",
            json.dumps([v1_row(1), v1_row(2, master_metadata_track_name=123)]).encode(),
            'row 2: field "master_metadata_track_name": not a string or null',
        ),
        (
            "endsong_0.json",
            json.dumps([v1_row(1, ts=1614834367)]).encode(),
            'row 1: field "ts": not a time',
        ),
        (
            "StreamingHistory_music_0.json",
            json.dumps([account_row(1, msPlayed=None)]).encode(),
            'row 1: field "msPlayed": missing',
        ),
        (
            "StreamingHistory_music_0.json",
            json.dumps([{"foo": 1}]).encode(),
            "not a known history format",
        ),
        ("notes.txt", b"hello", "not a zip, a folder or a .json file"),
        ("my_spotify_data.json", b"[]", "not a Spotify streaming-history file name"),
    ],
)
def test_bad_input_is_refused_with_one_line(tmp_path, db, capsys, name, content, message):
    good = write_json(tmp_path / "good" / "endsong_9.json", [v1_row(1)])
    assert run("--db", db, good.parent) == 0
    before = digest(db)
    capsys.readouterr()
    assert run("--db", db, bad(tmp_path, name, content)) == 2
    err = capsys.readouterr().err
    assert message in err, err
    assert err.count("\n") == 1 and err.startswith("error: ")
    assert digest(db) == before
    assert not list(tmp_path.glob(".*.private"))


def test_missing_paths_and_exports_without_history_are_refused(tmp_path, db, capsys):
    assert run("--db", db, tmp_path / "nope.zip") == 2
    assert "nope.zip: no such file or folder" in capsys.readouterr().err
    empty = write_zip(tmp_path / "other.zip", {"MyData/Userdata.json": {"a": 1}})
    assert run("--db", db, empty) == 2
    assert "no streaming-history files inside" in capsys.readouterr().err
    not_zip = bad(tmp_path, "broken.zip", b"PK\x03\x04 not really")
    assert run("--db", db, not_zip) == 2
    assert not db.exists()


def test_errors_have_no_traceback_unless_debug(tmp_path, db):
    path = bad(tmp_path, "endsong_0.json", b"[")
    cmd = [sys.executable, str(ROOT / "ingest.py"), "--db", str(db), str(path)]
    plain = subprocess.run(cmd, capture_output=True, text=True)
    assert plain.returncode == 2 and "Traceback" not in plain.stderr
    assert (
        plain.stderr.strip()
        == "error: endsong_0.json: truncated (the JSON array does not end with ']')"
    )
    debug = subprocess.run([*cmd, "--debug"], capture_output=True, text=True)
    assert debug.returncode != 0 and "Traceback" in debug.stderr


# ---- atomic -------------------------------------------------------------------------------


def test_a_failure_half_way_leaves_the_database_as_it_was(tmp_path, db, monkeypatch):
    assert run("--db", db, write_json(tmp_path / "a" / "endsong_0.json", [v1_row(1)]).parent) == 0
    before = digest(db)
    export = tmp_path / "b"
    write_json(export / "endsong_0.json", [v1_row(i) for i in range(50)])
    write_json(export / "endsong_1.json", [v1_row(i) for i in range(50, 60)])

    def explode(*_):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(loading, "stream_spans", explode)  # after the first rows are inserted
    with pytest.raises(RuntimeError):
        run("--db", db, export)
    assert digest(db) == before
    assert not list(tmp_path.glob(".*.private"))
    monkeypatch.undo()
    assert run("--db", db, export) == 0
    assert query(db, "select count(*) from raw.extended_history") == [(61,)]


def test_kill_at_any_moment_leaves_old_or_new_state(tmp_path, db):
    """kill -9 at several moments of a large ingest: the file opens, whole, and the next run works."""
    assert run("--db", db, write_json(tmp_path / "a" / "endsong_0.json", [v1_row(1)]).parent) == 0
    old = query(db, "select count(*) from raw.extended_history")[0][0]
    big = tmp_path / "big"
    for f in range(4):
        write_json(
            big / f"endsong_{f}.json", [v1_row(i + 20000 * f) for i in range(20000)], indent=None
        )
    cmd = [sys.executable, str(ROOT / "ingest.py"), "--quiet", "--db", str(db), str(big)]
    start = time.perf_counter()
    for delay in (0.05, 0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 2.0):
        proc = subprocess.Popen(cmd)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        count = query(db, "select count(*) from raw.extended_history")[0][0]
        exports = query(db, "select count(*) from raw.exports")[0][0]
        assert (count, exports) in ((old, 1), (old + 80000, 2)), (delay, count, exports)
    assert subprocess.run(cmd).returncode == 0
    assert query(db, "select count(*) from raw.extended_history") == [(old + 80000,)]
    assert time.perf_counter() - start < 120


# ---- safe archives --------------------------------------------------------------------------


def test_zip_member_paths_never_decide_where_files_go(tmp_path, db, monkeypatch):
    """Members named to escape: `../../evil/…` would land two folders above the ingest's work
    folder, which is put three levels down in tmp_path so that the escape stays inside it;
    `/abs/evil/…` would land at the root."""
    scratch = tmp_path / "t1" / "t2" / "t3"
    scratch.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # the work folder: t3/spotify-ingest-*
    target = tmp_path / "zipslip.zip"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("../../evil/endsong_0.json", json.dumps([v1_row(1)]))
        archive.writestr("/abs/evil/StreamingHistory_music_0.json", json.dumps([account_row(1)]))
    assert run("--db", db, target) == 0
    assert query(db, "select path from raw.files order by 1") == [
        ("../../evil/endsong_0.json",),
        ("/abs/evil/StreamingHistory_music_0.json",),
    ]
    assert not (tmp_path / "t1" / "t2" / "evil").exists()  # ../../evil from t3/spotify-ingest-*
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [
        "spotify.duckdb", "spotify.duckdb.lock", "zipslip.zip"
    ]  # fmt: skip
    assert not Path("/abs").exists()


def test_zip_bombs_are_refused_and_the_cap_can_be_raised(tmp_path, db, capsys):
    padding = b"[" + b" " * (30 << 20) + json.dumps(v1_row(1)).encode() + b"]"
    bomb = write_zip(tmp_path / "bomb.zip", {"MyData/endsong_0.json": padding})
    assert run("--db", db, bomb) == 2
    assert "zip bomb" in capsys.readouterr().err
    small = write_zip(
        tmp_path / "small.zip", {"MyData/endsong_0.json": [v1_row(i) for i in range(100)]}
    )
    assert run("--db", db, "--max-unzipped-bytes", "1000", small) == 2
    assert "--max-unzipped-bytes" in capsys.readouterr().err
    assert run("--db", db, "--max-unzipped-bytes", "100000000", small) == 0


# ---- private by default -----------------------------------------------------------------------


PERSONAL = "select count(username), count(ip_addr_decrypted), count(ip_addr), count(user_agent_decrypted) from raw.extended_history"


def test_personal_data_is_dropped_unless_asked(tmp_path, db):
    export = tmp_path / "e"
    write_json(export / "endsong_0.json", [v1_row(1)])
    write_json(export / "Streaming_History_Audio_2024_1.json", [v2_row(2), v3_row(3)])
    assert run("--db", db, export) == 0
    assert query(db, PERSONAL) == [(0, 0, 0, 0)]
    kept = tmp_path / "kept.duckdb"
    assert run("--db", kept, "--keep-personal-data", export) == 0
    assert query(kept, PERSONAL) == [(1, 1, 2, 1)]
    assert query(kept, "select keep_personal_data from raw.exports") == [(True,)]
