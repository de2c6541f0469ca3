"""Do two builds hold the same marts? Every row of every mart, order-independent, after renames.

    python -m bench.compare_marts BEFORE.duckdb AFTER.duckdb [--spec FILE.json]
                                  [--allow NAME=REASON ...] [--show N] [--digits D]

Compares the tables and views of schema `main` (the marts) of two DuckDB files, read-only. Each
row is hashed after its columns are mapped from the BEFORE names to the AFTER names; a mart is the
same when both sides hold the same multiset of row hashes (counted, so duplicates count too; a
64-bit hash: a difference hides only behind a collision, about 1 in 10^19 per row pair). Each
mart's row count and digest (sum of its row hashes, mod 2^64) are printed. On a mismatch the first
differing rows are shown side by side, paired by the mart's key where the spec gives one, with the
columns that differ marked.

Values are compared as values, not types: integers of any width alike (a count that became
BIGINT from HUGEINT is equal), floating-point and decimal values rounded to --digits places
(default 6), and a column whose type changed otherwise is compared as text (the change is noted).

The spec (JSON; bench/marts-issue-14.json is a full example) says how BEFORE maps to AFTER as
checks, each comparing rows of one before mart with rows of one after mart. An after mart the
spec does not name is compared with the before mart of the same name, column for column:

    {
      "marts": {                                  (one check per after mart, keyed by its name)
        "<after mart>": {
          "from": "<before mart>",                (default: the same name)
          "where": "<SQL over the before mart>",  (its rows in this check: a split)
          "where_after": "<SQL over the after mart>",  (its rows in this check)
          "columns": {"<before column>": "<after column>", "<dropped column>": null},
          "exprs": {"<after column>": "<SQL over the before mart's columns>"},
          "key": ["<after column>", ...],         (pairs differing rows for display)
          "allow": {"<after column>": "<reason>"} (this check only)
        }
      },
      "checks": [                                 (more checks: "from" and "into" required)
        {"from": "<before mart>", "into": "<after mart>", "partial": true, ...}
      ],
      "allow": {"<mart>": "<reason>", "<mart>.<column>": "<reason>",
                "<mart>[<SQL over the after mart>]": "<reason>"}
    }

A check compares every column of the after mart (renamed or computed from the before side),
except those allowed; "partial": true makes it a fold (a before mart whose columns moved into
an after mart that has its own full check): only the columns it gives are compared. When the
full checks of an after mart filter its rows (where_after), every row must be in one of them,
or in an allowance "<mart>[<SQL>]" (new rows). Exprs model a bug fix exactly (e.g. map legacy
codes on the before side) instead of waving a column through.

Allowed differences are explicit, each with its reason (in the spec or --allow):
- "<mart>.<column>" (or a check's "allow"): the column is not compared: a new column, a dropped
  one (its before name or its after name), or one whose values change by design (a bug fix);
- "<mart>": the mart may differ (its differences are still shown), or be new, or be gone;
- "<mart>[<SQL>]": rows of the after mart that no check covers, e.g. a new period grain.
Anything else that differs fails: rows, a column or a mart only on one side. An allowance that
matches nothing is an error too (a typo must not hide a difference).

Exit status: 0 same (or only allowed differences), 1 a difference, 2 bad arguments.

Over 300 lines on purpose: one job (two builds, the same marts?) whose parts — the spec of renames
and allowances, the order-free row hashes, folds of old marts into new ones, and the report of
differences by key — only make sense together.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

INTEGER_TYPES = {
    "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
    "UBIGINT", "UHUGEINT",
}  # fmt: skip
FLOAT_TYPES = {"FLOAT", "DOUBLE", "REAL"}


@dataclass
class MartSpec:
    """One check: rows of a BEFORE mart (mapped to AFTER names) against rows of an AFTER mart."""

    after: str
    before: str
    where: str | None = None  # SQL over the before mart: its rows in this check
    where_after: str | None = None  # SQL over the after mart: its rows in this check
    columns: dict[str, str | None] = field(default_factory=dict)  # before -> after (None: dropped)
    exprs: dict[str, str] = field(default_factory=dict)  # after -> SQL over before columns
    key: list[str] = field(default_factory=list)
    partial: bool = False  # a fold: only the columns the before mart gives are compared
    allow: dict[str, str] = field(default_factory=dict)  # after column -> reason, this check only

    @property
    def label(self) -> str:
        return self.after if self.before == self.after else f"{self.before} → {self.after}"


@dataclass
class Spec:
    checks: list[MartSpec] = field(default_factory=list)
    allow: dict[str, str] = field(default_factory=dict)  # "mart" or "mart.column" -> reason


CHECK_KEYS = {
    "from", "into", "where", "where_after", "columns", "exprs", "key", "partial", "allow", "comment"
}  # fmt: skip


def load_spec(path: Path | None, allow: dict[str, str] | None = None) -> Spec:
    """A spec from a JSON file (or an empty one), with extra allowances added."""
    data = json.loads(path.read_text(encoding="utf-8")) if path else {}
    unknown = set(data) - {"marts", "checks", "allow", "comment"}
    if unknown:
        raise ValueError(f"spec: unknown keys {sorted(unknown)}")
    entries = [(after, entry) for after, entry in data.get("marts", {}).items()]
    for entry in data.get("checks", []):
        if "from" not in entry or "into" not in entry:
            raise ValueError(f"spec: a check needs 'from' and 'into': {entry}")
        entries.append((entry["into"], entry))
    checks = []
    for after, entry in entries:
        extra = set(entry) - CHECK_KEYS
        if extra:
            raise ValueError(f"spec: {after}: unknown keys {sorted(extra)}")
        checks.append(
            MartSpec(
                after=after,
                before=entry.get("from", after),
                where=entry.get("where"),
                where_after=entry.get("where_after"),
                columns=dict(entry.get("columns", {})),
                exprs=dict(entry.get("exprs", {})),
                key=list(entry.get("key", [])),
                partial=bool(entry.get("partial", False)),
                allow=dict(entry.get("allow", {})),
            )
        )
    return Spec(checks=checks, allow={**data.get("allow", {}), **(allow or {})})


@dataclass
class MartResult:
    name: str  # after name (or before name for a mart that is gone)
    before: str | None
    status: str  # same | differs | new | gone | error
    before_rows: int = 0
    after_rows: int = 0
    before_digest: str = ""
    after_digest: str = ""
    only_before: int = 0  # rows (with multiplicity) only in before
    only_after: int = 0
    allowed: str | None = None  # the reason, when the difference is allowed
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # column-level failures
    detail: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        if self.problems:
            return False
        return self.status == "same" or self.allowed is not None


@dataclass
class Report:
    marts: list[MartResult]
    errors: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors and all(m.ok for m in self.marts)

    def text(self) -> str:
        lines = []
        width = max([len(m.name) for m in self.marts] + [4])
        for m in self.marts:
            mark = "ok  " if m.ok else "FAIL"
            if m.status in ("same", "differs"):
                counts = f"{m.before_rows:>10,} → {m.after_rows:>10,} rows"
                digests = f"digest {m.before_digest} → {m.after_digest}"
                what = "same" if m.status == "same" else (
                    f"DIFFERS: {m.only_before:,} rows only before, {m.only_after:,} only after"
                )  # fmt: skip
                source = f" (from {m.before})" if m.before != m.name else ""
                lines.append(f"{mark} {m.name:<{width}} {counts}  {digests}  {what}{source}")
            else:
                lines.append(f"{mark} {m.name:<{width}} {m.status.upper()}")
            if m.allowed is not None and m.status != "same":
                lines.append(f"       allowed: {m.allowed}")
            lines += [f"       note: {n}" for n in m.notes]
            lines += [f"       PROBLEM: {p}" for p in m.problems]
            lines += [f"       {d}" for d in m.detail]
        lines += [f"ERROR: {e}" for e in self.errors]
        same = sum(m.status == "same" and m.ok for m in self.marts)
        lines.append(
            f"{'OK' if self.ok else 'FAILED'}: {len(self.marts)} checks, {same} the same"
            + ("" if self.ok else f", {sum(not m.ok for m in self.marts)} failing")
        )
        return "\n".join(lines)


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def relations(con: duckdb.DuckDBPyConnection, alias: str) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = ? and table_schema = 'main' order by table_name",
            [alias],
        ).fetchall()
    ]


def columns_of(con: duckdb.DuckDBPyConnection, alias: str, rel: str) -> dict[str, str]:
    return dict(
        con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_catalog = ? and table_schema = 'main' and table_name = ? "
            "order by ordinal_position",
            [alias, rel],
        ).fetchall()
    )


def normalised(expr: str, own: str, other: str, digits: int) -> str:
    """The value as compared: integers alike, floats and decimals rounded, other type changes
    as text."""
    numeric = INTEGER_TYPES | FLOAT_TYPES
    inexact = own in FLOAT_TYPES or other in FLOAT_TYPES or "DECIMAL" in own + other
    if (own in numeric or own.startswith("DECIMAL")) and (
        other in numeric or other.startswith("DECIMAL")
    ):
        return f"round(({expr})::double, {digits})" if inexact else f"({expr})::hugeint"
    if own != other:
        return f"({expr})::varchar"
    return expr


class Comparison:
    def __init__(
        self, before: Path, after: Path, spec: Spec, show: int = 5, digits: int = 6
    ) -> None:
        self.spec = spec
        self.show = show
        self.digits = digits
        self.used_allow: set[str] = set()
        self.used_check_allow: set[tuple[int, str]] = set()
        self.con = duckdb.connect()
        self.con.execute("set TimeZone = 'UTC'")
        self.con.execute(f"attach '{before}' as before_db (read_only)")
        if Path(before).resolve() == Path(after).resolve():
            self.after_alias = "before_db"  # the same file cannot be attached twice
        else:
            self.con.execute(f"attach '{after}' as after_db (read_only)")
            self.after_alias = "after_db"

    def allowed(self, name: str) -> str | None:
        if name in self.spec.allow:
            self.used_allow.add(name)
            return self.spec.allow[name]
        return None

    def run(self, only: list[str] | None = None) -> Report:
        before = relations(self.con, "before_db")
        after = relations(self.con, self.after_alias)
        errors: list[str] = []
        checks = []
        for check in self.spec.checks:
            if check.after not in after:
                errors.append(f"spec: {check.label}: {check.after} is not in AFTER")
            elif check.before not in before:
                errors.append(f"spec: {check.label}: {check.before} is not in BEFORE")
            else:
                checks.append(check)
        full = {c.after for c in checks if not c.partial}
        # an after mart the spec does not name is compared with the before mart of its name
        checks += [MartSpec(after=n, before=n) for n in after if n not in full and n in before]
        checks.sort(key=lambda c: (c.after, c.partial, c.before))
        results = []
        for name in after:
            if only and name not in only:
                continue
            own = [c for c in checks if c.after == name]
            if not any(not c.partial for c in own):
                results.append(MartResult(name, None, "new", allowed=self.allowed(name)))
            for check in own:
                results.append(self.compare_mart(check))
            self.check_row_coverage(name, [c for c in own if not c.partial], results)
        consumed = {c.before for c in checks}
        for name in before:
            if name in consumed or (only and name not in only):
                continue
            results.append(MartResult(name, name, "gone", allowed=self.allowed(name)))
        if not only:
            unused = sorted(set(self.spec.allow) - self.used_allow)
            errors += [f"allowance matches nothing: {u!r}" for u in unused]
            errors += [
                f"allowance matches nothing: {c.label}: {col!r}"
                for c in checks
                for col in c.allow
                if (id(c), col) not in self.used_check_allow
            ]
        return Report(results, errors)

    def column_allowed(self, mart: MartSpec, column: str | None) -> str | None:
        if column in mart.allow:
            self.used_check_allow.add((id(mart), column))
            return mart.allow[column]
        return self.allowed(f"{mart.after}.{column}")

    def check_row_coverage(self, name: str, full: list[MartSpec], results: list) -> None:
        """With after-side filters, every row of the after mart must be in some check."""
        if not full or any(c.where_after is None for c in full):
            return
        predicates = [c.where_after for c in full]
        for allowance in self.spec.allow:
            if allowance.startswith(f"{name}[") and allowance.endswith("]"):
                self.allowed(allowance)
                predicates.append(allowance[len(name) + 1 : -1])
        covered = " or ".join(f"coalesce(({p}), false)" for p in predicates)
        missed = self.con.execute(
            f"select count(*) from {self.after_alias}.main.{quote(name)} where not ({covered})"
        ).fetchone()[0]
        if missed:
            result = next(r for r in results if r.name == name and r.status != "new")
            result.problems.append(f"{missed:,} rows of {name} are in no check (where_after)")

    def compare_mart(self, mart: MartSpec) -> MartResult:
        result = MartResult(mart.after, mart.before, "same")
        mart_allowed = self.allowed(mart.after)
        before_cols = columns_of(self.con, "before_db", mart.before)
        after_cols = columns_of(self.con, self.after_alias, mart.after)
        # after column -> SQL over the before mart
        produced: dict[str, str] = {}
        for col in before_cols:
            target = mart.columns.get(col, col)
            if col in mart.columns and target is None:
                reason = self.column_allowed(mart, col)
                if reason is None:
                    result.problems.append(f"column {col} dropped by the spec without a reason")
                continue
            if target in after_cols:
                produced[target] = quote(col)
            elif any(re.search(rf"\b{re.escape(col)}\b", e) for e in mart.exprs.values()):
                pass  # read by an expression of the spec
            else:
                reason = self.column_allowed(mart, col) or self.column_allowed(mart, target)
                if reason is None:
                    result.problems.append(
                        f"column {col} is gone" + (f" (as {target})" if target != col else "")
                    )
        for target, expr in mart.exprs.items():
            if target not in after_cols:
                result.problems.append(f"spec computes {target}, which is not in AFTER")
            else:
                produced[target] = f"({expr})"
        compared = []
        for col in after_cols:
            if col not in produced:
                if not mart.partial and self.column_allowed(mart, col) is None:
                    result.problems.append(f"new column {col}, not in BEFORE")
                continue
            if self.column_allowed(mart, col) is not None:
                continue
            compared.append(col)
        for col in mart.key:
            if col not in compared:
                result.problems.append(f"key column {col} is not compared")
        where = f" where {mart.where}" if mart.where else ""
        where_after = f" where {mart.where_after}" if mart.where_after else ""
        if mart.partial:
            result.notes.append(f"a fold: compares the {len(compared)} columns {mart.before} gives")
        if mart.where_after:
            result.notes.append(f"after rows where {mart.where_after}")
        if not compared:
            result.problems.append("no column to compare")
            result.allowed = mart_allowed
            result.status = "error"
            return result
        # the types of what the before side computes (renamed columns, expressions)
        source = f"before_db.main.{quote(mart.before)}"
        before_types = [
            row[1]
            for row in self.con.execute(
                f"describe select {', '.join(produced[c] for c in compared)} from {source}"
            ).fetchall()
        ]
        before_sel, after_sel = [], []
        for col, btype in zip(compared, before_types, strict=True):
            atype = after_cols[col]
            if btype != atype and not (btype in INTEGER_TYPES and atype in INTEGER_TYPES):
                result.notes.append(f"{col}: type {btype} → {atype}")
            before_sel.append(
                f"{normalised(produced[col], btype, atype, self.digits)} as {quote(col)}"
            )
            after_sel.append(f"{normalised(quote(col), atype, btype, self.digits)} as {quote(col)}")
        cols = ", ".join(quote(c) for c in compared)
        self.con.execute(
            f"create or replace temp view b_rows as select hash({cols}) as h, * from "
            f"(select {', '.join(before_sel)} from {source}{where})"
        )
        self.con.execute(
            f"create or replace temp view a_rows as select hash({cols}) as h, * from "
            f"(select {', '.join(after_sel)} from {self.after_alias}.main.{quote(mart.after)}"
            f"{where_after})"
        )
        for side, view in (("before", "b_rows"), ("after", "a_rows")):
            count, digest = self.con.execute(
                f"select count(*), coalesce(sum(h::hugeint), 0) % 18446744073709551616 from {view}"
            ).fetchone()
            setattr(result, f"{side}_rows", count)
            setattr(result, f"{side}_digest", f"{int(digest):016x}")
        self.con.execute(
            "create or replace temp table diff as "
            "with b as (select h, count(*) as n from b_rows group by h), "
            "a as (select h, count(*) as n from a_rows group by h) "
            "select h, coalesce(b.n, 0) as nb, coalesce(a.n, 0) as na "
            "from b full join a using (h) where nb is distinct from na"
        )
        only_before, only_after = self.con.execute(
            "select coalesce(sum(greatest(nb - na, 0)), 0), coalesce(sum(greatest(na - nb, 0)), 0) "
            "from diff"
        ).fetchone()
        result.only_before, result.only_after = int(only_before), int(only_after)
        if only_before or only_after:
            result.status = "differs"
            result.allowed = mart_allowed
            result.detail = self.detail(mart, compared)
        elif mart_allowed is not None:
            result.allowed = mart_allowed
        return result

    def detail(self, mart: MartSpec, compared: list[str]) -> list[str]:
        """The first differing rows, paired by key where there is one."""
        order = ", ".join(quote(c) for c in (mart.key or compared))
        sides = {}
        for side, view, extra in (("before", "b_rows", "nb > na"), ("after", "a_rows", "na > nb")):
            sides[side] = self.con.execute(
                f"select {', '.join(quote(c) for c in compared)} from {view} "
                f"where h in (select h from diff where {extra}) order by {order} "
                f"limit {self.show * 4}"
            ).fetchall()
        lines = []
        if mart.key:
            index = [compared.index(k) for k in mart.key]
            by_key: dict[tuple, dict[str, tuple]] = {}
            for side, rows in sides.items():
                for row in rows:
                    by_key.setdefault(tuple(row[i] for i in index), {})[side] = row
            for key in sorted(by_key, key=repr)[: self.show]:
                pair = by_key[key]
                label = ", ".join(f"{k}={v!r}" for k, v in zip(mart.key, key, strict=True))
                if len(pair) == 2:
                    changed = [
                        f"{c}: {b!r} → {a!r}"
                        for c, b, a in zip(compared, pair["before"], pair["after"], strict=True)
                        if b != a
                    ]
                    lines.append(f"{label}: " + "; ".join(changed))
                else:
                    side = next(iter(pair))
                    row = dict(zip(compared, pair[side], strict=True))
                    lines.append(f"{label}: only {side}: {row}")
            return lines
        for side, rows in sides.items():
            for row in rows[: self.show]:
                lines.append(f"only {side}: {dict(zip(compared, row, strict=True))}")
        return lines


def compare(
    before: Path,
    after: Path,
    spec: Spec | None = None,
    show: int = 5,
    digits: int = 6,
    only: list[str] | None = None,
) -> Report:
    """Compare every mart of two DuckDB files; see the module's doc."""
    comparison = Comparison(Path(before), Path(after), spec or Spec(), show, digits)
    try:
        return comparison.run(only)
    finally:
        comparison.con.close()


def parse_allow(values: list[str]) -> dict[str, str]:
    allow = {}
    for value in values:
        name, sep, reason = value.partition("=")
        if not sep or not name.strip() or not reason.strip():
            raise ValueError(f"--allow {value!r}: give NAME=REASON (a reason is required)")
        allow[name.strip()] = reason.strip()
    return allow


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--spec", type=Path, help="renames, splits, keys and allowances (JSON)")
    parser.add_argument(
        "--allow",
        action="append",
        default=[],
        metavar="NAME=REASON",
        help="a mart or mart.column allowed to differ, with the reason (repeatable)",
    )
    parser.add_argument("--show", type=int, default=5, help="differing rows shown per mart")
    parser.add_argument("--digits", type=int, default=6, help="decimal places of float values")
    parser.add_argument("--mart", action="append", help="compare only these (after names)")
    args = parser.parse_args(argv)
    for path in (args.before, args.after):
        if not path.exists():
            print(f"error: {path} does not exist", file=sys.stderr)
            return 2
    try:
        spec = load_spec(args.spec, parse_allow(args.allow))
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    report = compare(args.before, args.after, spec, args.show, args.digits, args.mart)
    print(report.text())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
