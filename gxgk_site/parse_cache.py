"""The parse cache (the build cache's part ``items``, see cache_store.py): each item file's parsed
item and findings, reused while the file is unchanged.

Reading YAML is most of the cost of loading a site (about 3 s at 10,000 items). A file is taken
from the cache only when its size, modification and change times and inode are those it had when
it was parsed; an entry is stored only for a file whose modification time is more than
``RACY_SECONDS`` older than the moment the load began, so an edit made in the same clock tick as
the read (some file systems count time in 2 s steps) can never be mistaken for the cached
version. Entries are spread over a few shards, each one value of the store, so that an edit
rewrites one small shard (and reading 32 values is faster than reading 10,000).
"""

from __future__ import annotations

import os
import time
import zlib
from dataclasses import dataclass, field

from gxgk_site.cache_store import Store
from gxgk_site.findings import Finding
from gxgk_site.model import Item

PART = "items"
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
    store: Store
    started_ns: int = field(default_factory=time.time_ns)
    shards: list[dict[str, Entry]] = field(default_factory=lambda: [{} for _ in range(SHARDS)])
    dirty: set[int] = field(default_factory=set)

    @classmethod
    def open(cls, store: Store) -> ParseCache:
        cache = cls(store)
        saved = store.read(PART)
        for number in range(SHARDS):
            entries = saved.get(str(number))
            if isinstance(entries, dict):
                cache.shards[number] = entries
            else:
                cache.dirty.add(number)
        return cache

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
        if self.dirty:
            self.store.write(PART, {str(number): self.shards[number] for number in self.dirty})
            self.dirty.clear()
