"""The benchmark: zip-to-tested-marts against a plain script that only counts.

    python -m bench.run [--sizes 100000 1000000 5000000] [--repeat 3] [--out bench/results.md]

For each size, on the same generated extended export (bench/generate.py, cached under
bench/data/), it measures — best of --repeat runs, each in its own process, with that process's
peak RSS:

  (a) baseline   plain Python: json.load every file, count plays in dicts, sort (bench/baseline.py)
  (b) read_json  bare DuckDB `read_json` with explicit columns into a table (the parsing floor)
  (c) ingest     `ingest.py` into a new database
  (d) dbt build  every model and every test on that database
  (e) re-ingest  `ingest.py` again on the same export (must change nothing)

and writes the times, ratios against the targets and machine details to bench/results.md.
Targets live here, never in a timed test.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from bench.generate import generate

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DATA = ROOT / "bench" / "data"
GIB = 1024**3

READ_JSON = """
import duckdb, glob, sys
files = sorted(glob.glob(sys.argv[1] + '/**/*.json', recursive=True))
con = duckdb.connect(sys.argv[2])
con.execute('''create table t as select * from read_json(?, format='array', columns={
 'ts': 'VARCHAR', 'platform': 'VARCHAR', 'ms_played': 'BIGINT', 'conn_country': 'VARCHAR',
 'ip_addr': 'VARCHAR', 'master_metadata_track_name': 'VARCHAR',
 'master_metadata_album_artist_name': 'VARCHAR', 'master_metadata_album_album_name': 'VARCHAR',
 'spotify_track_uri': 'VARCHAR', 'episode_name': 'VARCHAR', 'episode_show_name': 'VARCHAR',
 'spotify_episode_uri': 'VARCHAR', 'audiobook_title': 'VARCHAR', 'audiobook_uri': 'VARCHAR',
 'audiobook_chapter_uri': 'VARCHAR', 'audiobook_chapter_title': 'VARCHAR',
 'reason_start': 'VARCHAR', 'reason_end': 'VARCHAR', 'shuffle': 'BOOLEAN', 'skipped': 'BOOLEAN',
 'offline': 'BOOLEAN', 'offline_timestamp': 'BIGINT', 'incognito_mode': 'BOOLEAN'})''', [files])
con.close()
"""


@dataclass
class Run:
    seconds: float
    peak_rss: int  # bytes


def measure(cmd: list[str], env: dict[str, str] | None = None) -> Run:
    """Wall time and peak RSS of one process (and the children it waited for)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark step failed ({proc.returncode}): {' '.join(cmd)}")
    return Run(seconds, usage.ru_maxrss * 1024)


def best(runs: list[Run]) -> Run:
    return Run(min(r.seconds for r in runs), max(r.peak_rss for r in runs))


def bench_size(n: int, repeat: int, work: Path) -> dict[str, Run]:
    export = DATA / str(n)
    if not export.exists():
        print(f"generating {n:,} streams…", file=sys.stderr)
        generate(n, export)
    db = work / "bench.duckdb"
    env = {**os.environ, "SPOTIFY_DB": str(db), "DBT_PROFILES_DIR": str(ROOT)}
    python = str(BIN / "python")
    steps: dict[str, list[Run]] = {k: [] for k in ("a", "b", "c", "d", "e")}

    def fresh() -> None:
        for path in work.glob("bench.duckdb*"):
            path.unlink()

    for attempt in range(repeat):
        print(f"{n:,} streams, run {attempt + 1}/{repeat}", file=sys.stderr)
        steps["a"].append(measure([python, "-m", "bench.baseline", str(export)]))
        fresh()
        steps["b"].append(measure([python, "-c", READ_JSON, str(export), str(db)]))
        fresh()
        ingest = [python, "ingest.py", "--quiet", "--db", str(db), str(export)]
        steps["c"].append(measure(ingest, env))
        steps["d"].append(
            measure(
                [str(BIN / "dbt"), "--quiet", "build", "--target-path", str(work / "target")],
                env,
            )
        )
        before = snapshot(db)
        steps["e"].append(measure(ingest, env))
        if snapshot(db) != before:
            raise SystemExit("re-ingest changed the database")
    fresh()
    return {k: best(v) for k, v in steps.items()}


def snapshot(db: Path) -> tuple:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return tuple(
            con.execute(f"select count(*) from raw.{t}").fetchone()[0]
            for t in ("exports", "files", "extended_history")
        )
    finally:
        con.close()


def machine() -> list[str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    mem = next(
        (
            int(line.split()[1]) * 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    dbt = subprocess.run([str(BIN / "dbt"), "--version"], capture_output=True, text=True).stdout
    dbt_core = next((ln.split(":")[1].strip() for ln in dbt.splitlines() if "installed" in ln), "?")
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores; memory {mem / GIB:.0f} GiB",
        f"- {platform.platform()}; Python {platform.python_version()}",
        f"- duckdb {duckdb.__version__}; dbt-core {dbt_core}",
    ]


def report(results: dict[int, dict[str, Run]], repeat: int) -> str:
    names = {
        "a": "(a) seed-style baseline",
        "b": "(b) bare read_json",
        "c": "(c) ingest.py",
        "d": "(d) dbt build",
        "e": "(e) re-ingest",
    }
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; best of {repeat} "
        "runs per step (5M: one run), peak RSS of each step's process.",
        "",
        *machine(),
        "",
        "| streams | step | seconds | streams/s | peak RSS (MiB) |",
        "|---:|---|---:|---:|---:|",
    ]
    for n, steps in results.items():
        for key, run in steps.items():
            lines.append(
                f"| {n:,} | {names[key]} | {run.seconds:.2f} | {n / run.seconds:,.0f} | "
                f"{run.peak_rss / 2**20:.0f} |"
            )
    lines += ["", "## Targets", "", "| streams | target | measured | met |", "|---:|---|---:|:-:|"]
    for n, s in results.items():
        checks = [
            (
                "ingest + dbt build ≤ 0.75 × baseline",
                (s["c"].seconds + s["d"].seconds) / s["a"].seconds,
                0.75,
            ),
            ("ingest ≤ 1.25 × bare read_json", s["c"].seconds / s["b"].seconds, 1.25),
            ("re-ingest ≤ 0.5 × ingest", s["e"].seconds / s["c"].seconds, 0.5),
            ("peak RSS ≤ 1 GiB (every step)", max(r.peak_rss for r in s.values()) / GIB, 1.0),
        ]
        for label, value, limit in checks:
            lines.append(f"| {n:,} | {label} | {value:.2f} | {'yes' if value <= limit else 'no'} |")
    sizes = sorted(results)
    if len(sizes) > 1:
        lines += [
            "",
            "## Growth (seconds per million streams)",
            "",
            "| step | " + " | ".join(f"{n:,}" for n in sizes) + " |",
        ]
        lines.append("|---|" + "---:|" * len(sizes))
        for key, label in names.items():
            per_m = [results[n][key].seconds / n * 1e6 for n in sizes]
            lines.append(f"| {label} | " + " | ".join(f"{v:.2f}" for v in per_m) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000, 5_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.md")
    args = parser.parse_args(argv)
    work = DATA / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    results = {
        n: bench_size(n, 1 if n >= 5_000_000 else args.repeat, work) for n in sorted(args.sizes)
    }
    text = report(results, args.repeat)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
