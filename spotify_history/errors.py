"""The one error type of every tool, and how a library error is said in one line."""

from __future__ import annotations

import re


class UserError(Exception):
    """A problem the person can fix (bad input, a missing database, a busy file): printed as
    one line on stderr, exit code 2."""


def first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def duck_message(exc: Exception) -> str:
    """DuckDB's error without its file path (a temporary name) and hints."""
    text = str(exc).split("\n")[0]
    text = re.sub(r' in file "[^"]*"', "", text)
    return re.sub(r"^[A-Za-z ]+Error: ", "", text)


def lock_holder(exc: Exception) -> str | None:
    """The program holding a DuckDB file, from DuckDB's lock error: "/usr/bin/duckdb (PID 123)"."""
    found = re.search(r"Conflicting lock is held in (.+?) \(PID (\d+)\)", str(exc))
    return f"{found[1]} (PID {found[2]})" if found else None
