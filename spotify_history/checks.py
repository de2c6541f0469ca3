"""The SQL that types each raw column and stops the load on the first value that does not fit,
generated from the column table (columns.py).

Every column is read as JSON, so its JSON type can be checked before it is typed: read_json with
typed columns would silently turn "12" or 1.5 into 12 or 2. A value that does not fit stops the
insert through DuckDB's error(), naming file, row and field.
"""

from __future__ import annotations

from spotify_history.archives import HistoryFile
from spotify_history.columns import ACCEPTS, COLUMNS, Column

MARKER = "bad value: "


def sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def list_literal(values: list[int]) -> str:
    return "([" + ", ".join(str(v) for v in values) + "]::bigint[])"


def absent(name: str) -> str:
    return f"coalesce(json_type(\"{name}\"), 'NULL') = 'NULL'"


class Checks:
    """The select list that types and checks every column of one batch of files of one kind."""

    def __init__(self, files: list[HistoryFile], keep_personal: bool) -> None:
        self.kind = files[0].source_kind
        self.keep_personal = keep_personal
        self.paths = (
            "([" + ", ".join(sql_text(f.path) for f in files) + "])[file_index::bigint + 1]"
        )
        self.formats = [f.format for f in files]

    def select_list(self) -> str:
        return ", ".join(self.column(c) for c in COLUMNS[self.kind])

    def fail(self, name: str, problem: str, show_value: bool = True) -> str:
        quote = sql_text("'")
        value = f"coalesce(' (' || {quote} || left(\"{name}\"::varchar, 40) || {quote} || ')', '')"
        return (
            f"error({sql_text(MARKER)} || {self.paths} || ': row ' || row_number || "
            + sql_text(f': field "{name}": {problem}')
            + (f" || {value}" if show_value else "")
            + ")"
        )

    def missing(self, column: Column) -> str | None:
        """When a row lacks a required key, or None if the key may be missing."""
        rule, _, other = column.required.partition(" ")
        if rule == "yes":
            return absent(column.name)
        if rule == "or":
            return f"{absent(column.name)} and {absent(other)}"
        if rule == "unless":
            exempt = [str(i) for i, fmt in enumerate(self.formats) if fmt == other]
            if not exempt:
                return absent(column.name)
            return f"{absent(column.name)} and file_index not in ({', '.join(exempt)})"
        return None

    def column(self, column: Column) -> str:
        name, q = column.name, f'"{column.name}"'
        if column.personal and not self.keep_personal:
            return f"null::{column.sql_type} as {q}"
        json_types, sql_type, problem = ACCEPTS[column.accepts]
        problem = problem.format(format=column.time_format.replace("%", ""))
        cases = []
        if (missing := self.missing(column)) is not None:
            cases.append(f"when {missing} then {self.fail(name, 'missing', False)}")
        cases.append(f"when {absent(name)} then null")
        accepted = ", ".join(sql_text(t) for t in json_types)
        cases.append(f"when json_type({q}) not in ({accepted}) then {self.fail(name, problem)}")
        if column.non_negative:
            cases.append(f"when {q}::varchar like '-%' then {self.fail(name, 'negative')}")
        if column.accepts == "time":
            value = (
                f"coalesce(try_strptime(({q} ->> '$'), {sql_text(column.time_format)}), "
                f"{self.fail(name, problem)})"
            )
        elif column.accepts == "string":
            value = f"({q} ->> '$')"
        else:
            value = f"{q}::varchar::{sql_type}"
        return f"case {' '.join(cases)} else {value} end as {q}"
