"""A dbt-duckdb plugin (profiles.yml) for a plain `dbt build` on a database another program holds.

DuckDB lets one process write a file, or several read it. A DuckDB CLI or BI tool with the file
open makes dbt's connection fail; dbt-duckdb's own retries slept 1, 2, 4… 32 s per attempt and
dbt reconnected for node after node, so a plain `dbt build` printed nothing for ten minutes and
more (measured). With this plugin dbt waits at most `wait_seconds` (profiles.yml) for the file,
then stops with one line naming the program and its PID (from DuckDB's lock error) and what to
do instead: `make build` builds a copy and swaps it in, so readers can stay open.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import duckdb
from dbt.adapters.duckdb.plugins import BasePlugin
from dbt_common.exceptions import DbtRuntimeError

from spotify_history.errors import lock_holder


class Plugin(BasePlugin):
    def initialize(self, plugin_config: dict[str, Any]) -> None:
        self.wait_seconds = float(plugin_config.get("wait_seconds", 10))
        self.gave_up: str | None = None  # once given up, every later connection fails at once

    def update_connection_config(self, creds: Any, config: dict[str, Any]) -> None:
        path = Path(creds.path)
        if self.gave_up or not path.is_file():
            if self.gave_up:
                raise DbtRuntimeError(self.gave_up)
            return
        deadline = time.monotonic() + self.wait_seconds
        while True:
            try:
                duckdb.connect(str(path), config=config).close()
                return
            except duckdb.IOException as exc:
                holder = lock_holder(exc)
                if holder is None:
                    raise
                if time.monotonic() >= deadline:
                    self.gave_up = (
                        f"{path.name} is open in {holder}, and a plain `dbt build` writes the "
                        f"file itself: gave up after waiting {self.wait_seconds:g} s. Run "
                        f"`make build` instead (it builds a copy and swaps it in, so read-only "
                        f"sessions can stay open), or close that program and run dbt again."
                    )
                    raise DbtRuntimeError(self.gave_up) from None
                time.sleep(0.25)
