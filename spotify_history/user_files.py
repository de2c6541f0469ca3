"""Your settings and rules: four CSV files that git does not track, so `git pull` never touches
them. dbt reads them as its seeds (dbt_project.yml: `seed-paths`), in every command alike.

    python -m spotify_history.user_files

- `my/settings.csv`, `my/exclusions.csv`, `my/track_merges.csv`, `my/timezones.csv` are yours
  (`$SPOTIFY_SETTINGS_DIR` names another folder in the project, relative to it).
- `seeds/*.csv` are the committed examples: the columns (and, for settings, the keys) with no
  rows of anyone's. A missing file of yours is created from its example.
- Upgrades: before this layout, your rules were the tracked `seeds/*.csv` themselves. Those files
  stay tracked and unchanged, so a `git pull` never conflicts with rows you added to them; when
  your own copy does not exist yet it is created from that file, rows included. Rows found in
  `seeds/` that your copy lacks are named, with what to do, every time (a rule edited in the
  wrong place would otherwise be ignored without a word).
"""

from __future__ import annotations

import csv
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from spotify_history.cli import run_tool
from spotify_history.errors import UserError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "seeds"
NAMES = ("settings", "exclusions", "track_merges", "timezones")
DEFAULT_DIR = "my"


def settings_dir() -> Path:
    """The folder dbt reads your files from: $SPOTIFY_SETTINGS_DIR, else `my`: a folder in the
    project, given relative to it (dbt_project.yml refuses others: dbt would write its compiled
    SQL over an absolute path's CSV files)."""
    given = os.environ.get("SPOTIFY_SETTINGS_DIR", DEFAULT_DIR)
    if Path(given).is_absolute() or ".." in given:
        raise UserError(
            f"SPOTIFY_SETTINGS_DIR={given}: give a folder inside the project, relative to it "
            "(e.g. my or settings/work); dbt would write over the files of any other"
        )
    return ROOT / given


def filled_rows(path: Path) -> list[tuple[str, ...]]:
    """The rows of a CSV that hold something of someone's: for settings a row with a value, for
    the rules any row with a value in any column. The examples have none (a test keeps it so)."""
    with path.open(newline="", encoding="utf-8") as f:
        rows = [tuple(cell.strip() for cell in row) for row in csv.reader(f)][1:]
    first_value = 1 if path.stem == "settings" else 0
    return [row for row in rows if any(row[first_value:])]


@dataclass
class Report:
    created: list[Path]  # from the example, nothing of yours in it
    carried_over: list[tuple[Path, int]]  # from an edited seeds/*.csv: (your file, rows)
    left_behind: list[tuple[Path, Path, int]]  # (seeds/ file, your file, rows only in seeds/)

    def lines(self) -> list[str]:
        out = [f"created {rel(p)} from the example in seeds/" for p in self.created]
        out += [
            f"your {n} row(s) of seeds/{p.name} are now in {rel(p)}, which git does not track; "
            f"edit that file from now on (`git checkout seeds/{p.name}` restores the example)"
            for p, n in self.carried_over
        ]
        out += [
            f"warning: {rel(old)} has {n} row(s) that {rel(mine)} does not: only {rel(mine)} is "
            f"read. Copy the rows you want into it, then `git checkout {rel(old)}`"
            for old, mine, n in self.left_behind
        ]
        return out


def rel(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def ensure_user_files(folder: Path | None = None, examples: Path = EXAMPLES) -> Report:
    """Create each missing file of yours from its example (rows of yours in an edited example
    included), and find rows left in the examples that your files lack."""
    folder = folder or settings_dir()
    report = Report([], [], [])
    if folder.resolve() == examples.resolve():  # the tests build on the examples themselves
        return report
    folder.mkdir(parents=True, exist_ok=True)
    for name in NAMES:
        example, mine = examples / f"{name}.csv", folder / f"{name}.csv"
        if not mine.exists():
            shutil.copyfile(example, mine)
            rows = len(filled_rows(mine))
            if rows:
                report.carried_over.append((mine, rows))
            else:
                report.created.append(mine)
            continue
        missing = set(filled_rows(example)) - set(filled_rows(mine))
        if missing:
            report.left_behind.append((example, mine, len(missing)))
    return report


def announce(report: Report) -> None:
    for line in report.lines():
        print(line, file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    del argv  # no options
    return run_tool(lambda: announce(ensure_user_files()), db=Path(DEFAULT_DIR))


if __name__ == "__main__":
    sys.exit(main())
