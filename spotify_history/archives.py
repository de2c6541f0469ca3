"""Find the history files in what the person gave: zips, folders, loose JSON files.

Zip members are streamed to files this module names (never to their own paths, so no member
name can write outside the work folder) under caps against zip bombs: a total unzipped size and
a ratio of unzipped to compressed size. Written by hand: the standard library's zipfile has no
such caps, and extracting with a library first and checking after would already have filled the
disk. Each file is hashed while it is read, so it is read once, and files are read on every
core at once (zlib, hashlib and file writes let other threads run meanwhile).
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import zipfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from spotify_history.errors import UserError

ACCOUNT_NAME = re.compile(r"StreamingHistory(?:_(music|podcast|audiobook|video))?(?:_?\d+)?\.json")
EXTENDED_NAME = re.compile(
    r"(?:endsong(?:_\d+)?|endvideo|Streaming_History_(?:Audio|Video)_.*)\.json"
)

CHUNK = 1 << 20
DEFAULT_MAX_UNZIPPED = 4 << 30
MAX_RATIO = 100  # uncompressed : compressed, for members over RATIO_FLOOR bytes
RATIO_FLOOR = 10 << 20
WORKERS = min(4, os.cpu_count() or 1)  # files read at once


@dataclass
class HistoryFile:
    path: str  # inside the export
    local: Path  # where DuckDB reads it
    sha256: str
    bytes: int
    source_kind: str = ""
    format: str = ""
    keys: set[str] = field(default_factory=set)
    unknown_keys: list[str] = field(default_factory=list)
    row_count: int = 0


@dataclass
class Export:
    inputs: list[str]  # base names of what was given
    files: list[HistoryFile] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


# ---- find files ------------------------------------------------------------------------------


def history_kind(name: str) -> str | None:
    base = PurePosixPath(name).name
    if ACCOUNT_NAME.fullmatch(base):
        return "account"
    if EXTENDED_NAME.fullmatch(base):
        return "extended"
    return None


class Reader:
    """Copies or hashes input files into a work folder, enforcing the archive caps."""

    def __init__(self, work: Path, max_unzipped: int) -> None:
        self.work = work
        self.max_unzipped = max_unzipped
        self.unzipped = 0
        self.count = 0
        self.lock = threading.Lock()  # over `unzipped`: members are read at once (in_parallel)

    def from_zip_members(
        self, path: Path, members: list[zipfile.ZipInfo], label: str
    ) -> list[HistoryFile]:
        """The members, each read into its own file in the work folder, in parallel (each
        thread with its own handle on the zip)."""
        # our own names, never the members' paths: no zip-slip whatever a member is called
        locals_ = []
        for _ in members:
            self.count += 1
            locals_.append(self.work / f"member-{self.count}.json")
        handles = threading.local()
        opened: list[zipfile.ZipFile] = []

        def read(job: tuple[zipfile.ZipInfo, Path]) -> HistoryFile:
            if not hasattr(handles, "archive"):
                handles.archive = zipfile.ZipFile(path)  # closed when the zip's export is read
                opened.append(handles.archive)
            return self.from_zip(handles.archive, job[0], label, job[1])

        try:
            return in_parallel(read, zip(members, locals_, strict=True))
        finally:
            for archive in opened:
                archive.close()

    def from_zip(
        self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str, local: Path
    ) -> HistoryFile:
        digest, size = hashlib.sha256(), 0
        with archive.open(info) as src, local.open("wb") as dst:
            while chunk := src.read(CHUNK):
                size += len(chunk)
                with self.lock:
                    self.unzipped += len(chunk)
                    unzipped = self.unzipped
                if unzipped > self.max_unzipped:
                    raise UserError(
                        f"{label}: more than {self.max_unzipped:,} bytes once unzipped; refusing "
                        "(a zip bomb?). Raise the cap with --max-unzipped-bytes if it is real."
                    )
                if size > RATIO_FLOOR and size > MAX_RATIO * max(info.compress_size, 1):
                    raise UserError(
                        f"{label}: {info.filename} unpacks more than {MAX_RATIO}× its size; "
                        "refusing (a zip bomb?)"
                    )
                digest.update(chunk)
                dst.write(chunk)
        return HistoryFile(info.filename, local, digest.hexdigest(), size)

    @staticmethod
    def from_disk(path: Path, label: str) -> HistoryFile:
        digest, size = hashlib.sha256(), 0
        with path.open("rb") as src:
            while chunk := src.read(CHUNK):
                size += len(chunk)
                digest.update(chunk)
        return HistoryFile(label, path, digest.hexdigest(), size)


def in_parallel(work: Callable, jobs: Iterable) -> list:
    """work(job) for every job, WORKERS at a time, results in the jobs' order. On the first
    error (or Ctrl-C) the jobs not started are dropped, the running ones finish, and it is
    raised."""
    pool = ThreadPoolExecutor(max_workers=WORKERS)
    try:
        return list(pool.map(work, jobs))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def find_exports(paths: list[Path], reader: Reader) -> list[Export]:
    """Each zip or folder is an export; loose JSON files together are one more."""
    exports: list[Export] = []
    loose = Export(inputs=[])
    for path in paths:
        if not path.exists():
            raise UserError(f"{path.name}: no such file or folder")
        if path.is_dir():
            exports.append(from_folder(path, reader))
        elif zipfile.is_zipfile(path):
            exports.append(from_zip(path, reader))
        elif path.suffix.lower() == ".json":
            loose.inputs.append(path.name)
            if history_kind(path.name) is None:
                raise UserError(f"{path.name}: not a Spotify streaming-history file name")
            loose.files.append(reader.from_disk(path, path.name))
        else:
            raise UserError(f"{path.name}: not a zip, a folder or a .json file")
    if loose.files:
        exports.append(loose)
    for export in exports:
        if not export.files:
            raise UserError(
                f"{', '.join(export.inputs)}: no streaming-history files inside (looked for "
                "StreamingHistory*.json, endsong*.json, Streaming_History_*.json)"
            )
    return exports


def from_folder(folder: Path, reader: Reader) -> Export:
    export = Export(inputs=[folder.name])
    found: list[tuple[Path, str]] = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            path = Path(root) / name
            label = path.relative_to(folder).as_posix()
            if history_kind(name) and path.is_file():
                found.append((path, label))
            else:
                export.ignored.append(label)
    export.files = in_parallel(lambda job: reader.from_disk(*job), found)
    return export


def from_zip(path: Path, reader: Reader) -> Export:
    export = Export(inputs=[path.name])
    try:
        members = []
        with zipfile.ZipFile(path) as archive:
            for info in sorted(archive.infolist(), key=lambda i: i.filename):
                if info.is_dir():
                    continue
                if history_kind(info.filename):
                    members.append(info)
                else:
                    export.ignored.append(info.filename)
        export.files = reader.from_zip_members(path, members, path.name)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise UserError(f"{path.name}: unreadable zip ({exc})") from exc
    return export
