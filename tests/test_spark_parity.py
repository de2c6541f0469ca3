"""The same numbers on DuckDB and on Apache Spark (issue 17).

The sample is built on DuckDB (the shared `built_sample_db` fixture), its raw tables written as
Parquet (spotify_history.raw_parquet), the same dbt project built with `--target spark` (local
mode, in this process's temporary folder), and every mart compared row by row
(tests/spark_parity.py). Spark needs the `spark` extra and Java: without them the Spark tests
are skipped (a failure in `make test`'s strict mode).
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from spotify_history.raw_parquet import write_raw_parquet
from tests.spark_parity import compare

ROOT = Path(__file__).resolve().parent.parent
DBT = str(Path(sys.executable).with_name("dbt"))


def spark_missing() -> str | None:
    if (
        importlib.util.find_spec("pyspark") is None
        or importlib.util.find_spec("dbt.adapters.spark") is None
    ):
        return "the spark extra is not installed (pip install -e '.[spark]')"
    if shutil.which("java") is None:
        return "Java is not installed"
    return None


def require_spark() -> None:
    missing = spark_missing()
    if missing:
        pytest.skip(missing)


def test_spark_builds_the_same_marts(built_sample_db: Path, tmp_path: Path) -> None:
    require_spark()
    spark_dir = tmp_path / "spark"
    started = time.monotonic()
    counts = write_raw_parquet(built_sample_db, spark_dir / "raw")
    assert counts["extended_history"] > 0
    env = {**os.environ, "DBT_PROFILES_DIR": str(ROOT)}
    build = subprocess.run(
        [sys.executable, "-m", "tests.spark_parity", "build", str(spark_dir), str(spark_dir / "marts"),
         "--target-path", str(spark_dir / "target"), "--log-path", str(spark_dir / "logs")],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    summary = [line for line in build.stdout.splitlines() if "ERROR" in line or "FAIL" in line]
    assert build.returncode == 0, "dbt build --target spark failed:\n" + "\n".join(
        summary or build.stdout.splitlines()[-40:]
    )
    print(f"Spark: raw Parquet, dbt build and export in {time.monotonic() - started:.0f} s")
    manifest = json.loads((built_sample_db.parent / "target" / "manifest.json").read_text())
    marts, problems = compare(built_sample_db, spark_dir / "marts", manifest)
    assert len(marts) >= 20, f"only {marts} found in schema main"
    assert not problems, "\n".join(problems)


# --- the comparison itself, on hand-made "Spark" output (no Spark needed) ---


def fake_spark_mart(warehouse: Path, mart: str, con: duckdb.DuckDBPyConnection, query: str) -> None:
    folder = warehouse / mart
    folder.mkdir(parents=True)
    con.execute(f"copy ({query}) to '{folder / 'part-00000.parquet'}' (format parquet)")


def test_comparison_reports_every_kind_of_difference(tmp_path: Path) -> None:
    db = tmp_path / "marts.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("""
            create table tops as from (values
                ('me', 1, 'A', 10::bigint, 0.5::double, timestamp '2024-01-01 10:00:00.250', ['x', 'y']),
                ('me', 2, 'B', 5::bigint, 0.25::double, timestamp '2024-01-02 10:00:00', ['z']),
                ('me', 3, 'C', 1::bigint, null::double, null::timestamp, []::varchar[])
            ) as t (listener, rank, artist_name, play_count, share, last_played_at, tracks);
            create table unkeyed as from (values (1, 'a'), (1, 'a'), (2, 'b')) as t (n, s);
            create table same as from (values (1, timestamp '2024-01-01 00:00:00.9')) as t (n, seen_at);
            create table empty (n integer);
        """)
    warehouse = tmp_path / "warehouse"
    with duckdb.connect() as con:
        con.execute(f"attach '{db}' as d (read_only)")
        fake_spark_mart(warehouse, "tops", con, """
            select listener, rank, artist_name,
                case rank when 2 then 6 else play_count end::bigint as play_count,
                share + 1e-12 as share,
                -- under a second off: equal; rank 2 is two seconds off
                case rank when 2 then last_played_at + interval 2 second
                    else date_trunc('second', last_played_at) end as last_played_at,
                tracks
            from d.tops where rank != 3
            union all select 'me', 4, 'D', 1, null, null, []
        """)  # fmt: skip
        fake_spark_mart(
            warehouse, "unkeyed", con, "select * from (values (1, 'a'), (2, 'b')) as t (n, s)"
        )
        fake_spark_mart(
            warehouse,
            "same",
            con,
            "select n, timestamptz '2024-01-01 00:00:00+00' as seen_at from d.same",
        )
        fake_spark_mart(warehouse, "empty", con, "select 1::integer as n where false")
    manifest = {"nodes": {
        "model.p.tops": {"resource_type": "model", "name": "tops", "constraints": [
            {"type": "primary_key", "columns": ["listener", "rank"]}]},
        "model.p.unkeyed": {"resource_type": "model", "name": "unkeyed"},
        "model.p.same": {"resource_type": "model", "name": "same", "columns": {
            "n": {"name": "n", "constraints": [{"type": "unique"}]}}},
    }}  # fmt: skip
    marts, problems = compare(db, warehouse, manifest)
    assert marts == ["empty", "same", "tops", "unkeyed"]
    text = "\n".join(problems)
    assert "tops: key ('me', 3) only on DuckDB" in text
    assert "tops: key ('me', 4) only on Spark" in text
    assert "tops.play_count: key ('me', 2): DuckDB 5, Spark 6" in text
    assert "tops.last_played_at: key ('me', 2)" in text
    assert "key ('me', 1)" not in text  # sub-second and 1e-12 differences are equal
    assert "unkeyed: 3 rows on DuckDB, 2 on Spark" in text
    assert "unkeyed: only on DuckDB: (1, 'a')" in text
    assert not [p for p in problems if p.startswith(("same", "empty"))]
    assert len(problems) == 6, text


def test_comparison_reports_a_type_or_column_change(tmp_path: Path) -> None:
    db = tmp_path / "marts.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("create table counts as select 1::bigint as n, 'a' as s")
    warehouse = tmp_path / "warehouse"
    with duckdb.connect() as con:
        fake_spark_mart(warehouse, "counts", con, "select 1::integer as n, 'a' as s")
    _, problems = compare(db, warehouse, {"nodes": {}})
    assert problems and "counts: columns differ" in problems[0]
    assert "('n', 'BIGINT')" in problems[0] and "('n', 'INTEGER')" in problems[0]


# --- the same protection: contracts and constraints on Spark ---

CONTRACT_PROJECT = {
    "dbt_project.yml": """
name: contracts
version: "1.0.0"
config-version: 2
profile: spotify
macro-paths: [macros]
models:
  contracts:
    +materialized: table
    +contract: {enforced: true}
""",
    "models/good.sql": """
select cast(1 as bigint) as id, 'a' as name, array('x') as tags, cast(0.5 as double) as share,
    cast('2024-01-01' as date) as day, timestamp'2024-01-01 10:00:00' as at, true as flag,
    cast(3 as int) as n
""",
    # one row breaking each kind of constraint: null, check, duplicate key, orphan
    "models/bad.sql": """
select cast(id as bigint) as id, name, cast(n as int) as n
from (values (1, 'a', 1), (1, null, -1), (2, 'b', 5)) as t (id, name, n)
""",
    "models/_models.yml": """
version: 2
models:
  - name: good
    columns:
      - {name: id, data_type: bigint, constraints: [{type: primary_key}]}
      - {name: name, data_type: varchar, constraints: [{type: not_null}]}
      - {name: tags, data_type: "varchar[]"}
      - {name: share, data_type: double}
      - {name: day, data_type: date}
      - {name: at, data_type: timestamp}
      - {name: flag, data_type: boolean}
      - {name: n, data_type: integer, constraints: [{type: check, expression: "n >= 0"}]}
  - name: bad
    constraints:
      - {type: foreign_key, columns: [id], to: "ref('good')", to_columns: [id]}
    columns:
      - {name: id, data_type: bigint, constraints: [{type: unique}]}
      - {name: name, data_type: varchar, constraints: [{type: not_null}]}
      - {name: n, data_type: integer, constraints: [{type: check, expression: "n >= 0"}]}
""",
}


def test_spark_checks_contract_types_and_every_constraint(tmp_path: Path) -> None:
    """A contract written with DuckDB's type names holds on Spark, and a table breaking its
    constraints fails its model with each broken rule named (as DuckDB's insert would)."""
    require_spark()
    project = tmp_path / "project"
    for name, text in CONTRACT_PROJECT.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)
    shutil.copytree(ROOT / "macros" / "cross_engine", project / "macros")
    env = {
        **os.environ,
        "SPOTIFY_SPARK_DIR": str(tmp_path / "spark"),
        "DBT_PROFILES_DIR": str(ROOT),
    }
    build = subprocess.run(
        [DBT, "build", "--target", "spark"], cwd=project, env=env, capture_output=True, text=True
    )
    out = build.stdout
    assert build.returncode == 1, out[-3000:]
    assert "1 of 2 OK created sql table model main.good" in out, out[-3000:]
    assert "Contract constraint failed on bad" in out
    for rule in (
        "UNIQUE bad(id), duplicate keys (1 rows)",
        "NOT NULL bad.name (1 rows)",
        "CHECK on bad: n >= 0 (1 rows)",
        "FOREIGN KEY bad(id) references",
    ):
        assert rule in out, out[-3000:]
    assert not (tmp_path / "spark" / "warehouse" / "main.db" / "bad").exists()  # dropped
