"""The attachment text cache (``SITE_DIR/.gxgk/cache/attachments.pickle``): each attachment's
extracted text, by the digest of its bytes (and its suffix, which says how it was read).

A renamed or copied file is found again by its bytes; an edited one is read again. The cache is
stamped with the code stamp and the extraction version: one made by other code, damaged, or
holding anything but extraction results is dropped and made again, never trusted. Entries no
attachment of the site uses any more are dropped when it is saved. A cache that cannot be read
or written only costs time.
"""

from __future__ import annotations

import contextlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from gxgk_site.attachment_text.extract import EXTRACTION_VERSION, Extracted, Status
from gxgk_site.code_stamp import code_stamp
from gxgk_site.parse_cache import CACHE_DIR, UNREADABLE

CACHE_FILE = "attachments.pickle"


def _stamp() -> str:
    return f"{code_stamp()}:{EXTRACTION_VERSION}"


def _valid(entries: object) -> bool:
    return isinstance(entries, dict) and all(
        isinstance(key, str) and isinstance(value, Extracted) and isinstance(value.status, Status)
        and isinstance(value.text, str) and isinstance(value.parts, tuple)
        for key, value in entries.items())


@dataclass
class TextCache:
    path: Path | None  # None: nothing is kept (no cache for this run)
    entries: dict[str, Extracted] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    changed: bool = False
    prune: bool = True  # drop the entries this run did not use (the editors' search keeps them)

    @classmethod
    def open(cls, site_dir: Path | None, prune: bool = True) -> TextCache:
        if site_dir is None:
            return cls(None)
        cache = cls(site_dir / CACHE_DIR / CACHE_FILE, prune=prune)
        try:
            with open(cache.path, "rb") as handle:
                stamp, entries = pickle.load(handle)
        except (*UNREADABLE, KeyError, IndexError, MemoryError, RecursionError):
            return cache
        except Exception:  # whatever else unpickling foreign bytes raises: made again
            return cache
        if stamp == _stamp() and _valid(entries):
            cache.entries = entries
        return cache

    def get(self, key: str) -> Extracted | None:
        found = self.entries.get(key)
        if found is not None:
            self.used.add(key)
        return found

    def put(self, key: str, extracted: Extracted) -> None:
        self.entries[key] = extracted
        self.used.add(key)
        self.changed = True

    def save(self) -> None:
        """Write the entries used in this run (when any changed or went unused)."""
        if self.path is None:
            return
        if not self.changed and (not self.prune or self.used == set(self.entries)):
            return
        kept = {key: self.entries[key] for key in sorted(self.used if self.prune
                                                          else self.entries)}
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(temporary, "wb") as handle:
                pickle.dump((_stamp(), kept), handle, protocol=5)
            os.replace(temporary, self.path)
        except OSError:  # a cache that cannot be written only costs time
            with contextlib.suppress(OSError):
                temporary.unlink()
