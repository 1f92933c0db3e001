"""The parse cache (``SITE_DIR/.gxgk/cache/items-NN.pickle``): each item file's parsed item and
findings, reused while the file is unchanged.

Reading YAML is most of the cost of loading a site (about 3 s at 10,000 items). A file is taken
from the cache only when its size, modification and change times and inode are those it had when
it was parsed; an entry is stored only for a file whose modification time is more than
``RACY_SECONDS`` older than the moment the load began, so an edit made in the same clock tick as
the read (some file systems count time in 2 s steps) can never be mistaken for the cached
version. Entries are spread over a few shard files so that an edit rewrites one small shard.
A cache made by another version of gxgk, or one that cannot be read or written, is ignored: it
only ever saves time.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from gxgk_site.code_stamp import code_stamp
from gxgk_site.findings import Finding
from gxgk_site.model import Item

CACHE_DIR = Path(".gxgk") / "cache"  # every cache of a site is under this folder
# what reading a pickle made by other code (or cut short) may raise: the cache is then ignored
UNREADABLE = (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError,
              ImportError)
SHARDS = 32
RACY_SECONDS = 2

Signature = tuple[int, int, int, int]  # (size, mtime_ns, ctime_ns, inode)
Entry = tuple[Signature, Item | None, list[Finding]]


def signature(stat: os.stat_result) -> Signature:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def _shard(path: str) -> int:
    return zlib.crc32(path.encode()) % SHARDS


@dataclass
class ParseCache:
    folder: Path
    started_ns: int = field(default_factory=time.time_ns)
    shards: list[dict[str, Entry]] = field(default_factory=lambda: [{} for _ in range(SHARDS)])
    dirty: set[int] = field(default_factory=set)

    @classmethod
    def open(cls, site_dir: Path) -> ParseCache:
        cache = cls(site_dir / CACHE_DIR)
        stamp = code_stamp()
        for number in range(SHARDS):
            try:
                with open(cache._file(number), "rb") as handle:
                    saved_stamp, entries = pickle.load(handle)
            except UNREADABLE:
                cache.dirty.add(number)
                continue
            if saved_stamp == stamp and isinstance(entries, dict):
                cache.shards[number] = entries
            else:
                cache.dirty.add(number)
        return cache

    def _file(self, number: int) -> Path:
        return self.folder / f"items-{number:02d}.pickle"

    def get(self, path: str, sig: Signature) -> tuple[Item | None, list[Finding]] | None:
        entry = self.shards[_shard(path)].get(path)
        if entry is None or entry[0] != sig:
            return None
        return entry[1], entry[2]

    def put(self, path: str, sig: Signature, item: Item | None,
            findings: list[Finding]) -> None:
        number = _shard(path)
        if sig[1] > self.started_ns - RACY_SECONDS * 1_000_000_000:
            if self.shards[number].pop(path, None) is not None:  # too fresh to trust later
                self.dirty.add(number)
            return
        self.shards[number][path] = (sig, item, findings)
        self.dirty.add(number)

    def keep_only(self, paths: set[str]) -> None:
        """Forget the files that are gone."""
        for number, entries in enumerate(self.shards):
            gone = [path for path in entries if path not in paths]
            for path in gone:
                del entries[path]
            if gone:
                self.dirty.add(number)

    def save(self) -> None:
        if not self.dirty:
            return
        stamp = code_stamp()
        with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
            self.folder.mkdir(parents=True, exist_ok=True)
            for number in sorted(self.dirty):
                target = self._file(number)
                temporary = target.with_name(f".{target.name}.{os.getpid()}")
                try:
                    with open(temporary, "wb") as handle:
                        pickle.dump((stamp, self.shards[number]), handle, protocol=5)
                    os.replace(temporary, target)
                except OSError:  # e.g. a full disk: leave no part of a shard behind
                    with contextlib.suppress(OSError):
                        temporary.unlink()
                    raise
        self.dirty.clear()
