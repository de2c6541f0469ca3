"""The benchmark: issue 14's speed targets as ratios, each beside the measured floor of its step.

    python -m bench.run [--sizes 100000 1000000 5000000] [--repeat 3] [--out bench/results.md]
                        [--compare-with COMMIT [--compare-size N] [--compare-spec FILE.json]
                         [--compare-allow NAME=REASON ...]]

For each size, on the same generated extended export (bench/generate.py, cached under
bench/data/), every step runs in its own process (Python start-up included), --repeat times
(interleaved), and the best time counts; peak RSS is the largest single process of the step
(GNU time). The steps:

  pipeline
  (c)  ingest        `ingest.py` into a new database
  (d)  dbt build     plain `dbt build` on that file: every model and every test
  (w)  make build    what `make build` runs (the safe wrapper: private copy, dbt build, swap),
                     on the same freshly ingested database
  (r)  make run      what `make run` runs on a new database: ingest + make build (+ the tops)
  (e)  re-ingest     `ingest.py` again on the same export (must change nothing)
  floors and references
  (a)  baseline      plain Python: json.load every file, count plays in dicts (bench/baseline.py)
  (b)  read_json     bare DuckDB `read_json`, explicit columns, into a table: the parsing floor
  (b') read as JSON  the same read with every column as JSON (what the ingest must read, so that
                     "12" or 1.5 in an integer field is refused, not cast)
  (k)  keys          every row's exact keys (unknown keys are kept): today a second pass
  (o)  one read      keys and every column as JSON from one read of the bytes (the cheapest
                     single-read design measured; an exact ingest's floor is (b')+(k) or (o))
  (h)  sha256        every file's sha256 (the manifest; loaded files are skipped by it)
  (p)  dbt start-up  a warm `dbt parse` of a ONE-model dbt-duckdb project made in a temp dir,
                     with this project's profile (DuckDB 1.5, 2 threads, same settings)
  (p') dbt parse     a warm `dbt parse` of this project
  (s)  copy + swap   copy the built database, fsync, rename over it: the wrapper's own floor
  (z)  tiny build    plain `dbt build` of a 2,000-stream history (warm): this project's parse
                     and dbt's own work on every seed, model and test, next to no data; the
                     build of a real history costs (z) plus its data work

The floor of the issue's ratios is F = (b) + (p); bench/report.py lists the targets (issue 14,
as ratios, never in a timed test) and sets each beside the measured floor of its step.

--compare-with COMMIT builds the --compare-size export (default 1M) with the models of COMMIT
(a git worktree under bench/data/worktrees/, plain `dbt build`) and compares every mart with
this checkout's build of the same export (bench/compare_marts.py; renames in --compare-spec).

The parts: bench/floors.py (the floors' scripts), bench/measured.py (the steps, their results,
the machine), bench/report.py (bench/results.md: each target beside its floor), bench/build_at.py
(the builds --compare-with compares).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from bench import compare_marts
from bench.build_at import compare_with
from bench.floors import (
    COPY_AND_SWAP,
    KEYS_SCAN,
    ONE_READ,
    ONE_READ_SQL,
    READ_JSON,
    READ_JSON_AS_JSON,
    SHA256,
)
from bench.generate import DATA, export_dir
from bench.measured import (
    BIN,
    ROOT,
    STEPS,
    WARM_UP_STREAMS,
    Run,
    SizeResult,
    machine_busy_seconds,
    own_cpu_seconds,
)
from bench.report import report

GNU_TIME = Path("/usr/bin/time")


def measure(cmd: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT) -> Run:
    """Wall time and peak RSS of one process (and its children: the largest of them).

    A child's peak RSS as wait4 reports it starts at its parent's size (Linux keeps the
    high-water mark across fork and exec), and this runner is large after generating data.
    So, where GNU time is installed, the step runs under it: a small process whose child's
    peak is the step's own. Otherwise the figure is an upper bound."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        wrapped = [str(GNU_TIME), "-f", "%M", "-o", rss.name, *cmd] if GNU_TIME.exists() else cmd
        start = time.perf_counter()
        proc = subprocess.Popen(
            wrapped, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        _, err = proc.communicate()
        seconds = time.perf_counter() - start
        if proc.returncode != 0:
            sys.stderr.write(err.decode(errors="replace")[-3000:])
            raise SystemExit(f"benchmark step failed ({proc.returncode}): {' '.join(cmd)}")
        peak_kib = int(rss.read().split()[-1]) if GNU_TIME.exists() else 0
    return Run(seconds, peak_kib * 1024)


def floor_project(work: Path) -> Path:
    """A one-model dbt-duckdb project with this project's profile and flags: dbt's own fixed
    start-up, the floor every dbt command pays."""
    project = work / "one-model-project"
    shutil.rmtree(project, ignore_errors=True)
    (project / "models").mkdir(parents=True)
    (project / "models" / "one.sql").write_text("select 1 as one\n")
    (project / "dbt_project.yml").write_text(
        'name: one_model\nversion: "1.0.0"\nconfig-version: 2\nprofile: spotify\n'
        "model-paths: [models]\n"
        "flags:\n  send_anonymous_usage_stats: false\n"
    )
    return project


def dbt_env(db: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "SPOTIFY_DB": str(db), "DBT_PROFILES_DIR": str(ROOT), **extra}


def make_env(db: Path, export: Path | None = None) -> dict[str, str]:
    env = dbt_env(db)
    env.pop("MAKEFLAGS", None)
    env.pop("MAKELEVEL", None)
    if export is not None:
        env["EXPORT"] = str(export)
    return env


def bench_size(n: int, repeat: int, work: Path) -> SizeResult:
    export = export_dir(n)
    manifest = json.loads(export.with_suffix(".json").read_text())
    result = SizeResult(n, {k: [] for k in STEPS}, data=manifest)
    python = str(BIN / "python")
    dbt = str(BIN / "dbt")
    db = work / "bench.duckdb"
    raw = work / "raw-only.duckdb"  # the ingested database, before any build
    scratch = work / "scratch.duckdb"
    floor = floor_project(work)
    floor_env = dbt_env(work / "one-model.duckdb")
    floor_parse = [dbt, "--quiet", "parse", "--target-path", str(work / "one-model-target")]
    project_parse = [dbt, "--quiet", "parse", "--target-path", str(work / "parse-target")]
    env = dbt_env(db)

    def remove(path: Path) -> None:
        for p in path.parent.glob(path.name + "*"):
            if p.is_dir():
                shutil.rmtree(p)
            else:
                p.unlink()

    # warm-ups, not counted: partial parsing needs one parse before it is "warm" (per target
    # path and database path), as a user's second command is
    subprocess.run(floor_parse, cwd=floor, env=floor_env, check=True, capture_output=True)
    subprocess.run(project_parse, cwd=ROOT, env=env, check=True, capture_output=True)
    build_target = ["--target-path", str(work / "target")]
    subprocess.run(
        [dbt, "--quiet", "parse", *build_target], cwd=ROOT, env=env, check=True, capture_output=True
    )
    # `make build` runs dbt on a private copy whose path and target folder depend only on the
    # database's path: one untimed build of a tiny export at the same path makes it warm
    remove(db)
    tiny = export_dir(WARM_UP_STREAMS)
    subprocess.run(
        [python, "ingest.py", "--quiet", "--db", str(db), str(tiny)], cwd=ROOT, env=env, check=True
    )
    # (z): the same build with next to no data, at its own path and target folder (warm): what
    # this project's nodes cost dbt whatever the history's size
    tiny_raw, tiny_db = work / "tiny-raw.duckdb", work / "tiny.duckdb"
    shutil.copyfile(db, tiny_raw)
    tiny_build = [dbt, "--quiet", "build", "--target-path", str(work / "tiny-target")]
    shutil.copyfile(tiny_raw, tiny_db)
    subprocess.run(tiny_build, cwd=ROOT, env=dbt_env(tiny_db), check=True, capture_output=True)
    subprocess.run(
        ["make", "-s", "build"], cwd=ROOT, env=make_env(db), check=True, capture_output=True
    )
    result.load = (os.getloadavg()[0], 0.0)
    started = (time.monotonic(), machine_busy_seconds(), own_cpu_seconds())
    steps = result.runs
    for attempt in range(repeat):
        print(f"{n:,} streams, run {attempt + 1}/{repeat}", file=sys.stderr)
        steps["a"].append(measure([python, "-m", "bench.baseline", str(export)]))
        for key, script in (("b", READ_JSON), ("b2", READ_JSON_AS_JSON)):
            remove(scratch)
            steps[key].append(measure([python, "-c", script, str(export), str(scratch)]))
        remove(scratch)
        steps["k"].append(measure([python, "-c", KEYS_SCAN, str(export)]))
        remove(scratch)
        steps["o"].append(
            measure([python, "-c", ONE_READ, str(export), str(scratch), ONE_READ_SQL])
        )
        remove(scratch)
        steps["h"].append(measure([python, "-c", SHA256, str(export)]))
        steps["p"].append(measure(floor_parse, floor_env, cwd=floor))
        steps["p2"].append(measure(project_parse, env))
        remove(tiny_db)
        shutil.copyfile(tiny_raw, tiny_db)
        steps["z"].append(measure(tiny_build, dbt_env(tiny_db)))
        remove(db)
        ingest = [python, "ingest.py", "--quiet", "--db", str(db), str(export)]
        steps["c"].append(measure(ingest, env))
        shutil.copyfile(db, raw)
        steps["d"].append(measure([dbt, "--quiet", "build", *build_target], env))
        if attempt == 0:
            result.breakdown = dbt_breakdown(work / "target" / "run_results.json")
        steps["s"].append(measure([python, "-c", COPY_AND_SWAP, str(db), str(scratch)]))
        remove(db)
        shutil.copyfile(raw, db)
        steps["w"].append(measure(["make", "-s", "build"], make_env(db)))
        before = snapshot(db)
        steps["e"].append(measure(ingest, env))
        if snapshot(db) != before:
            raise SystemExit("re-ingest changed the database")
        remove(db)
        steps["r"].append(measure(["make", "-s", "run"], make_env(db, export)))
    remove(raw)
    remove(scratch)
    remove(tiny_raw)
    remove(tiny_db)
    result.load = (result.load[0], os.getloadavg()[0])
    busy = machine_busy_seconds()
    if busy is not None and started[1] is not None:
        wall, others = time.monotonic() - started[0], busy - started[1]
        others -= own_cpu_seconds() - started[2]
        result.other_cpu = max(0.0, others) / (wall * (os.cpu_count() or 1))
    return result


def dbt_breakdown(run_results: Path) -> dict:
    """Seconds dbt spent per node type, and the slowest models, from one build's results."""
    results = json.loads(run_results.read_text())["results"]
    by_type: dict[str, list[float]] = {}
    for r in results:
        by_type.setdefault(r["unique_id"].split(".")[0], []).append(r["execution_time"])
    models = sorted(
        (r for r in results if r["unique_id"].startswith("model.")),
        key=lambda r: -r["execution_time"],
    )
    return {
        "types": {k: (len(v), sum(v)) for k, v in sorted(by_type.items())},
        "slowest": [(r["unique_id"].split(".")[-1], r["execution_time"]) for r in models[:6]],
    }


def snapshot(db: Path) -> tuple:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return tuple(
            con.execute(f"select count(*) from raw.{t}").fetchone()[0]
            for t in ("exports", "files", "extended_history")
        )
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000, 5_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.md")
    parser.add_argument("--compare-with", metavar="COMMIT", help="compare marts with its build")
    parser.add_argument("--compare-size", type=int, default=1_000_000)
    parser.add_argument("--compare-spec", type=Path, help="renames and allowances (JSON)")
    parser.add_argument("--compare-allow", action="append", default=[], metavar="NAME=REASON")
    args = parser.parse_args(argv)
    if not GNU_TIME.exists():
        print("note: /usr/bin/time missing: peak RSS is not measured", file=sys.stderr)
    allow = compare_marts.parse_allow(args.compare_allow)
    work = DATA / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    results = {
        n: bench_size(n, 1 if n >= 5_000_000 else args.repeat, work) for n in sorted(args.sizes)
    }
    comparison = None
    if args.compare_with:
        sha, rep, seconds = compare_with(
            args.compare_with, args.compare_size, args.compare_spec, allow, work
        )
        comparison = (sha, args.compare_size, rep, seconds)
    text = report(results, args.repeat, comparison)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    shutil.rmtree(work, ignore_errors=True)
    return 0 if comparison is None or comparison[2].ok else 1


if __name__ == "__main__":
    sys.exit(main())
