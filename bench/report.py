"""The benchmark's report (bench/results.md): each of issue 14's targets beside the measured
floor of its step, with a verdict and where the time goes, then every step, the floors, dbt's
time per node type and the growth per million streams. The targets: ingest + build ≤ 2.5 F at
100k and 1M (with `make build`, with plain `dbt build`, and the `make run` path), about 1.4 × the
baseline at 1M, ingest ≤ 2.0 × (b) at 1M, peak RSS ≤ 1 GiB for every pipeline step, time linear
in streams. A target missed counts as met only if its floor is itself above the target
(`Target.verdict`)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime

from bench.generate import VERSION
from bench.measured import GIB, PIPELINE, STEPS, WARM_UP_STREAMS, SizeResult, git_state, machine


@dataclass
class Target:
    n: int
    label: str
    measured: float
    limit: float
    floor: float | None  # the floor of this step, in the same unit
    floor_label: str
    why: str = ""  # where the time (or memory) goes
    unit: str = "×"
    reference: bool = False  # the same ratio at a size the issue sets no target for

    def verdict(self) -> str:
        if self.reference:
            return "reference only: " + ("under" if self.measured <= self.limit else "over")
        if self.measured <= self.limit:
            return "**met**"
        if self.floor is None:
            return "not met"
        floor = f"its floor {self.floor_label} is {self.fmt(self.floor)}"
        if self.floor > self.limit:
            return f"met by its floor: {floor}, above the limit"
        return f"not met: {floor}, under the limit"

    def fmt(self, value: float | None) -> str:
        if value is None:
            return "–"
        return f"{value:.2f} GiB" if self.unit == "GiB" else f"{value:.2f}×"


def targets(results: dict[int, SizeResult]) -> list[Target]:
    rows: list[Target] = []
    for n, s in results.items():
        b, b2, k, o, h, p, c, z = (s.best(x) for x in ("b", "b2", "k", "o", "h", "p", "c", "z"))
        f = b + p
        # an exact ingest reads every value as JSON and every row's keys: the cheaper design
        exact = min(b2 + k, o)
        exact_label = "(b')+(k)" if b2 + k <= o else "(o)"
        ingest_why = f"ingest {c:.1f} s = {c / exact:.1f}× its floor {exact_label} {exact:.1f} s"
        # the issue sets these at 100k and 1M; other sizes show the same ratios for reference
        reference = n not in (100_000, 1_000_000)
        for label, build_key, extra in (
            ("ingest + `make build`", "w", s.best("s")),
            ("ingest + plain `dbt build`", "d", 0.0),
            ("`make run` (ingest, copy, build, swap, tops)", "r", s.best("s")),
        ):
            seconds = s.best(build_key) + (0.0 if build_key == "r" else c)
            build = s.best(build_key) - (c if build_key == "r" else 0.0)
            rows.append(
                Target(
                    n,
                    f"{label} ≤ 2.5 × F",
                    seconds / f,
                    2.5,
                    (exact + p + extra) / f,
                    f"{exact_label} + (p)" + (" + (s)" if extra else ""),
                    f"{ingest_why}; build {build:.1f} s = the same build of "
                    f"{WARM_UP_STREAMS:,} streams (z) {z:.1f} s ({z / f:.2f}× F: this "
                    f"project's warm parse (p') {s.best('p2'):.1f} s, then dbt's own work on "
                    f"every node) + {build - z:.1f} s for the data",
                    reference=reference,
                )
            )
        if n == 1_000_000:
            rows.append(
                Target(
                    n,
                    "ingest + `make build` ≈ 1.4 × the plain-Python baseline (aim)",
                    (c + s.best("w")) / s.best("a"),
                    1.4,
                    (exact + p + s.best("s")) / s.best("a"),
                    f"{exact_label} + (p) + (s)",
                    f"baseline {s.best('a'):.1f} s: json.load and dicts, no checks",
                )
            )
        if n >= 1_000_000:
            rows.append(
                Target(
                    n,
                    "ingest ≤ 2.0 × bare read_json",
                    c / b,
                    2.0,
                    exact / b,
                    exact_label,
                    f"{ingest_why}: exact types {b2 / b:.2f}× (b') + keys {k / b:.2f}× (k), or "
                    f"one read {o / b:.2f}× (o); sha256 {h / b:.2f}× (h) unless on the other core",
                )
            )
        worst = max(PIPELINE, key=s.rss)
        rows.append(
            Target(
                n,
                "peak RSS ≤ 1 GiB, every pipeline step",
                s.rss(worst) / GIB,
                1.0,
                max(s.rss("b"), s.rss("b2")) / GIB,
                "reading the files (b/b')",
                f"largest: {STEPS[worst]}",
                unit="GiB",
            )
        )
    big = sorted(n for n in results if n >= 1_000_000)
    for n in big[1:]:
        for key in ("c", "w"):
            per = results[n].best(key) / n
            base = results[big[0]].best(key) / big[0]
            rows.append(
                Target(
                    n,
                    f"linear: {STEPS[key]}, time per stream ÷ at {big[0]:,} ≤ 1.25",
                    per / base,
                    1.25,
                    None,
                    "",
                    f"{n / results[n].best(key):,.0f} vs {big[0] / results[big[0]].best(key):,.0f} streams/s",
                )
            )
    return rows


def report(results: dict[int, SizeResult], repeat: int, comparison: tuple | None = None) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at {git_state()}; "
        f"best of {repeat} runs per step (5M and above: one run), each step its own process "
        "(Python start-up included); peak RSS = the largest single process of the step.",
        "",
        *machine(),
    ]
    for n, s in results.items():
        d = s.data
        lines.append(
            f"- {n:,} streams: bench/generate.py v{d.get('generator_version', VERSION)}, "
            f"{d.get('rows', 0):,} rows in {d.get('files', 0)} files "
            f"({d.get('bytes', 0) / 2**20:,.0f} MiB), one listener; {d.get('plays', 0):,} counted "
            f"plays of {d.get('tracks_played', 0):,} distinct tracks by "
            f"{d.get('artists_played', 0):,} artists; "
            f"load average {s.load[0]:.1f} before, {s.load[1]:.1f} after"
            + (
                f"; other work than the bench: {s.other_cpu:.0%} of the CPU"
                if s.other_cpu is not None
                else ""
            )
        )
    # The bench's own load lingers in the load average: other work is the CPU time the machine
    # spent beyond the bench's processes (where it can be read), else the load average.
    noisy = any(
        s.other_cpu > 0.1 if s.other_cpu is not None else max(s.load) > 0.5 * (os.cpu_count() or 1)
        for s in results.values()
    )
    if noisy:
        lines += [
            "",
            "**Noisy run**: other work was running (over 10 % of the CPU beside the bench, or a "
            "load average above half the cores). Ratios hold better than absolute times, but "
            "this is not the quiet-machine figure.",
        ]
    lines += [
        "",
        "## Targets (issue 14)",
        "",
        "F = (b) bare read_json + (p) dbt's own start-up (a warm `dbt parse` of a one-model "
        "dbt-duckdb project with this project's profile). A target missed counts as met only if "
        "the floor of that step is itself above the target; the floor column gives it in the "
        "target's unit.",
        "",
        "| streams | target | measured | floor of the step | verdict | why |",
        "|---:|---|---:|---:|---|---|",
    ]
    for t in targets(results):
        lines.append(
            f"| {t.n:,} | {t.label} | {t.fmt(t.measured)} | "
            f"{t.fmt(t.floor)} {t.floor_label} | {t.verdict()} | {t.why} |"
        )
    lines += [
        "",
        "## Steps",
        "",
        "| streams | step | best s | worst s | streams/s | peak RSS (MiB) |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for n, s in results.items():
        for key, label in STEPS.items():
            lines.append(
                f"| {n:,} | {label} | {s.best(key):.2f} | {s.worst(key):.2f} | "
                f"{n / s.best(key):,.0f} | {s.rss(key) / 2**20:.0f} |"
            )
    lines += [
        "",
        "## Floors",
        "",
        "| streams | floor | seconds | × F | × bare read_json |",
        "|---:|---|---:|---:|---:|",
    ]
    for n, s in results.items():
        f = s.best("b") + s.best("p")
        for label, seconds in (
            ("F = (b) + (p): parse the files, start dbt; no model, no test", f),
            ("(b'): read every column as JSON (exact types)", s.best("b2")),
            (
                "(b') + (k): exact types, then exact keys in a second pass (today)",
                s.best("b2") + s.best("k"),
            ),
            ("(o): exact types and keys from one read", s.best("o")),
            ("(h): sha256 of every file (needed too; may run on the other core)", s.best("h")),
            ("(p'): this project's warm parse (every dbt command pays it)", s.best("p2")),
            (
                f"(z): this project's plain dbt build of {WARM_UP_STREAMS:,} streams (parse, "
                "then every seed, model and test: dbt's cost per node, next to no data)",
                s.best("z"),
            ),
            ("(s): copy + fsync + swap of the built database", s.best("s")),
        ):
            lines.append(
                f"| {n:,} | {label} | {seconds:.2f} | {seconds / f:.2f} | "
                f"{seconds / s.best('b'):.2f} |"
            )
    lines += ["", "## Where plain dbt build spends its time", ""]
    for n, s in results.items():
        b = s.breakdown
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
            "|---|" + "---:|" * len(sizes),
        ]
        for key in (*PIPELINE, "a", "b", "b2", "k", "o", "h"):
            per_m = [results[n].best(key) / n * 1e6 for n in sizes]
            lines.append(f"| {STEPS[key]} | " + " | ".join(f"{v:.2f}" for v in per_m) + " |")
    if comparison is not None:
        sha, n, rep, seconds = comparison
        lines += [
            "",
            f"## Marts: {sha[:12]} vs this checkout, {n:,} streams",
            "",
            f"bench/compare_marts.py, every mart's rows after renames ({seconds:.0f} s with both "
            f"builds): **{'the same (or allowed)' if rep.ok else 'DIFFERENT'}**.",
            "",
            "```",
            rep.text(),
            "```",
        ]
    return "\n".join(lines) + "\n"
