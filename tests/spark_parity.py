"""Compare every mart of a DuckDB build with the same mart built by Spark, row by row.

    python -m tests.spark_parity build SPARK_DIR OUT_DIR   # dbt build --target spark, export
    python -m tests.spark_parity compare DUCKDB_FILE OUT_DIR MANIFEST_JSON

`build` runs `dbt build --target spark` in this process and then, in the same Spark session,
writes every relation of Spark's schema `main` (tables and views) to OUT_DIR/<mart>/ as
Parquet. `compare` takes the marts from the DuckDB file (the tables and views of schema
`main`: found, not listed here) and reads Spark's copy of each from OUT_DIR, by DuckDB.
Rows are matched on the mart's key, taken from dbt's manifest: a primary-key or unique
constraint, else a `unique` / `unique_combination_of_columns` test; a mart without one is
compared as a multiset of whole rows. Every column must agree: integers, strings, booleans,
dates and lists exactly, timestamps to the second, doubles to 1e-9 (relative). Column names,
order and types must agree too (Spark's TIMESTAMP reads back as TIMESTAMPTZ: that is a match).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import duckdb

MAX_SHOWN = 5
# Spark's Parquet type as DuckDB reads it → the DuckDB type it stands for
SAME_TYPE = {"TIMESTAMP WITH TIME ZONE": "TIMESTAMP"}


def mart_keys(manifest: dict) -> dict[str, list[str]]:
    """Mart name → key columns, from constraints first, then uniqueness tests."""
    keys: dict[str, list[str]] = {}
    tests: dict[str, list[str]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] == "model":
            for constraint in node.get("constraints", []):
                if constraint["type"] in ("primary_key", "unique") and constraint["columns"]:
                    keys.setdefault(node["name"], constraint["columns"])
            for column in node.get("columns", {}).values():
                for constraint in column.get("constraints", []):
                    if constraint["type"] in ("primary_key", "unique"):
                        keys.setdefault(node["name"], [column["name"]])
        elif node["resource_type"] == "test" and node.get("attached_node"):
            model = manifest["nodes"][node["attached_node"]]["name"]
            test = node.get("test_metadata") or {}
            kwargs = test.get("kwargs", {})
            if test.get("name") == "unique" and kwargs.get("column_name"):
                tests.setdefault(model, [kwargs["column_name"]])
            elif test.get("name") == "unique_combination_of_columns":
                tests.setdefault(model, list(kwargs["columns"]))
    return {**tests, **keys}


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def column_differs(column: str, duckdb_type: str) -> str:
    """SQL: true where the DuckDB row `d` and the Spark row `s` disagree in `column`."""
    d, s = f"d.{quote(column)}", f"s.{quote(column)}"
    if duckdb_type.startswith("TIMESTAMP"):
        return f"date_trunc('second', {d}::timestamp) is distinct from date_trunc('second', {s}::timestamp)"
    if duckdb_type in ("DOUBLE", "FLOAT", "REAL"):
        return f"({d} is null) != ({s} is null) or abs({d} - {s}) > 1e-9 * greatest(1, abs({d}))"
    return f"{d} is distinct from {s}"


def normalized(column: str, duckdb_type: str, alias: str) -> str:
    """SQL: the value as compared when rows have no key (whole rows as a multiset)."""
    value = f"{alias}.{quote(column)}"
    if duckdb_type.startswith("TIMESTAMP"):
        return f"date_trunc('second', {value}::timestamp)"
    if duckdb_type in ("DOUBLE", "FLOAT", "REAL"):
        return f"round({value}, 9)"
    return value


def compare_mart(con: duckdb.DuckDBPyConnection, mart: str, key: list[str] | None) -> list[str]:
    columns = con.execute(
        "select column_name, data_type from duckdb_columns() "
        "where database_name = 'd' and schema_name = 'main' and table_name = ? order by column_index",
        [mart],
    ).fetchall()
    spark_columns = con.execute(f"describe spark_{mart}").fetchall()
    problems = []
    ours = [(name, type_) for name, type_ in columns]
    theirs = [(name, SAME_TYPE.get(type_, type_)) for name, type_, *_ in spark_columns]
    if ours != theirs:
        return [f"{mart}: columns differ\n  duckdb: {ours}\n  spark:  {theirs}"]
    d_count, s_count = (
        con.execute(f"select count(*) from {table}").fetchone()[0]
        for table in (f"d.main.{quote(mart)}", f"spark_{mart}")
    )
    if d_count != s_count:
        problems.append(f"{mart}: {d_count} rows on DuckDB, {s_count} on Spark")
    if not key:
        for left, right, side in (("d", "s", "DuckDB"), ("s", "d", "Spark")):
            rows = con.execute(
                f"select * from (select {', '.join(normalized(*c, left) for c in columns)} "
                f"from {source(left, mart)} as {left} except all "
                f"select {', '.join(normalized(*c, right) for c in columns)} "
                f"from {source(right, mart)} as {right}) limit {MAX_SHOWN}"
            ).fetchall()
            problems += [f"{mart}: only on {side}: {row}" for row in rows]
        return problems
    matched = " and ".join(f"d.{quote(k)} is not distinct from s.{quote(k)}" for k in key)
    for side, left, right in (("DuckDB", "d", "s"), ("Spark", "s", "d")):
        rows = con.execute(
            f"select {', '.join(f'{left}.{quote(k)}' for k in key)} from {source(left, mart)} "
            f"as {left} anti join {source(right, mart)} as {right} on {matched} limit {MAX_SHOWN}"
        ).fetchall()
        problems += [f"{mart}: key {row} only on {side}" for row in rows]
    key_sql = ", ".join(f"d.{quote(k)}" for k in key)
    for name, type_ in columns:
        if name in key:
            continue
        rows = con.execute(
            f"select {key_sql}, d.{quote(name)}, s.{quote(name)} from d.main.{quote(mart)} as d "
            f"join spark_{mart} as s on {matched} where {column_differs(name, type_)} "
            f"limit {MAX_SHOWN}"
        ).fetchall()
        problems += [
            f"{mart}.{name}: key {row[: len(key)]}: DuckDB {row[-2]!r}, Spark {row[-1]!r}"
            for row in rows
        ]
    return problems


def source(alias: str, mart: str) -> str:
    return f"d.main.{quote(mart)}" if alias == "d" else f"spark_{mart}"


def build_and_export(spark_dir: Path, out: Path, dbt_args: list[str]) -> int:
    """dbt build --target spark, then every relation of schema main → out/<name>/ (Parquet)."""
    from dbt.cli.main import dbtRunner
    from pyspark.sql import SparkSession

    os.environ["SPOTIFY_SPARK_DIR"] = str(spark_dir)
    result = dbtRunner().invoke(["build", "--target", "spark", *dbt_args])
    if not result.success:
        return 1
    spark = SparkSession.builder.getOrCreate()  # dbt's session, still open in this process
    for table in spark.catalog.listTables("main"):
        spark.table(f"main.{table.name}").write.mode("overwrite").parquet(str(out / table.name))
    spark.stop()
    return 0


def compare(duckdb_file: Path, spark_marts: Path, manifest: dict) -> tuple[list[str], list[str]]:
    """(marts compared, problems found)."""
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    con.execute(f"attach '{duckdb_file}' as d (read_only)")
    marts = [
        name
        for (name,) in con.execute(
            "select table_name from duckdb_tables() where database_name = 'd' "
            "and schema_name = 'main' union select view_name from duckdb_views() "
            "where database_name = 'd' and schema_name = 'main' order by 1"
        ).fetchall()
    ]
    keys = mart_keys(manifest)
    problems = []
    for mart in marts:
        folder = spark_marts / mart
        files = sorted(folder.glob("*.parquet")) if folder.is_dir() else []
        if not files:
            problems.append(f"{mart}: not built by Spark (no Parquet in {folder})")
            continue
        listed = ", ".join(f"'{file}'" for file in files)
        con.execute(f"create or replace view spark_{mart} as from read_parquet([{listed}])")
        problems += compare_mart(con, mart, keys.get(mart))
    return marts, problems


def main(argv: list[str]) -> int:
    if argv[0] == "build":
        return build_and_export(Path(argv[1]), Path(argv[2]), argv[3:])
    duckdb_file, spark_marts, manifest = map(Path, argv[1:])
    marts, problems = compare(duckdb_file, spark_marts, json.loads(manifest.read_text()))
    print("\n".join(problems) or f"{len(marts)} marts agree")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
