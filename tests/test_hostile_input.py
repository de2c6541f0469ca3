"""Property-based: valid export files, mutated in hostile ways, never produce a traceback, a
partial write or unbounded memory — the ingest either loads them or refuses them in one line."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ingest
from tests.ingest_fixtures import account_row, v1_row, v3_row

VALID = {
    "endsong_0.json": [v1_row(i) for i in range(20)],
    "Streaming_History_Audio_2025_0.json": [v3_row(i) for i in range(20)],
    "StreamingHistory_music_0.json": [account_row(i) for i in range(20)],
}

odd_text = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"]), min_size=0, max_size=50
) | st.sampled_from(["\u0000", "\ufeff", "\u202e", "💥" * 1000, "a" * 200_000, "\\", '"', "]"])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | odd_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(odd_text, inner, max_size=3),
    max_leaves=20,
)


def mutate(data: st.DataObject, rows: list[dict]) -> bytes:
    """One hostile change to a valid file."""
    kind = data.draw(
        st.sampled_from(
            ["truncate", "value", "key", "duplicate_key", "deep", "deep_value", "bytes", "shape"]
        )
    )
    text = json.dumps(rows, ensure_ascii=False, indent=2)
    if kind == "truncate":
        return text.encode()[: data.draw(st.integers(0, len(text.encode()) - 1))]
    if kind == "bytes":
        raw = bytearray(text.encode())
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] = data.draw(st.integers(0, 255))
        return bytes(raw)
    if kind == "deep":
        depth = data.draw(st.integers(1, 5000))
        return ("[" + "[" * depth + "]" * depth + "]").encode()
    if kind == "deep_value":  # a row carrying an unknown, very deeply nested key
        depth = data.draw(st.integers(1, 20000))
        return (text[:-3] + ', "deep": ' + "[" * depth + "]" * depth + "}]").encode()
    if kind == "shape":
        return json.dumps(data.draw(json_values)).encode()
    rows = [dict(r) for r in rows]
    row = data.draw(st.sampled_from(rows))
    if kind == "value":
        row[data.draw(st.sampled_from(sorted(row)))] = data.draw(json_values)
    elif kind == "key":
        row[data.draw(odd_text)] = data.draw(json_values)
    else:  # the same key twice in one object
        key = data.draw(st.sampled_from(sorted(row)))
        text = json.dumps(rows, ensure_ascii=False)
        one = json.dumps({key: row[key]}, ensure_ascii=False)[1:-1]
        return text.replace(one, one + ", " + one, 1).encode()
    return json.dumps(rows, ensure_ascii=False).encode()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# `make test` runs a fixed budget of examples, the same ones every run (derandomize): a CI run
# never fails on a new, random find. HOSTILE_EXAMPLES=N runs a random search of N examples
# instead, for a deeper look (e.g. HOSTILE_EXAMPLES=2000 pytest tests/test_hostile_input.py).
DEEP = os.environ.get("HOSTILE_EXAMPLES")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    """A database holding one good export: each example starts from a copy of it."""
    db = tmp_path_factory.mktemp("seeded") / "spotify.duckdb"
    seed = db.parent / "seed" / "endsong_9.json"
    seed.parent.mkdir()
    seed.write_text(json.dumps([v1_row(99)]))
    assert ingest.main(["--quiet", "--db", str(db), str(seed.parent)]) == 0
    return db


@settings(
    max_examples=int(DEEP or 25),
    derandomize=not DEEP,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_mutated_files_load_or_are_refused_cleanly(tmp_path_factory, seeded, data, capsys):
    work = tmp_path_factory.mktemp("hostile")
    db = work / "spotify.duckdb"
    shutil.copyfile(seeded, db)
    before = digest(db)

    name = data.draw(st.sampled_from(sorted(VALID)))
    bad = work / "export" / name
    bad.parent.mkdir()
    bad.write_bytes(mutate(data, VALID[name]))
    capsys.readouterr()
    code = ingest.main(["--db", str(db), str(bad.parent)])  # any exception fails the test
    err = capsys.readouterr().err
    assert code in (0, 2)
    if code == 2:
        assert err.startswith("error: ") and err.count("\n") == 1, err
        assert digest(db) == before  # refused: nothing written
    else:
        con = duckdb.connect(str(db), read_only=True)
        try:
            assert con.execute("select count(*) from raw.exports").fetchone()[0] == 2
        finally:
            con.close()
    # memory stays bounded over all examples (peak RSS of this test process)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < 2 * 1024 * 1024  # KiB: 2 GiB
