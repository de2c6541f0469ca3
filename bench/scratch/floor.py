"""One of make bench's floor steps, by name, for pairing under a timer (farm-bench --vs).

python -m bench.scratch.floor {bare,as_json,keys,one_read,sha256} EXPORT_DIR [DB]
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench.run import KEYS_SCAN, ONE_READ, ONE_READ_SQL, READ_JSON, READ_JSON_AS_JSON, SHA256

SCRIPTS = {
    "bare": (READ_JSON, []),
    "as_json": (READ_JSON_AS_JSON, []),
    "keys": (KEYS_SCAN, []),
    "one_read": (ONE_READ, [ONE_READ_SQL]),
    "sha256": (SHA256, []),
}


def main(argv: list[str]) -> int:
    name, export = argv[0], argv[1]
    db = Path(argv[2] if len(argv) > 2 else f"/tmp/floor-{name}.duckdb")
    for p in db.parent.glob(db.name + "*"):
        p.unlink()
    script, extra = SCRIPTS[name]
    sys.argv = ["floor", export, str(db), *extra]
    exec(compile(script, name, "exec"), {})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
