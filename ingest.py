"""Load Spotify listening-history exports into DuckDB, losslessly, with a load manifest.

    python ingest.py [--db PATH] [--listener NAME] [--keep-personal-data] [--quiet] [--debug]
                     [--max-unzipped-bytes N] [--wait SECONDS] EXPORT...

EXPORT is a zip as Spotify sent it, an unzipped folder, or loose JSON files: each zip or folder
is one export; the loose files given in one call together form one export. Give several exports
oldest download first. History files are found by name anywhere inside; their format is then
confirmed from their keys. Every field of every row lands in `raw.account_history` or
`raw.extended_history` with its export, file and row number; `raw.exports` and `raw.files`
record what was loaded. A file already loaded for the listener is not loaded twice.

Safety: the run writes a copy of the database and replaces the original only when everything
succeeded, so an error or a kill at any moment leaves the database as it was. Zip members are
streamed to files this program names (never to their own paths) under caps against zip bombs.
IP addresses, user agents and the username are dropped unless --keep-personal-data.
"""

from __future__ import annotations

import sys

from spotify_history.ingest_cli import main

if __name__ == "__main__":
    sys.exit(main())
