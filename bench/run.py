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

and, to show where the time goes and what the floors are:

  (b') read_json as JSON   the same read with every column as JSON (what the ingest reads, so
                           that "12" or 1.5 in an integer field is refused, not cast)
  (b'') keys + sha256      every row's exact keys and every file's sha256, which the ingest
                           needs to keep unknown keys and to skip files already loaded
  (d') dbt parse           dbt's start-up and project parsing, paid by every dbt command
  dbt build by node type   models, data tests and unit tests (dbt's run_results.json), and
                           the slowest models

and writes the times, ratios against the targets, the floors and machine details to
bench/results.md. Every step is its own process, Python start-up included. Targets live here,
never in a timed test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
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


# (b'): the same files and columns, every one read as JSON, as ingest.py reads them
READ_JSON_AS_JSON = (
    READ_JSON.replace("'VARCHAR'", "'JSON'")
    .replace("'BIGINT'", "'JSON'")
    .replace("'BOOLEAN'", "'JSON'")
)


# (b''): what the ingest needs on top of a read: every row's exact keys (unknown keys are kept,
# never dropped) and every file's sha256 (the manifest, and skipping files already loaded)
KEYS_AND_HASHES = """
import duckdb, glob, hashlib, sys
files = sorted(glob.glob(sys.argv[1] + '/**/*.json', recursive=True))
for f in files:
    with open(f, 'rb') as handle:
        hashlib.file_digest(handle, 'sha256')
duckdb.connect().execute(
    "select file_index, json_type(json), json_keys(json), count(*) "
    "from read_json_objects(?, format = 'array') group by all", [files]).fetchall()
"""


@dataclass
class Run:
    seconds: float
    peak_rss: int  # bytes


GNU_TIME = Path("/usr/bin/time")


def measure(cmd: list[str], env: dict[str, str] | None = None) -> Run:
    """Wall time and peak RSS of one process.

    A child's peak RSS as wait4 reports it starts at its parent's size (Linux keeps the
    high-water mark across fork and exec), and this runner is large after generating data.
    So, where GNU time is installed, the step runs under it: a small process whose child's
    peak is the step's own. Otherwise the figure is an upper bound."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        wrapped = [str(GNU_TIME), "-f", "%M", "-o", rss.name, *cmd] if GNU_TIME.exists() else cmd
        start = time.perf_counter()
        proc = subprocess.Popen(wrapped, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            raise SystemExit(f"benchmark step failed ({code}): {' '.join(cmd)}")
        peak_kib = int(rss.read().split()[-1]) if GNU_TIME.exists() else usage.ru_maxrss
    return Run(seconds, peak_kib * 1024)


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
    steps: dict[str, list[Run]] = {k: [] for k in ("a", "b", "b2", "b3", "c", "d", "d2", "e")}

    def fresh() -> None:
        for path in work.glob("bench.duckdb*"):
            path.unlink()

    for attempt in range(repeat):
        print(f"{n:,} streams, run {attempt + 1}/{repeat}", file=sys.stderr)
        steps["a"].append(measure([python, "-m", "bench.baseline", str(export)]))
        fresh()
        steps["b"].append(measure([python, "-c", READ_JSON, str(export), str(db)]))
        fresh()
        steps["b2"].append(measure([python, "-c", READ_JSON_AS_JSON, str(export), str(db)]))
        fresh()
        steps["b3"].append(measure([python, "-c", KEYS_AND_HASHES, str(export)]))
        ingest = [python, "ingest.py", "--quiet", "--db", str(db), str(export)]
        steps["c"].append(measure(ingest, env))
        steps["d"].append(
            measure(
                [str(BIN / "dbt"), "--quiet", "build", "--target-path", str(work / "target")],
                env,
            )
        )
        if attempt == 0:
            breakdowns[n] = dbt_breakdown(work / "target" / "run_results.json")
        steps["d2"].append(
            measure(
                [str(BIN / "dbt"), "--quiet", "parse", "--target-path", str(work / "parse")], env
            )
        )
        before = snapshot(db)
        steps["e"].append(measure(ingest, env))
        if snapshot(db) != before:
            raise SystemExit("re-ingest changed the database")
    fresh()
    return {k: best(v) for k, v in steps.items()}


breakdowns: dict[int, dict] = {}


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
        "b2": "(b') read_json, columns as JSON",
        "b3": "(b'') exact keys + sha256 of every file",
        "c": "(c) ingest.py",
        "d": "(d) dbt build",
        "d2": "(d') dbt parse (start-up)",
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
    lines += [
        "",
        "## Floors: the least any pipeline of this shape could take",
        "",
        "| streams | floor | × baseline | × bare read_json |",
        "|---:|---|---:|---:|",
    ]
    for n, s in results.items():
        floors = [
            (
                "(b) + (d'): parse the files, start dbt; no model, no test",
                s["b"].seconds + s["d2"].seconds,
            ),
            ("(b'): read every column as JSON (exact types)", s["b2"].seconds),
            (
                "(b') + (b''): exact types, exact keys, file hashes (what ingest.py must do)",
                s["b2"].seconds + s["b3"].seconds,
            ),
        ]
        for label, seconds in floors:
            lines.append(
                f"| {n:,} | {label} | {seconds / s['a'].seconds:.2f} | {seconds / s['b'].seconds:.2f} |"
            )
    lines += ["", "## Where dbt build spends its time", ""]
    for n, b in breakdowns.items():
        types = ", ".join(f"{k}: {c} nodes, {t:.1f} s" for k, (c, t) in b["types"].items())
        slowest = ", ".join(f"{name} {t:.1f} s" for name, t in b["slowest"])
        lines += [f"- {n:,} streams: {types}. Slowest models: {slowest}."]
    lines += [
        "",
        "Node times add up to more than the build's wall time: dbt runs nodes on 2 threads.",
    ]
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
