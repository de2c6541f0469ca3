"""Aligned text tables for the terminal (top lists, explain)."""

from __future__ import annotations

import unicodedata


def display_width(text: str) -> int:
    """Terminal columns of `text`: CJK and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - display_width(text))
    return fill + text if right else text + fill


def format_table(header: list[str], rows: list[tuple]) -> str:
    """Align columns; numbers to the right, text to the left; null shows as an empty cell."""
    cells = [["" if v is None else str(v) for v in row] for row in rows]
    numeric = [
        all(isinstance(row[i], int) for row in rows if row[i] is not None)
        for i in range(len(header))
    ]
    widths = [
        max([display_width(header[i])] + [display_width(row[i]) for row in cells])
        for i in range(len(header))
    ]
    lines = [
        "  ".join(pad(header[i], widths[i], numeric[i]) for i in range(len(header))),
        "  ".join("-" * w for w in widths),
    ]
    lines += [
        "  ".join(pad(row[i], widths[i], numeric[i]) for i in range(len(header))) for row in cells
    ]
    return "\n".join(line.rstrip() for line in lines)
