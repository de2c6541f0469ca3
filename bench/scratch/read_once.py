"""Phase-2 prototype (issue 14: ingest ≤ 2.0 × bare read_json at 1M): ways to get every column
as JSON AND every row's exact keys from ONE read of the files, timed against the bare read.

    python -m bench.scratch.read_once EXPORT_DIR [--repeat 3] [--only NAME ...]

Each variant runs in its own process (best of --repeat, wall seconds); not part of make bench.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

COLUMNS = [
    "ts", "username", "platform", "ms_played", "conn_country", "ip_addr_decrypted", "ip_addr",
    "user_agent_decrypted", "master_metadata_track_name", "master_metadata_album_artist_name",
    "master_metadata_album_album_name", "spotify_track_uri", "episode_name", "episode_show_name",
    "spotify_episode_uri", "audiobook_title", "audiobook_uri", "audiobook_chapter_uri",
    "audiobook_chapter_title", "reason_start", "reason_end", "shuffle", "skipped", "offline",
    "offline_timestamp", "incognito_mode",
]  # fmt: skip

PRELUDE = """
import duckdb, glob, hashlib, sys, threading
files = sorted(glob.glob(sys.argv[1] + '/**/*.json', recursive=True))
con = duckdb.connect(sys.argv[2])
con.execute("set preserve_insertion_order = true")
con.execute("set enable_progress_bar = false")
"""
JSON_COLS = "{" + ", ".join(f"'{c}': 'JSON'" for c in COLUMNS) + "}"
TYPED = {"ms_played": "BIGINT", "offline_timestamp": "BIGINT", "shuffle": "BOOLEAN",
         "skipped": "BOOLEAN", "offline": "BOOLEAN", "incognito_mode": "BOOLEAN"}  # fmt: skip
VARCHAR_COLS = "{" + ", ".join(f"'{c}': '{TYPED.get(c, 'VARCHAR')}'" for c in COLUMNS) + "}"
STRUCT = "{" + ", ".join(f'"{c}": "JSON"' for c in COLUMNS) + "}"
PATHS = "[" + ", ".join(f"'$.{c}'" for c in COLUMNS) + "]"

HASH_THREAD = """
def digest():
    for f in files:
        with open(f, 'rb') as h:
            hashlib.file_digest(h, 'sha256')
t = threading.Thread(target=digest); t.start()
"""

VARIANTS = {
    # the floor of the ratio
    "bare": f"""
con.execute("create table t as select * from read_json(?, format='array', columns={VARCHAR_COLS})", [files])
""",
    # every column as JSON (today's load, without checks)
    "as_json": f"""
con.execute("create table t as select * from read_json(?, format='array', columns={JSON_COLS})", [files])
""",
    # today's design: keys in a second pass, then the JSON read
    "keys_then_json": f"""
con.execute("select file_index, json_keys(json), count(*) from read_json_objects(?, format='array') group by all", [files]).fetchall()
con.execute("create table t as select * from read_json(?, format='array', columns={JSON_COLS})", [files])
""",
    # the parts of the second pass: splitting rows, then the keys of each
    "objects_only": """
con.execute("select count(*) from read_json_objects(?, format='array')", [files]).fetchall()
""",
    "keys_only": """
con.execute("select file_index, json_keys(json), count(*) from read_json_objects(?, format='array') group by all", [files]).fetchall()
""",
    # ONE read: each row as one JSON object, its keys and every column from one json_extract
    "objects_extract": f"""
con.execute('''create table t as
    select file_index, json_keys(json) as keys, unnest(json_extract(json, {PATHS}))
    from read_json_objects(?, format='array')''', [files])
""",
    # ONE read of the bytes: keys and a struct of JSON values (two parses of each row)
    "objects_transform": f"""
con.execute('''create table t as
    select file_index, json_keys(json) as keys, unnest(json_transform(json, '{STRUCT}'))
    from read_json_objects(?, format='array')''', [files])
""",
    # ONE read: each row as a MAP(VARCHAR, JSON): keys and values parsed once
    "map_read": """
con.execute('''create table t as
    select filename, map_keys(r) as keys, r
    from read_json(?, format='array', records=false, columns={'r': 'MAP(VARCHAR, JSON)'}, filename=true)''', [files])
""",
    # the JSON read with the sha256 of every file on another thread at the same time
    "as_json_hash_parallel": f"""
{HASH_THREAD}con.execute("create table t as select * from read_json(?, format='array', columns={JSON_COLS})", [files])
t.join()
""",
    "objects_extract_hash_parallel": f"""
{HASH_THREAD}con.execute('''create table t as
    select file_index, json_keys(json) as keys, unnest(json_extract(json, {PATHS}))
    from read_json_objects(?, format='array')''', [files])
t.join()
""",
    "sha256_only": """
for f in files:
    with open(f, 'rb') as h:
        hashlib.file_digest(h, 'sha256')
""",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("export", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", nargs="*")
    args = parser.parse_args(argv)
    db = Path("/tmp/read_once.duckdb")
    names = args.only or list(VARIANTS)
    best: dict[str, float] = {}
    for _ in range(args.repeat):
        for name in names:
            for p in db.parent.glob(db.name + "*"):
                p.unlink()
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-c", PRELUDE + VARIANTS[name], str(args.export), str(db)],
                check=True,
            )
            best[name] = min(best.get(name, 1e9), time.perf_counter() - start)
    bare = best.get("bare")
    for name in names:
        ratio = f"{best[name] / bare:.2f}× bare" if bare else ""
        print(f"{name:32s} {best[name]:6.2f} s  {ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
