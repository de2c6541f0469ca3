"""Progress bars on stderr (tqdm), shown only on a terminal: ingest counts rows, build counts
dbt's nodes. Piped or quiet runs show nothing here; the tools print their summaries."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from tqdm import tqdm


@contextmanager
def progress_bar(enabled: bool, unit: str, desc: str) -> Iterator[tqdm]:
    """A bar whose total is set (and raised) as the work becomes known; closed, and its line
    cleared, on the way out."""
    bar = tqdm(
        total=0, unit=unit, desc=desc, disable=not enabled, file=sys.stderr, leave=False,
        dynamic_ncols=True, unit_scale=unit == " rows",
    )  # fmt: skip
    try:
        yield bar
    finally:
        bar.close()
