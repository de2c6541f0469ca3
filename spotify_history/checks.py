"""SQL that types each raw column and stops the load on the first value that does not fit."""

from __future__ import annotations

from spotify_history.archives import HistoryFile
from spotify_history.columns import BOOLEANS, INTEGERS, PERSONAL, TIME_FORMATS


def sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class Checks:
    """SQL that types one raw column and stops the load, naming file, row and field, on the
    first value that does not fit its format (DuckDB's error() inside the insert)."""

    MARKER = "bad value: "

    def __init__(self, files: list[HistoryFile]) -> None:
        self.kind = files[0].source_kind
        self.paths = (
            "([" + ", ".join(sql_text(f.path) for f in files) + "])[file_index::bigint + 1]"
        )
        time_variant = [str(i) for i, f in enumerate(files) if f.format == "account_time"]
        self.no_duration = f"file_index in ({', '.join(time_variant)})" if time_variant else "false"

    def fail(self, name: str, problem: str, show_value: bool = True) -> str:
        value = f"coalesce(' (' || {sql_text(chr(39))} || left(\"{name}\"::varchar, 40) || {sql_text(chr(39))} || ')', '')"
        return (
            f"error({sql_text(self.MARKER)} || {self.paths} || ': row ' || row_number || "
            + sql_text(f': field "{name}": {problem}')
            + (f" || {value}" if show_value else "")
            + ")"
        )

    def column(self, name: str, keep_personal: bool) -> str:
        """Every column is read as JSON, so its JSON type can be checked before it is typed:
        read_json with typed columns would silently turn "12" or 1.5 into 12 or 2."""
        q = f'"{name}"'
        absent = f"coalesce(json_type({q}), 'NULL') = 'NULL'"
        text = f"({q} ->> '$')"
        if name in TIME_FORMATS:
            fmt = TIME_FORMATS[name]
            if self.kind == "extended":
                missing = absent
            else:
                other = '"time"' if name == "endTime" else '"endTime"'
                missing = f"{absent} and coalesce(json_type({other}), 'NULL') = 'NULL'"
            problem = "not a time in the format " + fmt.replace("%", "")
            return (
                f"case when {missing} then {self.fail(name, 'missing', False)} "
                f"when {absent} then null "
                f"when json_type({q}) != 'VARCHAR' then {self.fail(name, problem)} "
                f"else coalesce(try_strptime({text}, '{fmt}'), {self.fail(name, problem)}) "
                f"end as {q}"
            )
        if name in INTEGERS:
            required = name in ("ms_played", "msPlayed")
            missing = (
                f"when {absent} and not ({self.no_duration}) then {self.fail(name, 'missing', False)} "
                if required
                else ""
            )
            negative = (
                f"when {q}::varchar like '-%' then {self.fail(name, 'negative')} "
                if required
                else ""
            )
            return (
                f"case {missing}when {absent} then null "
                f"when json_type({q}) not in ('UBIGINT', 'BIGINT') then {self.fail(name, 'not an integer')} "
                f"{negative}else {q}::varchar::bigint end as {q}"
            )
        if name in BOOLEANS:
            return (
                f"case when {absent} then null "
                f"when json_type({q}) != 'BOOLEAN' then {self.fail(name, 'not true, false or null')} "
                f"else {q}::varchar::boolean end as {q}"
            )
        if name in PERSONAL and not keep_personal:
            return f"null::varchar as {q}"
        return (
            f"case when {absent} then null "
            f"when json_type({q}) != 'VARCHAR' then {self.fail(name, 'not a string or null')} "
            f"else {text} end as {q}"
        )


def list_literal(values: list[int]) -> str:
    return "([" + ", ".join(str(v) for v in values) + "]::bigint[])"
