"""spotify-history's Python: small modules with one job each, shared by the tools.

Why this layout: each module answers one question, so a newcomer finds a thing by what it does,
and a tool never reaches into another tool (what two tools need lives in a shared module).

Loading (`python ingest.py …`, the thin entry point at the repository root):
- `archives`   — find history files in zips, folders and loose files, under the zip caps
- `formats`    — tell each file's format from its name and keys; refuse what is not history
- `columns`    — the raw tables: every key of each kind of file, its type, and the DDL
- `checks`     — the SQL that types each column and stops on the first bad value
- `loading`    — read the files with DuckDB's JSON reader into the raw tables, with lineage
- `ingest`     — one run: find → detect → load → record the load in the manifest
- `ingest_cli` — the ingest command line; `progress` — what it shows while loading

Shared by the tools:
- `errors`     — the one error type (`UserError`) and one-line messages
- `storage`    — storage safety for ingest and build: the lock, the private copy, the swap
- `cli`        — the `--db` argument and opening the built database read-only
- `outputs`    — where outputs go (next to the database) and writing a file atomically
- `display`    — aligned text tables for the terminal

The tools, each run as `python -m spotify_history.<tool>` (see the Makefile):
`build` (the safe `dbt build`), `top`, `explain`, `export`, `report`, `docs` (dbt's site as one
offline file), `check_demo_db`.
"""
