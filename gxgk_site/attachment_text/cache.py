"""The attachment text cache (the build cache's part ``attachments``, see cache_store.py): each
attachment's extracted text, by the digest of its bytes (and its suffix, which says how it was
read).

A renamed or copied file is found again by its bytes; an edited one is read again. A value that
is not an extraction result is not used. Entries no attachment of the site uses any more are
dropped when it is saved (not by the editors' search, which reads a part of the items at a time).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gxgk_site.attachment_text.extract import Extracted, Status
from gxgk_site.cache_store import Store

PART = "attachments"


def _valid(value: object) -> bool:
    return (isinstance(value, Extracted) and isinstance(value.status, Status)
            and isinstance(value.text, str) and isinstance(value.parts, tuple))


@dataclass
class TextCache:
    store: Store = field(default_factory=Store.none)  # Store.none(): nothing is kept
    entries: dict[str, Extracted] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    new: dict[str, Extracted] = field(default_factory=dict)  # put by this run
    prune: bool = True  # drop the entries this run did not use (the editors' search keeps them)

    @classmethod
    def open(cls, store: Store | None, prune: bool = True) -> TextCache:
        if store is None:
            return cls()
        entries = {key: value for key, value in store.read(PART).items() if _valid(value)}
        return cls(store, entries, prune=prune)

    def get(self, key: str) -> Extracted | None:
        found = self.entries.get(key)
        if found is not None:
            self.used.add(key)
        return found

    def put(self, key: str, extracted: Extracted) -> None:
        self.entries[key] = self.new[key] = extracted
        self.used.add(key)

    def save(self) -> None:
        """Keep the new entries, and drop those this run did not use (with ``prune``)."""
        self.store.write(PART, self.new)
        self.new = {}
        if self.prune and self.used != set(self.entries):
            self.store.keep_only(PART, self.used)
            self.entries = {key: self.entries[key] for key in self.used}
