"""Your settings and rules files (issue 16): created from the examples, kept, carried over from
an older version that tracked them, ignored by git; the settings folder dbt reads; and how
`make run EXPORT=...` splits its list of exports. None of these needs a dbt build."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from spotify_history import user_files
from spotify_history.errors import UserError
from spotify_history.ingest_cli import split_export_list

ROOT = Path(__file__).resolve().parent.parent
# The tracked seeds/*.csv as version 82ebcc5 shipped them. A user may have added rows to them:
# as long as they stay exactly like this, `git pull` never conflicts with those rows.
SHIPPED_BY_82EBCC5 = {
    "exclusions": "rule_id,listener,artist_name,track_name,album_name,show_name,platform,from_date,to_date,reason\n",
    "timezones": "listener,valid_from,valid_to,timezone\n",
    "track_merges": "listener,artist_name,track_name,canonical_artist_name,canonical_track_name,note\n",
}


# --- your settings and rules ---------------------------------------------------------------


def test_the_files_an_older_version_tracked_are_unchanged():
    for name, text in SHIPPED_BY_82EBCC5.items():
        assert (ROOT / "seeds" / f"{name}.csv").read_text() == text, name


def test_the_examples_hold_nothing_of_anyones():
    for name in user_files.NAMES:
        assert user_files.filled_rows(ROOT / "seeds" / f"{name}.csv") == [], name
    settings = (ROOT / "seeds" / "settings.csv").read_text().splitlines()
    assert settings == ["setting,value", "timezone,", "min_play_ms,", "session_gap_minutes,"]


def test_git_ignores_your_files():
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", "my/settings.csv", "my/exclusions.csv"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert ignored.stdout.split() == ["my/settings.csv", "my/exclusions.csv"]


def test_missing_files_are_created_from_the_examples_and_yours_are_kept(tmp_path):
    mine = tmp_path / "my"
    report = user_files.ensure_user_files(mine)
    assert sorted(p.name for p in report.created) == sorted(f"{n}.csv" for n in user_files.NAMES)
    for name in user_files.NAMES:
        assert (mine / f"{name}.csv").read_bytes() == (ROOT / "seeds" / f"{name}.csv").read_bytes()
    (mine / "settings.csv").write_text("setting,value\ntimezone,Asia/Karachi\n")
    again = user_files.ensure_user_files(mine)
    assert again.lines() == []
    assert "Asia/Karachi" in (mine / "settings.csv").read_text()


def test_rows_added_to_the_old_tracked_files_move_to_yours(tmp_path):
    """An upgrade from a version whose rules were seeds/*.csv themselves, edited by the user."""
    old = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", old)
    rule = "1,,White Noise Baby Sleep,,,,,,,kids' sleep sounds\n"
    (old / "exclusions.csv").write_text(SHIPPED_BY_82EBCC5["exclusions"] + rule)
    mine = tmp_path / "my"
    report = user_files.ensure_user_files(mine, examples=old)
    assert (mine / "exclusions.csv").read_text().endswith(rule)
    assert report.carried_over == [(mine / "exclusions.csv", 1)]
    assert "your 1 row(s) of seeds/exclusions.csv are now in" in report.lines()[-1]
    # later, a rule added in the old place by habit is not silently ignored
    (old / "exclusions.csv").write_text(SHIPPED_BY_82EBCC5["exclusions"] + rule + "2,,X,,,,,,,\n")
    warned = user_files.ensure_user_files(mine, examples=old)
    assert warned.left_behind == [(old / "exclusions.csv", mine / "exclusions.csv", 1)]
    assert warned.lines()[0].startswith("warning: ")


@pytest.mark.parametrize("given", ["/tmp/my", "../my", "my/../../x"])
def test_the_settings_folder_must_be_in_the_project(monkeypatch, given):
    monkeypatch.setenv("SPOTIFY_SETTINGS_DIR", given)
    with pytest.raises(UserError, match="a folder inside the project"):
        user_files.settings_dir()


def test_dbt_reads_the_settings_folder_from_the_environment():
    project = (ROOT / "dbt_project.yml").read_text()
    assert "seed-paths:\n  - \"{% set d = env_var('SPOTIFY_SETTINGS_DIR', 'my') %}" in project


# --- EXPORT as make run gives it ------------------------------------------------------------


def test_export_list(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    spaced = tmp_path / "My Downloads" / "my_spotify_data (1).zip"
    spaced.parent.mkdir()
    spaced.touch()
    assert split_export_list(f"  {spaced} ") == [str(spaced)]  # one existing path, as it is
    assert split_export_list("~/My Downloads/my_spotify_data (1).zip") == [str(spaced)]
    assert split_export_list("\"~/a b.zip\" ~/c(1).zip 'it''s.zip' d\\ é.zip") == [
        f"{tmp_path}/a b.zip",
        f"{tmp_path}/c(1).zip",
        "its.zip",
        "d é.zip",
    ]
    assert split_export_list("   ") == []
    with pytest.raises(UserError, match="No closing quotation"):
        split_export_list("it's.zip other.zip")
