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


# read_json hands each JSON column over as minified JSON text, and a JSON null as SQL NULL (like
# a missing key). So a value's JSON kind shows in its text, without parsing it again as
# json_type() does: a string starts with a quote, a boolean is true or false. On the 18 string
# columns that is about 6 % less CPU for a load (bench/scratch/fastpath.py, checked_cheap).


def absent(name: str) -> str:
    """The key is missing or null."""
    return f'"{name}" is null'


def not_of_kind(name: str, json_types: tuple[str, ...]) -> str:
    """A present value is not of the accepted JSON kind."""
    q = f'"{name}"'
    if json_types == ("VARCHAR",):
        return f"not starts_with({q}::varchar, '\"')"
    if json_types == ("BOOLEAN",):
        return f"{q}::varchar not in ('true', 'false')"
    return f"json_type({q}) not in ({', '.join(sql_text(t) for t in json_types)})"


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
        cases.append(f"when {not_of_kind(name, json_types)} then {self.fail(name, problem)}")
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
