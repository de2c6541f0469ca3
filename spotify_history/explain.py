"""Print every stream behind a top-list number, and why it counted or not.

    python -m spotify_history.explain --artist NAME [--track NAME] [--listener NAME] [--db PATH] [--debug]

One line per raw row of that artist (and track): when it ended, how long it played, which
export, file and row it came from, and whether it counted — if not, why: too short, not a
music track, excluded by rule N, replaced by a higher-ranked export, or an exact duplicate.
Names match trimmed and in any case, as Spotify wrote them or as merged. Read-only.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import duckdb

from spotify_history.cli import add_common_arguments, not_built, open_read_only, run_tool
from spotify_history.display import format_table

KEPT = """
select
    s.ended_at, s.ms_played, s.export_id, f.path, s.row_number,
    case
        when s.is_counted_play then 'counted'
        when s.is_excluded then 'excluded by rule ' || s.excluded_by_rule_id
            || coalesce(' (' || x.reason || ')', '')
        when s.content_type != 'track' then 'not a music track (' || s.content_type || ')'
        when s.ms_played is null then 'no duration in this format'
        else 'too short to count'
    end as status
from streams as s
join raw.files as f on f.file_id = s.file_id
left join seeds.exclusions as x on x.rule_id = s.excluded_by_rule_id
where {where}
"""

DROPPED = """
select
    a.ended_at, a.ms_played, a.export_id, f.path, a.row_number,
    case a.reason
        when 'overlapped'
            then 'replaced by export ' || split_part(a.overlapped_by_source_id, ':', 1)
            || ' (' || split_part(a.overlapped_by_source_id, ':', 2) || ')'
        else 'exact duplicate (of row ' || d.row_number || ' of ' || df.path || ')'
    end as status
from import_audit as a
join raw.files as f on f.file_id = a.file_id
left join streams as d on d.stream_id = a.duplicate_of_stream_id
left join raw.files as df on df.file_id = d.file_id
where {where}
"""


def name_filter(alias: str, artist: str, track: str | None, listener: str | None, merged: bool):
    """SQL condition and parameters matching the names trimmed and case-insensitively: as
    Spotify wrote them (`original_*`), or, where merges apply, as they count."""
    conditions, params = [], []
    for column, value in (("artist_name", artist), ("track_name", track)):
        if value is None:
            continue
        options = [f"lower({alias}.original_{column}) = lower(trim(?))"]
        if merged:
            options.append(f"lower({alias}.{column}) = lower(trim(?))")
        conditions.append("(" + " or ".join(options) + ")")
        params += [value] * len(options)
    if listener:
        conditions.append(f"{alias}.listener = ?")
        params.append(listener)
    return " and ".join(conditions), params


def explain(db: Path, artist: str, track: str | None, listener: str | None) -> int:
    con = open_read_only(db)
    try:
        kept_where, kept_params = name_filter("s", artist, track, listener, merged=True)
        dropped_where, dropped_params = name_filter("a", artist, track, listener, merged=False)
        rows = con.execute(
            f"select * from ({KEPT.format(where=kept_where)} union all "
            f"{DROPPED.format(where=dropped_where)}) "
            "order by ended_at, export_id, path, row_number",
            kept_params + dropped_params,
        ).fetchall()
    except duckdb.CatalogException:
        raise not_built(db) from None
    finally:
        con.close()
    what = f"{artist} – {track}" if track else artist
    if not rows:
        print(f"No streams of {what}. Names are matched exactly (any case): check the spelling.")
        return 1
    header = ["ended_at (UTC)", "seconds", "export", "file", "row", "counted?"]
    table = [
        (str(ended), None if ms is None else round(ms / 1000), export, path, row, status)
        for ended, ms, export, path, row, status in rows
    ]
    print(format_table(header, table))
    tally = Counter(status.split(" (")[0] for *_, status in rows)
    print(
        f"\n{what}: {len(rows)} raw rows — " + ", ".join(f"{n} {s}" for s, n in tally.most_common())
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--artist", required=True)
    parser.add_argument("--track")
    parser.add_argument("--listener")
    add_common_arguments(parser)
    args = parser.parse_args(argv)
    return run_tool(
        lambda: explain(args.db, args.artist, args.track, args.listener),
        db=args.db,
        debug=args.debug,
    )


if __name__ == "__main__":
    sys.exit(main())
