"""Progress on stderr while loading: files and rows, only on a terminal and unless --quiet."""

from __future__ import annotations

import sys


class Progress:
    """Files and rows on stderr while loading, only on a terminal and unless --quiet."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.total_rows = 0
        self.done = 0

    def file(self, path: str) -> None:
        self.done += 1
        if self.enabled:
            name = path if len(path) < 60 else "…" + path[-59:]
            print(
                f"\r\033[K[{self.done} files, {self.total_rows:,} rows] {name}",
                end="",
                file=sys.stderr,
            )

    def rows(self, n: int) -> None:
        self.total_rows += n

    def finish(self) -> None:
        if self.enabled:
            print("\r\033[K", end="", file=sys.stderr)
