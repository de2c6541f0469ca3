"""Write dbt's documentation site of the project as ONE HTML file that works offline: the lineage
graph, every model, column, test and macro with its description, and each column's type as the
database holds it.

    python -m spotify_history.docs [--db PATH] [--out FILE] [--debug]

The file goes next to the database, named after it (spotify.duckdb → spotify-docs.html), unless
--out names another; the last line printed says where.

It is `dbt docs generate --static` (dbt's own single-file site, manifest and catalog inside),
run in a temporary folder with the project's profile set to open the database READ-ONLY, so it
runs beside the DuckDB CLI, a BI tool or a build and never changes the file. Three things in dbt's
page would reach outside the file, and are rewritten (hand-written because no option of dbt's
does it; tests/test_docs.py opens the result in Chromium and fails on any request or console
error):
- a Content-Security-Policy is added, as in the report: the browser itself refuses any request
  to elsewhere (dbt's page can load a tracking script from the web when anonymous usage
  statistics are on; this project turns them off, the policy makes sure);
- the favicon link points at a file the static page does not have: it becomes an empty icon;
- the sidebar's icons are set through `xlink:href="{{ … }}"`, which the browser tries to load as
  a file before Angular fills it in: it becomes Angular's `ng-attr-xlink:href`.
The file is written under a temporary name and renamed when complete. Errors and Ctrl-C as every
tool (spotify_history.cli.run_tool).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from spotify_history.cli import add_common_arguments, dbt_executable, missing_database, run_tool
from spotify_history.errors import UserError
from spotify_history.outputs import add_out_argument, out_path, write_atomically

ROOT = Path(__file__).resolve().parent.parent
POLICY = (
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
    "script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:; "
    'font-src data:">'
)
# (what dbt writes, what the offline file says instead)
REWRITES = (
    ("<head>", "<head>" + POLICY),
    (
        """<link rel="shortcut icon" href="${require('./assets/favicons/favicon.ico')}"/>""",
        '<link rel="icon" href="data:,">',
    ),
    ('xlink:href="{{ getIcon(', 'ng-attr-xlink:href="{{ getIcon('),
)


def read_only_profiles(folder: Path) -> Path:
    """A copy of the project's profiles.yml whose DuckDB connection is read-only."""
    profiles = yaml.safe_load((ROOT / "profiles.yml").read_text(encoding="utf-8"))
    for profile in profiles.values():
        for output in profile["outputs"].values():
            if output.get("type") == "duckdb":
                output.setdefault("config_options", {})["access_mode"] = "READ_ONLY"
    (folder / "profiles.yml").write_text(yaml.safe_dump(profiles), encoding="utf-8")
    return folder


def offline(page: str) -> str:
    """dbt's static page with nothing in it that reaches outside the file."""
    for before, after in REWRITES:
        page = page.replace(before, after, 1 if before == "<head>" else -1)
    return page


def generate(db: Path) -> str:
    """dbt's static documentation page for the project, with the catalog of `db`."""
    if not db.is_file():
        raise missing_database(db)
    with tempfile.TemporaryDirectory(prefix="spotify-docs-") as tmp:
        folder = Path(tmp)
        done = subprocess.run(
            [dbt_executable(), "docs", "generate", "--static",
             "--profiles-dir", str(read_only_profiles(folder)),
             "--target-path", str(folder / "target")],
            cwd=ROOT, capture_output=True, text=True, errors="replace",
            env={**os.environ, "SPOTIFY_DB": str(db.resolve()), "DBT_USE_COLORS": "false"},
        )  # fmt: skip
        page = folder / "target" / "static_index.html"
        if done.returncode != 0 or not page.is_file():
            errors = [
                line for line in done.stdout.splitlines() if "Error" in line or "error" in line
            ]
            raise UserError(
                f"dbt docs generate failed on {db}: "
                + (errors[-1].strip() if errors else f"exit code {done.returncode}")
            )
        return offline(page.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser)
    add_out_argument(parser, "docs.html", "HTML file")
    args = parser.parse_args(argv)
    out = out_path(args, "docs.html")

    def run() -> None:
        print(f"dbt docs generate, reading {args.db} read-only…", file=sys.stderr, flush=True)
        write_atomically(out, generate(args.db))
        size = out.stat().st_size / 1e6
        print(f"wrote {out.resolve()} (dbt's documentation and lineage graph, {size:.1f} MB, "
              "works offline)")  # fmt: skip

    return run_tool(run, db=args.db, debug=args.debug)


if __name__ == "__main__":
    sys.exit(main())
