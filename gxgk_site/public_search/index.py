"""The public search index: Pagefind over a search-only record of each public item.

Each public item becomes a record (never a page of the output): its content is the search
representation (see ``public_search.representation``) of its title, its text and the text of the
attachments it links (attachment_text/: a hit in a file leads to the item), and its title,
date, column and readable text travel as Pagefind metadata, in both scripts, for the results
page to show; the filters
(column, year, kind, validity) are words appended to the content (see ``filter_token``); sort:
date. Pagefind, in service mode (service.py), numbers the records in the order they are sent:
the same site gives the same bundle, byte for byte, on any machine. The bundles are written to
``pagefind/`` and ``pagefind-older/`` in the output. Only public items have records, so nothing
else can be indexed.

The Traditional mirror searches the same index: ``search/t2s.json`` maps the Traditional
characters of the site's own text (aligned with its OpenCC s2t conversion) back to Simplified,
and the mirror's search page converts the query with it.
"""

from __future__ import annotations

import json
import threading
from collections import Counter, defaultdict
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from gxgk_site import workers
from gxgk_site.loader import PARALLEL_THRESHOLD
from gxgk_site.public_search.representation import (
    SEPARATOR,
    filter_token,
    plain_text,
    represent,
)
from gxgk_site.public_search.service import Service, ServiceFailed
from gxgk_site.publish.output import write_file
from gxgk_site.publish.public import ItemView, PublicSite
from gxgk_site.render.traditional import to_traditional

BUNDLE = "pagefind"  # the newer half of the items (the primary bundle the page loads)
OLDER_BUNDLE = "pagefind-older"  # the older half, merged into it in the browser
BUNDLES = (BUNDLE, OLDER_BUNDLE)
T2S_MAP = "search/t2s.json"
S2T_MAP = "search/s2t.json"
EXCERPT_SOURCE = 2000  # characters of readable text kept for excerpts (not for matching)
Record = dict[str, Any]  # what Pagefind's AddRecord takes: url, content, meta, sort


class SearchIndexFailed(Exception):
    """Pagefind could not build the index; the message has its output."""


def newer_count(items: int) -> int:
    """How many of the public items (newest first) go in the primary bundle; the rest go in
    the older one. Two Pagefind runs of half the items each need half the memory of one run
    (2 GB at 10,000 items). The page merges the older bundle into the primary (mergeIndex:
    one wasm, loaded once) so that the primary's results come first and each bundle's in its
    own date order: newest first (see _write_bottom and search.js)."""
    return (items + 1) // 2


def search_filters(view: ItemView) -> dict[str, str]:
    """The filter values of an item: column, year of publication, kind, validity."""
    filters = {"column": view.column.name, "year": str(view.published.year),
               "kind": view.item.kind or "其他"}
    if view.item.validity:
        filters["validity"] = view.item.validity
    return filters


def _record(view: ItemView, attached: str, aligned: Counter[tuple[str, str]]) -> Record:
    """The search record of one item, with the text of its attachments (``attached``, found
    but never shown); count its (simplified, traditional) characters."""
    assert view.url is not None
    item = view.item
    text = plain_text(item.body)
    hant_title, hant_text = to_traditional(item.title), to_traditional(text)  # for the maps
    for simplified, traditional in ((item.title, hant_title), (text, hant_text),
                                    (attached, to_traditional(attached))):
        if len(simplified) == len(traditional):  # s2t is one character for one here
            aligned.update(zip(simplified, traditional, strict=True))  # counted in C
    filters = search_filters(view)
    return {
        "url": "/" + view.url,
        # ASCII letters and digits only: Pagefind keeps each word whole
        "content": represent("\n".join(filter(None, (item.title, text, attached)))) + " "
        + " ".join(filter_token(key, value) for key, value in sorted(filters.items())),
        # the excerpt source in Simplified only: the mirror maps it with s2t.json
        "meta": {"title": item.title, "title_hant": hant_title,
                 "date": view.published.isoformat(), "column": view.column.name,
                 "column_hant": to_traditional(view.column.name),
                 "text": text[:EXCERPT_SOURCE]},
        "sort": {"date": view.published.isoformat()},
    }


# In the primary bundle: a record older than every item that no query finds (its only word is
# the separator, which search.js never sends). Sorted by date, Pagefind scores a bundle's pages
# by their rank in it, the oldest 0; with this record at the bottom every item of the primary
# scores at least 1, above the older bundle's items (merged with weight 1e-6 in search.js), so
# the merged results are newest first across both bundles.
BOTTOM: Record = {"url": "/__bottom.html", "content": SEPARATOR, "meta": {},
                  "sort": {"date": "0000-00-00"}}


def _records(shared: tuple[Sequence[ItemView], Mapping[str, str]],
             bounds: tuple[int, int]) -> tuple[list[Record], Counter[tuple[str, str]]]:
    views, attached = shared
    aligned: Counter[tuple[str, str]] = Counter()
    return [_record(views[index], attached.get(views[index].item.path, ""), aligned)
            for index in range(*bounds)], aligned


def make_records(public: PublicSite, attached: Mapping[str, str] | None = None,
                 jobs: int | None = None,
                 ) -> tuple[list[Record], dict[str, str], dict[str, str]]:
    """The record of each public item, newest first (on every core for a large site), with the
    text of its attachments (``attached``: item path -> text; a hit there finds the item), and
    the Traditional -> Simplified and Simplified -> Traditional character maps of the site's
    own text."""
    views = public.items
    jobs = jobs or workers.default_jobs()
    if len(views) < PARALLEL_THRESHOLD:
        jobs = 1
    size = -(-len(views) // (jobs * 4)) if views else 1
    ranges = [(start, min(start + size, len(views))) for start in range(0, len(views), size)]
    records: list[Record] = []
    aligned: Counter[tuple[str, str]] = Counter()  # (simplified, traditional) character pairs
    texts = attached or {}
    for part, counted in workers.run(_records, ranges, lambda: (views, texts), jobs):
        records += part
        aligned.update(counted)  # in order: the same counts, the same ties
    pairs: dict[str, Counter[str]] = defaultdict(Counter)
    inverse: dict[str, Counter[str]] = defaultdict(Counter)
    for (s, t), count in aligned.items():
        if s != t:
            pairs[t][s] += count
            inverse[s][t] += count

    def most_common(table: dict[str, Counter[str]]) -> dict[str, str]:
        return {key: counts.most_common(1)[0][0] for key, counts in sorted(table.items())}

    return records, most_common(pairs), most_common(inverse)


def bundles_of(items: list[ItemView]) -> dict[str, list[ItemView]]:
    """The items of each bundle (see newer_count); the older one only when it has items."""
    newer = newer_count(len(items))
    parts = {BUNDLE: items[:newer], OLDER_BUNDLE: items[newer:]}
    return {name: views for name, views in parts.items() if views or name == BUNDLE}


class SearchIndexer:
    """Makes the records and the character maps, then has Pagefind index each bundle in turn
    (one at a time: that is the point of two bundles), in the background while pages are
    rendered. With ``only``, Pagefind indexes those bundles alone (an update keeps the others as
    they are); the maps come from every item still."""

    def __init__(self, public: PublicSite, out_dir: Path, only: Collection[str] | None = None,
                 attached: Mapping[str, str] | None = None) -> None:
        records, t2s, s2t = make_records(public, attached)
        (out_dir / T2S_MAP).parent.mkdir(parents=True, exist_ok=True)
        for name, table in ((T2S_MAP, t2s), (S2T_MAP, s2t)):
            write_file(out_dir / name, json.dumps(table, ensure_ascii=False,
                                                  sort_keys=True).encode("utf-8"))
        newer = newer_count(len(records))
        parts = {BUNDLE: records[:newer] + ([BOTTOM] if newer < len(records) else []),
                 OLDER_BUNDLE: records[newer:]}
        self.bundles = [(name, parts[name]) for name in bundles_of(public.items)
                        if only is None or name in only]
        self.out_dir = out_dir
        self.service: Service | None = None
        self.problem: str | None = None
        self.failed_write: OSError | None = None  # a file of the bundle that cannot be written
        self.stopped = False
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            for name, records in self.bundles:
                with self.lock:
                    if self.stopped:
                        return
                    self.service = Service()  # this thread waits for it (children.py)
                with self.service as pagefind:
                    index = pagefind.new_index()
                    pagefind.add_records(index, records)
                    pagefind.write_files(index, self.out_dir / name)
        except ServiceFailed as exc:
            self.problem = str(exc)
        except OSError as exc:  # raised by finish, where every other write failure is
            self.failed_write = exc

    def finish(self) -> None:
        self.thread.join()
        if self.failed_write is not None:
            raise self.failed_write
        if self.problem is not None:
            raise SearchIndexFailed(self.problem)

    def abandon(self) -> None:
        with self.lock:
            self.stopped = True
            if self.service is not None:
                self.service.kill()
        self.thread.join()
