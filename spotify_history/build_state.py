"""What the last successful build of a database was made from, and what it made: one row per
build in `raw.builds`, written into the private copy before the swap, so it is there exactly
when the build it describes is.

- The fingerprint: the raw data (the load manifest and each raw table's row count: ingest and
  remove_export are the only writers of `raw`), your settings and rules (the CSV files dbt
  reads), the project (models, macros, tests, dbt's project/profile/selector files), the
  versions of dbt, dbt-duckdb and DuckDB, and the build's own arguments. When nothing of that
  changed since the last build, the marts are up to date and the build is skipped.
- Relations made: the tables and views of dbt's manifest. A relation that an earlier build (or
  an earlier version of this project) made and that no model makes any more is dropped, so no
  stale or broken table stays on show. In `staging`, `intermediate` and `seeds`, the
  pipeline's own schemas, anything no model makes is dropped; in `main` only what the project
  made before, never a table of yours.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

import duckdb

from spotify_history.user_files import NAMES

ROOT = Path(__file__).resolve().parent.parent
PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "selectors.yml", "packages.yml")
PROJECT_FOLDERS = ("models", "macros", "tests", "analyses", "snapshots")
DBT_SUFFIXES = {".sql", ".yml", ".yaml", ".md", ".csv"}  # tests/*.py are pytest's, not dbt's
RAW_TABLES = ("exports", "files", "account_history", "extended_history")
PIPELINE_SCHEMAS = ("staging", "intermediate", "seeds")
# Relations of `main` that versions before `raw.builds` existed made (up to 82ebcc5 and the
# version that introduced `raw.builds`); later builds record their own.
MADE_BEFORE_RECORDS = frozenset(
    [
        "activity_by_period",
        "artist_discoveries",
        "build_settings",
        "daily_activity",
        "exclusions_applied",
        "import_audit",
        "import_summary",
        "listening_clock",
        "listening_sessions",
        "listening_streaks",
        "monthly_discoveries",
        "platform_country_monthly",
        "plays",
        "podcast_episodes",
        "quiet_favourites",
        "skip_rates",
        "streams",
        "suggested_track_merges",
        "top_albums_by_period",
        "top_artists",
        "top_artists_by_period",
        "top_shows",
        "top_tracks",
        "top_tracks_by_period",
        "track_discoveries",
        "wrapped",
    ]
)
BUILDS_DDL = """
create table if not exists raw.builds (
    built_at timestamp not null,
    fingerprint varchar not null,
    relations varchar[] not null
)"""


def raw_part(con: duckdb.DuckDBPyConnection) -> list:
    """The load manifest, whole, and the row count of every raw table."""
    present = {
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'raw'"
        ).fetchall()
    }
    part: list = []
    for table in RAW_TABLES:
        if table not in present:
            part.append([table, None])
        elif table in ("exports", "files"):
            rows = con.execute(f"select * from raw.{table} order by 1").fetchall()
            part.append([table, [[str(v) for v in row] for row in rows]])
        else:
            part.append([table, con.execute(f"select count(*) from raw.{table}").fetchone()[0]])
    return part


def files_part(settings: Path, project: Path) -> list:
    """sha256 of every file dbt reads: the project's and your settings and rules."""
    files = [project / name for name in PROJECT_FILES]
    for folder in PROJECT_FOLDERS:
        files += sorted(p for p in (project / folder).rglob("*") if p.suffix in DBT_SUFFIXES)
    part = [[str(p.relative_to(project)), digest(p)] for p in files]
    part += [[f"settings/{name}.csv", digest(settings / f"{name}.csv")] for name in NAMES]
    return part


def digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def fingerprint(
    con: duckdb.DuckDBPyConnection, settings: Path, dbt_args: list[str], project: Path = ROOT
) -> str:
    state = {
        "raw": raw_part(con),
        "files": files_part(settings, project),
        "versions": [version(p) for p in ("dbt-core", "dbt-duckdb", "duckdb")],
        "arguments": dbt_args,
    }
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()


def last_build(con: duckdb.DuckDBPyConnection) -> tuple[datetime, str, list[str]] | None:
    """(built_at, fingerprint, relations) of the last successful build recorded, or None."""
    try:
        return con.execute(
            "select built_at, fingerprint, relations from raw.builds order by built_at desc limit 1"
        ).fetchone()
    except duckdb.CatalogException:
        return None


def manifest_relations(manifest: Path) -> list[str]:
    """`schema.name` of every table or view dbt's manifest makes."""
    nodes = json.loads(manifest.read_text(encoding="utf-8"))["nodes"].values()
    return sorted(
        f"{n['schema']}.{n.get('alias') or n['name']}".lower()
        for n in nodes
        if n["resource_type"] in ("model", "seed", "snapshot")
        and n["config"].get("materialized") != "ephemeral"
    )


def drop_stale_relations(
    con: duckdb.DuckDBPyConnection, made: list[str], made_before: list[str]
) -> list[str]:
    """Drop what no model makes any more (see the module's docstring); returns their names."""
    made_now = set(made)
    earlier = set(made_before) | {f"main.{name}" for name in MADE_BEFORE_RECORDS}
    stale = []
    for schema, name, kind in con.execute(
        "select table_schema, table_name, table_type from information_schema.tables "
        "where table_catalog = current_database() order by all"
    ).fetchall():
        full = f"{schema}.{name}".lower()
        if full in made_now:
            continue
        if schema in PIPELINE_SCHEMAS or full in earlier:
            con.execute(f'drop {"view" if kind == "VIEW" else "table"} "{schema}"."{name}"')
            stale.append(full)
    return stale


def record_build(con: duckdb.DuckDBPyConnection, fingerprint_: str, made: list[str]) -> None:
    con.execute(BUILDS_DDL)
    con.execute(
        "insert into raw.builds values (?, ?, ?)",
        [datetime.now(UTC).replace(tzinfo=None), fingerprint_, made],
    )
