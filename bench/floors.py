"""The floors' scripts: what the bench runs, each in its own process, to measure what the
pipeline cannot go below — a bare DuckDB read of the files (b), the same read with every column
as JSON (b'), every row's exact keys (k), both from one read (o), every file's sha256 (h), and
the copy + fsync + swap of a built database (s). Each is a `python -c` script taking the export
folder (and a scratch database) as arguments."""

import json
import re

from spotify_history.formats import KEY_SETS

READ_JSON = """
import duckdb, glob, sys
files = sorted(glob.glob(sys.argv[1] + '/**/*.json', recursive=True))
con = duckdb.connect(sys.argv[2])
con.execute('''create table t as select * from read_json(?, format='array', columns={
 'ts': 'VARCHAR', 'platform': 'VARCHAR', 'ms_played': 'BIGINT', 'conn_country': 'VARCHAR',
 'ip_addr': 'VARCHAR', 'master_metadata_track_name': 'VARCHAR',
 'master_metadata_album_artist_name': 'VARCHAR', 'master_metadata_album_album_name': 'VARCHAR',
 'spotify_track_uri': 'VARCHAR', 'episode_name': 'VARCHAR', 'episode_show_name': 'VARCHAR',
 'spotify_episode_uri': 'VARCHAR', 'audiobook_title': 'VARCHAR', 'audiobook_uri': 'VARCHAR',
 'audiobook_chapter_uri': 'VARCHAR', 'audiobook_chapter_title': 'VARCHAR',
 'reason_start': 'VARCHAR', 'reason_end': 'VARCHAR', 'shuffle': 'BOOLEAN', 'skipped': 'BOOLEAN',
 'offline': 'BOOLEAN', 'offline_timestamp': 'BIGINT', 'incognito_mode': 'BOOLEAN'})''', [files])
con.close()
"""

# (b'): the same files and columns, every one read as JSON, as ingest.py reads them
READ_JSON_AS_JSON = (
    READ_JSON.replace("'VARCHAR'", "'JSON'")
    .replace("'BIGINT'", "'JSON'")
    .replace("'BOOLEAN'", "'JSON'")
)

# (k): what an exact ingest needs beside the values: every row's exact keys (unknown keys are
# kept, never dropped); in today's design a second pass over the files, the query ingest.py runs
KEYS_SCAN = f"""
import duckdb, glob, sys
files = sorted(glob.glob(sys.argv[1] + '/**/*.json', recursive=True))
duckdb.connect().execute({KEY_SETS!r}, [files]).fetchall()
"""

# (o): the same from ONE read: each row's keys and every column as JSON from one pass over the
# bytes (the cheapest single-read design measured; bench/scratch/read_once.py has the others)
ONE_READ_KEYS = re.findall(r"'(\w+)': '(?:VARCHAR|BIGINT|BOOLEAN)'", READ_JSON)
ONE_READ_SQL = (
    "create table t as select file_index, json_keys(json) as keys, unnest(json_transform(json, '"
    + json.dumps(dict.fromkeys(ONE_READ_KEYS, "JSON"))
    + "')) from read_json_objects(?, format = 'array')"
)
ONE_READ = """
import duckdb, glob, sys
files = sorted(glob.glob(sys.argv[1] + '/**/*.json', recursive=True))
con = duckdb.connect(sys.argv[2])
con.execute(sys.argv[3], [files])
con.close()
"""

# (h): every file's sha256 (the manifest; files already loaded are skipped by it)
SHA256 = """
import glob, hashlib, sys
for f in sorted(glob.glob(sys.argv[1] + '/**/*.json', recursive=True)):
    with open(f, 'rb') as handle:
        hashlib.file_digest(handle, 'sha256')
"""

# (s): the wrapper's storage-safety floor: copy the database, fsync it, rename it over the old
COPY_AND_SWAP = """
import os, shutil, sys
db, copy = sys.argv[1], sys.argv[2]
shutil.copyfile(db, copy)
with open(copy, 'rb+') as handle:
    os.fsync(handle.fileno())
os.replace(copy, db)
folder = os.open(os.path.dirname(os.path.abspath(db)), os.O_RDONLY)
os.fsync(folder)
os.close(folder)
"""
