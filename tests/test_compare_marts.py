"""bench/compare_marts.py: the check that a refactor left every mart's rows as they were.

Small DuckDB files made here stand for two builds; no dbt, no timing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from bench.compare_marts import compare, load_spec, main

BEFORE_SQL = """
create table streams as select * from (values
    ('s1', 'me', 'Björk', 'björk', 'Jóga', 180000::bigint, false, 1.0 / 3),
    ('s2', 'me', 'Björk', 'björk', 'Hyperballad', 20000::bigint, true, 0.25),
    ('s3', 'you', 'Low', 'low', 'Words', 0::bigint, null, null),
    ('s3', 'you', 'Low', 'low', 'Words', 0::bigint, null, null)
) as t(stream_id, listener, artist_name, canonical_artist_name, track_name, ms_played,
       is_skipped, share);
create table top_shows as select * from (values
    ('me', 'episode', 1, 'The Daily', 3::hugeint),
    ('me', 'episode', 2, 'Café Lingua', 2::hugeint),
    ('me', 'audiobook', 1, 'Der Process', 5::hugeint)
) as t(listener, content_type, rank, title, item_count);
create table old_only as select 1 as x;
"""


def make_db(path: Path, sql: str) -> Path:
    con = duckdb.connect(str(path))
    con.execute(sql)
    con.close()
    return path


@pytest.fixture
def before(tmp_path: Path) -> Path:
    return make_db(tmp_path / "before.duckdb", BEFORE_SQL)


def copy_with(before: Path, target: Path, sql: str) -> Path:
    shutil.copyfile(before, target)
    return make_db(target, sql)


def test_a_build_equals_itself(before: Path, tmp_path: Path) -> None:
    same_file = compare(before, before)
    assert same_file.ok, same_file.text()
    copy = shutil.copyfile(before, tmp_path / "copy.duckdb")
    report = compare(before, copy)
    assert report.ok, report.text()
    assert {m.status for m in report.marts} == {"same"}
    streams = next(m for m in report.marts if m.name == "streams")
    assert (streams.before_rows, streams.after_rows) == (4, 4)
    assert streams.before_digest == streams.after_digest


def test_a_planted_difference_fails_and_names_the_row(before: Path, tmp_path: Path) -> None:
    after = copy_with(
        before, tmp_path / "after.duckdb", "update streams set ms_played = 1 where stream_id = 's2'"
    )
    report = compare(before, after)
    assert not report.ok
    streams = next(m for m in report.marts if m.name == "streams")
    assert streams.status == "differs"
    assert (streams.only_before, streams.only_after) == (1, 1)
    text = report.text()
    assert "FAIL streams" in text and "ms_played" in text and "20000" in text


def test_differences_are_shown_by_key(before: Path, tmp_path: Path) -> None:
    after = copy_with(
        before, tmp_path / "after.duckdb", "update streams set ms_played = 1 where stream_id = 's2'"
    )
    spec_file = tmp_path / "spec.json"
    spec_file.write_text(json.dumps({"marts": {"streams": {"key": ["stream_id"]}}}))
    report = compare(before, after, load_spec(spec_file))
    streams = next(m for m in report.marts if m.name == "streams")
    assert streams.detail == ["stream_id='s2': ms_played: 20000 → 1"]


def test_rows_are_a_multiset_and_order_does_not_matter(before: Path, tmp_path: Path) -> None:
    reordered = copy_with(
        before,
        tmp_path / "reordered.duckdb",
        "create or replace table streams as select * from streams order by stream_id desc",
    )
    assert compare(before, reordered).ok
    one_duplicate_less = copy_with(
        before,
        tmp_path / "dedup.duckdb",
        "create or replace table streams as select distinct * from streams",
    )
    report = compare(before, one_duplicate_less)
    streams = next(m for m in report.marts if m.name == "streams")
    assert (streams.only_before, streams.only_after) == (1, 0)
    assert not report.ok


def test_values_not_types_and_floats_rounded(before: Path, tmp_path: Path) -> None:
    after = copy_with(
        before,
        tmp_path / "after.duckdb",
        # HUGEINT -> BIGINT and DOUBLE -> DECIMAL: the same values
        "create or replace table top_shows as select listener, content_type, rank, title, "
        "item_count::bigint as item_count from top_shows; "
        "create or replace table streams as select * replace (share::decimal(18, 9) as share) "
        "from streams",
    )
    report = compare(before, after)
    assert report.ok, report.text()
    streams = next(m for m in report.marts if m.name == "streams")
    assert any("share: type DOUBLE" in n for n in streams.notes)


REFACTOR_SPEC = {
    "marts": {
        "streams": {
            "columns": {
                "artist_name": "original_artist_name",
                "canonical_artist_name": "artist_name",
                "is_skipped": "is_spotify_skipped",
            },
            "key": ["stream_id"],
        },
        "top_shows": {
            "where": "content_type = 'episode'",
            "columns": {"content_type": None, "title": "show_name", "item_count": "episode_count"},
        },
        "top_audiobooks": {
            "from": "top_shows",
            "where": "content_type = 'audiobook'",
            "columns": {"content_type": None, "title": "audiobook_title"},
            "exprs": {"chapter_count": "item_count * 1", "rank": "row_number() over ()"},
        },
    },
    "allow": {
        "top_shows.content_type": "split: podcasts only",
        "top_audiobooks.content_type": "split from top_shows",
        "streams.is_skip": "new column",
        "activity_by_period": "new mart",
        "old_only": "folded into another mart",
    },
}

REFACTOR_SQL = """
alter table streams rename artist_name to original_artist_name;
alter table streams rename canonical_artist_name to artist_name;
alter table streams rename is_skipped to is_spotify_skipped;
alter table streams add column is_skip boolean;
create table top_audiobooks as select listener, rank, title as audiobook_title,
    item_count as chapter_count from top_shows where content_type = 'audiobook';
create or replace table top_shows as select listener, rank, title as show_name,
    item_count as episode_count from top_shows where content_type = 'episode';
create table activity_by_period as select 1 as x;
drop table old_only;
"""


def test_renames_splits_and_new_marts_follow_the_spec(before: Path, tmp_path: Path) -> None:
    after = copy_with(before, tmp_path / "after.duckdb", REFACTOR_SQL)
    spec_file = tmp_path / "spec.json"
    spec_file.write_text(json.dumps(REFACTOR_SPEC))
    report = compare(before, after, load_spec(spec_file))
    assert report.ok, report.text()
    by_name = {m.name: m for m in report.marts}
    assert by_name["top_audiobooks"].before == "top_shows"
    assert by_name["top_audiobooks"].after_rows == 1
    assert by_name["activity_by_period"].status == "new"
    assert by_name["old_only"].status == "gone"

    # without the spec, every rename is a failure, column by column
    bare = compare(before, after)
    assert not bare.ok
    problems = next(m for m in bare.marts if m.name == "streams").problems
    assert "new column original_artist_name, not in BEFORE" in problems
    assert "column canonical_artist_name is gone" in problems


def test_a_renamed_column_must_hold_the_same_values(before: Path, tmp_path: Path) -> None:
    # the canonical and original names swapped the wrong way round: caught
    wrong = REFACTOR_SQL.replace(
        "rename artist_name to original_artist_name", "rename artist_name to tmp"
    ).replace(
        "rename canonical_artist_name to artist_name",
        "rename canonical_artist_name to original_artist_name",
    )
    after = copy_with(
        before, tmp_path / "after.duckdb", wrong + "alter table streams rename tmp to artist_name;"
    )
    spec_file = tmp_path / "spec.json"
    spec_file.write_text(json.dumps(REFACTOR_SPEC))
    report = compare(before, after, load_spec(spec_file))
    assert not report.ok
    assert "artist_name: 'björk' → 'Björk'" in report.text()


def test_allowed_differences_need_a_reason_and_must_match(before: Path, tmp_path: Path) -> None:
    after = copy_with(
        before,
        tmp_path / "after.duckdb",
        "update streams set is_skipped = true where stream_id = 's1'",
    )
    allowed = compare(before, after, load_spec(None, {"streams.is_skipped": "bug fix: skip rule"}))
    assert allowed.ok, allowed.text()
    whole_mart = compare(before, after, load_spec(None, {"streams": "bug fix: skip rule"}))
    assert whole_mart.ok
    assert "allowed: bug fix: skip rule" in whole_mart.text()
    assert "is_skipped: False → True" not in whole_mart.text()  # no key: rows shown whole
    assert "only after" in whole_mart.text()
    typo = compare(before, after, load_spec(None, {"streams.is_skiped": "typo"}))
    assert not typo.ok
    assert "allowance matches nothing: 'streams.is_skiped'" in typo.text()


def test_command_line(before: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    after = copy_with(before, tmp_path / "after.duckdb", "delete from top_shows where rank = 2")
    assert main([str(before), str(before)]) == 0
    assert main([str(before), str(after)]) == 1
    assert "FAIL top_shows" in capsys.readouterr().out
    assert main([str(before), str(after), "--allow", "top_shows=a planted change"]) == 0
    assert main([str(before), str(after), "--allow", "top_shows"]) == 2  # no reason
    assert main([str(before), str(tmp_path / "missing.duckdb")]) == 2


PERIODS_BEFORE = """
create table top_tracks as select * from (values ('me', 1, 'Jóga', 9), ('me', 2, 'Words', 4))
    as t(listener, rank, track_name, play_count);
create table track_discoveries as select * from (values ('me', 'Jóga', date '2020-01-02'),
    ('me', 'Words', date '2021-03-04')) as t(listener, track_name, first_played_local_date);
create table top_tracks_by_period as select * from (values
    ('me', 'year', date '2020-01-01', 1, 'Jóga', 9), ('me', 'year', date '2021-01-01', 1, 'Words', 4)
) as t(listener, period_grain, period_start, rank, track_name, play_count);
"""

PERIODS_AFTER = """
create table top_tracks as select * from (values
    ('me', 1, 'Jóga', 9, date '2020-01-02'), ('me', 2, 'Words', 4, date '2021-03-04')
) as t(listener, rank, track_name, play_count, first_played_local_date);
create table top_tracks_by_period as select * from (values
    ('me', 'year', date '2020-01-01', 1, 'Jóga', 9), ('me', 'year', date '2021-01-01', 1, 'Words', 4),
    ('me', 'all', null, 1, 'Jóga', 9), ('me', 'all', null, 2, 'Words', 4)
) as t(listener, period_grain, period_start, rank, track_name, play_count);
"""

PERIODS_SPEC = {
    "marts": {
        "top_tracks": {"allow": {"first_played_local_date": "compared in the fold"}},
        "top_tracks_by_period": {"where_after": "period_grain = 'year'"},
    },
    "checks": [
        {
            "from": "top_tracks",
            "into": "top_tracks_by_period",
            "where_after": "period_grain = 'all'",
            "exprs": {"period_grain": "'all'", "period_start": "null::date"},
        },
        {"from": "track_discoveries", "into": "top_tracks", "partial": True},
    ],
}


def test_folds_and_rows_split_between_checks(tmp_path: Path) -> None:
    before = make_db(tmp_path / "before.duckdb", PERIODS_BEFORE)
    after = make_db(tmp_path / "after.duckdb", PERIODS_AFTER)
    spec_file = tmp_path / "spec.json"
    spec_file.write_text(json.dumps(PERIODS_SPEC))
    report = compare(before, after, load_spec(spec_file))
    assert report.ok, report.text()
    assert len(report.marts) == 4  # two checks per after mart; track_discoveries is not "gone"

    # a wrong date in the folded column is caught by the fold
    wrong = copy_with(
        after,
        tmp_path / "wrong.duckdb",
        "update top_tracks set first_played_local_date = date '1999-01-01' where rank = 2",
    )
    text = compare(before, wrong, load_spec(spec_file)).text()
    assert "FAIL top_tracks" in text and "1999" in text

    # rows of the after mart outside every check fail, unless allowed as new rows
    extra = copy_with(
        after,
        tmp_path / "extra.duckdb",
        "insert into top_tracks_by_period values ('me', 'decade', date '2020-01-01', 1, 'Jóga', 9)",
    )
    report = compare(before, extra, load_spec(spec_file))
    assert "1 rows of top_tracks_by_period are in no check" in report.text()
    allowed = load_spec(spec_file, {"top_tracks_by_period[period_grain = 'decade']": "new grain"})
    assert compare(before, extra, allowed).ok
