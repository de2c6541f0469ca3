"""Load exports into a database: find files → detect each format → load with DuckDB's own JSON
reader → record the load in the manifest (`raw.exports`, `raw.files`), all on a private copy
of the database that replaces the original only when everything succeeded."""

from __future__ import annotations

import argparse
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from tqdm import tqdm

from spotify_history.archives import Export, HistoryFile, Reader, find_exports
from spotify_history.columns import DDL
from spotify_history.formats import check_shape, detect_format, scan_keys
from spotify_history.loading import BATCH_FILES, load_files
from spotify_history.storage import database_lock, durable_replace, private_copy


def ingest(args: argparse.Namespace, progress: tqdm) -> list[dict]:
    db = Path(args.db)
    summaries: list[dict] = []
    with (
        tempfile.TemporaryDirectory(prefix="spotify-ingest-") as work,
        database_lock(db, args.wait),
    ):
        reader = Reader(Path(work), args.max_unzipped_bytes)
        exports = find_exports([Path(p) for p in args.exports], reader)
        with private_copy(db) as copy:
            con = duckdb.connect(str(copy))
            try:
                # No transaction around the load: the private copy is what makes it all or
                # nothing (it replaces the database only after the last statement). Each
                # statement commits on its own, so numbering the rows of a batch updates rows
                # already written; in one long transaction, the commit would write every
                # numbered row a second time.
                con.execute(DDL)
                for export in exports:
                    summaries.append(load_export(con, export, args, progress))
                con.execute("checkpoint")
            finally:
                con.close()
            if any(s["loaded"] for s in summaries):
                durable_replace(copy, db)
    return summaries


def load_export(
    con: duckdb.DuckDBPyConnection, export: Export, args: argparse.Namespace, progress: tqdm
) -> dict:
    export_id = next_id(con, "exports", "export_id")
    first_file_id = next_id(con, "files", "file_id")
    loaded = con.execute(
        "select f.sha256, f.file_id, f.source_kind, f.format, f.row_count, f.first_ended_at, "
        "f.last_ended_at, f.unknown_keys from raw.files as f join raw.exports as e using (export_id) "
        "where e.listener = ? and f.duplicate_of_file_id is null",
        [args.listener],
    ).fetchall()
    seen = {row[0]: row[1:] for row in loaded}
    for file in export.files:
        check_shape(file)
    # a file whose content is already loaded (earlier, or earlier in this export) is not again
    new: dict[str, tuple[int, HistoryFile]] = {}
    for offset, file in enumerate(export.files):
        if file.sha256 not in seen and file.sha256 not in new:
            new[file.sha256] = (first_file_id + offset, file)
    scan_keys(con, [f for _, f in new.values()])
    for _, file in new.values():
        detect_format(file)
    progress.total += sum(f.row_count for _, f in new.values())
    counts: Counter[str] = Counter()  # rows per file format
    for kind in ("account", "extended"):
        batch = [(i, f) for i, f in new.values() if f.source_kind == kind]
        for start in range(0, len(batch), BATCH_FILES):
            chunk = batch[start : start + BATCH_FILES]
            progress.set_postfix_str(chunk[-1][1].path[-40:])
            facts = load_files(
                con,
                [f for _, f in chunk],
                [i for i, _ in chunk],
                export_id,
                args.keep_personal_data,
            )
            for (file_id, file), (first, last) in zip(chunk, facts, strict=True):
                seen[file.sha256] = (file_id, file.source_kind, file.format, file.row_count,
                                     first, last, file.unknown_keys)  # fmt: skip
                counts[file.format] += file.row_count
                progress.update(file.row_count)
    manifest = []
    for offset, file in enumerate(export.files):
        file_id = first_file_id + offset
        original, kind, fmt, n, first, last, unknown = seen[file.sha256]
        manifest.append((file_id, export_id, file.path, file.sha256, file.bytes, kind, fmt, n,
                         first, last, unknown, None if original == file_id else original))  # fmt: skip
    rows_added = sum(f.row_count for _, f in new.values())
    summary = {
        "inputs": export.inputs,
        "files": len(export.files),
        "skipped": len(export.files) - len(new),
        "ignored": len(export.ignored),
        "rows": rows_added,
        "counts": counts,
        "unknown_keys": sorted({k for _, f in new.values() for k in f.unknown_keys}),
        "loaded": bool(new),
        "export_id": export_id,
    }
    if not new:
        return summary
    con.execute(
        "insert into raw.exports values (?, ?, ?, ?, ?, ?, ?)",
        [export_id, args.listener, datetime.now(UTC).replace(tzinfo=None), export.inputs,
         args.keep_personal_data, len(export.files), rows_added],
    )  # fmt: skip
    row = "(" + ", ".join("?" * len(manifest[0])) + ")"  # one statement: one commit
    con.execute(
        f"insert into raw.files values {', '.join([row] * len(manifest))}",
        [value for file_row in manifest for value in file_row],
    )
    summary["span"] = con.execute(
        "select min(first_ended_at), max(last_ended_at) from raw.files where export_id = ?",
        [export_id],
    ).fetchone()
    return summary


def next_id(con: duckdb.DuckDBPyConnection, table: str, column: str) -> int:
    return con.execute(f"select coalesce(max({column}), 0) + 1 from raw.{table}").fetchone()[0]
