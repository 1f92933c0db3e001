"""The public search index: Pagefind over a search-only copy of the public items.

For each public item a small HTML source is written to a scratch folder (never the output): its
body is the search representation (see ``public_search.representation``), and its title, date,
column and readable text travel as Pagefind metadata, in both scripts, for the results page to
show; the filters (column, year, kind, validity) are words appended to the body (see
``filter_token``); sort: date. The Pagefind CLI then writes the bundle
to ``pagefind/`` in the output. Only public items are written, so nothing else can be indexed.

The Traditional mirror searches the same index: ``search/t2s.json`` maps the Traditional
characters of the site's own text (aligned with its OpenCC s2t conversion) back to Simplified,
and the mirror's search page converts the query with it.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections import Counter, defaultdict
from collections.abc import Collection
from pathlib import Path

from gxgk_site import workers
from gxgk_site.children import parent_lifeline
from gxgk_site.loader import PARALLEL_THRESHOLD
from gxgk_site.public_search.representation import (
    SEPARATOR,
    filter_token,
    plain_text,
    represent,
)
from gxgk_site.publish.output import SCRATCH_PREFIX, write_file
from gxgk_site.publish.public import ItemView, PublicSite
from gxgk_site.render.traditional import to_traditional

BUNDLE = "pagefind"  # the newer half of the items (the primary bundle the page loads)
OLDER_BUNDLE = "pagefind-older"  # the older half, merged into it in the browser
BUNDLES = (BUNDLE, OLDER_BUNDLE)
T2S_MAP = "search/t2s.json"
S2T_MAP = "search/s2t.json"
EXCERPT_SOURCE = 2000  # characters of readable text kept for excerpts (not for matching)


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


def _tag(attribute: str, key: str, value: str) -> str:
    return f'<span data-pagefind-{attribute}="{key}:{html.escape(value, quote=True)}"></span>'


def _write_source(view: ItemView, folder: Path, aligned: Counter[tuple[str, str]]) -> None:
    """Write the search source of one item; count its (simplified, traditional) characters."""
    assert view.url is not None
    item = view.item
    text = plain_text(item.body)
    hant_title, hant_text = to_traditional(item.title), to_traditional(text)  # for the maps
    for simplified, traditional in ((item.title, hant_title), (text, hant_text)):
        if len(simplified) == len(traditional):  # s2t is one character for one here
            aligned.update(zip(simplified, traditional, strict=True))  # counted in C
    # the excerpt source in Simplified only: the mirror maps it with s2t.json
    meta = {"title": item.title, "title_hant": hant_title, "date": view.published.isoformat(),
            "column": view.column.name, "column_hant": to_traditional(view.column.name),
            "text": text[:EXCERPT_SOURCE]}
    filters = search_filters(view)
    path = folder / view.url
    path.parent.mkdir(parents=True, exist_ok=True)
    write_file(path, (
        '<!DOCTYPE html><html lang="zh"><body><main data-pagefind-body>'
        + "".join(_tag("meta", key, value) for key, value in meta.items())
        + _tag("sort", "date", view.published.isoformat())
        + f"<p>{represent(item.title + chr(10) + text)} "  # ASCII letters and digits only
        + " ".join(filter_token(key, value) for key, value in sorted(filters.items()))
        + "</p>"
        + "</main></body></html>").encode("utf-8"))


BOTTOM = "__bottom.html"  # in the primary bundle: see _write_bottom


def _write_bottom(folder: Path) -> None:
    """A page older than every item, in the primary bundle, that no query finds (its only word
    is the separator, which search.js never sends). Sorted by date, Pagefind scores a bundle's
    pages by their rank in it, the oldest 0; with this page at the bottom every item of the
    primary scores at least 1, above the older bundle's items (merged with weight 1e-6 in
    search.js), so the merged results are newest first across both bundles."""
    folder.mkdir(parents=True, exist_ok=True)
    write_file(folder / BOTTOM, (
        '<!DOCTYPE html><html lang="zh"><body><main data-pagefind-body>'
        + _tag("sort", "date", "0000-00-00") + f"<p>{SEPARATOR}</p></main></body></html>"
    ).encode("utf-8"))


def _bundle_of(index: int, total: int) -> str:
    return BUNDLE if index < newer_count(total) else OLDER_BUNDLE


def _write_range(target: tuple[list[ItemView], Path],
                 bounds: tuple[int, int]) -> Counter[tuple[str, str]]:
    views, folder = target
    aligned: Counter[tuple[str, str]] = Counter()
    for index in range(bounds[0], bounds[1]):
        _write_source(views[index], folder / _bundle_of(index, len(views)), aligned)
    return aligned


def write_sources(public: PublicSite, folder: Path,
                  jobs: int | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """Write one search source per public item (on every core for a large site), under
    ``folder/<bundle>/`` (see newer_count); return the Traditional -> Simplified and
    Simplified -> Traditional character maps of the site's own text."""
    views = public.items
    jobs = jobs or workers.default_jobs()
    if len(views) < PARALLEL_THRESHOLD:
        jobs = 1
    size = -(-len(views) // (jobs * 4)) if views else 1
    ranges = [(start, min(start + size, len(views))) for start in range(0, len(views), size)]
    aligned: Counter[tuple[str, str]] = Counter()  # (simplified, traditional) character pairs
    for part in workers.run(_write_range, ranges, lambda: (views, folder), jobs):
        aligned.update(part)  # in order: the same counts, the same ties
    if newer_count(len(views)) < len(views):
        _write_bottom(folder / BUNDLE)
    pairs: dict[str, Counter[str]] = defaultdict(Counter)
    inverse: dict[str, Counter[str]] = defaultdict(Counter)
    for (s, t), count in aligned.items():
        if s != t:
            pairs[t][s] += count
            inverse[s][t] += count

    def most_common(table: dict[str, Counter[str]]) -> dict[str, str]:
        return {key: counts.most_common(1)[0][0] for key, counts in sorted(table.items())}

    return most_common(pairs), most_common(inverse)


SHARED_MEMORY = Path("/dev/shm")


def _scratch_parent(public: PublicSite, out_dir: Path) -> Path:
    """Where the sources go: a memory file system when there is one with room (writing 10,000
    small files costs 5-15 s on some disks, a fraction of a second in memory), else the
    temporary output (removed before it is swapped in)."""
    needed = 64 * 1024 * 1024 + 16 * 1024 * len(public.items)
    try:
        stat = os.statvfs(SHARED_MEMORY)
        if stat.f_bavail * stat.f_frsize > 4 * needed and os.access(SHARED_MEMORY, os.W_OK):
            return SHARED_MEMORY
    except OSError:
        pass
    return out_dir


# Pagefind's allocator (jemalloc) keeps freed pages for reuse; returning them at once lowers its
# peak memory at 10,000 items from 2.09 to 1.82 GB, at no cost in time and the same output.
ALLOCATOR = "dirty_decay_ms:0,muzzy_decay_ms:0"


def _remove_orphans(parent: Path) -> None:
    """Remove the sources a killed build left in shared memory (its process is gone)."""
    for folder in parent.glob(f"{SCRATCH_PREFIX}*"):
        pid = folder.name[len(SCRATCH_PREFIX):].partition("-")[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(folder, ignore_errors=True)


def bundles_of(items: list[ItemView]) -> dict[str, list[ItemView]]:
    """The items of each bundle (see newer_count); the older one only when it has items."""
    newer = newer_count(len(items))
    parts = {BUNDLE: items[:newer], OLDER_BUNDLE: items[newer:]}
    return {name: views for name, views in parts.items() if views or name == BUNDLE}


def _ended(returncode: int) -> str:
    if returncode < 0:
        with contextlib.suppress(ValueError):
            name = signal.Signals(-returncode).name
            return f"was killed by {name}" + (" (a file larger than the limit set with "
                                              "ulimit -f)" if name == "SIGXFSZ" else "")
    return f"exited with {returncode}"


class SearchIndexer:
    """Writes the sources, then runs Pagefind on each bundle in turn (one at a time: that is
    the point of two bundles), in the background while pages are rendered. With ``only``,
    Pagefind runs on those bundles alone (an incremental build keeps the others as they are);
    all sources are written still, since the character maps come from every item."""

    def __init__(self, public: PublicSite, out_dir: Path,
                 only: Collection[str] | None = None) -> None:
        parent = _scratch_parent(public, out_dir)
        _remove_orphans(parent)
        self.scratch = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-",
                                             dir=parent))
        try:
            t2s, s2t = write_sources(public, self.scratch)
            (out_dir / T2S_MAP).parent.mkdir(parents=True, exist_ok=True)
            for name, table in ((T2S_MAP, t2s), (S2T_MAP, s2t)):
                write_file(out_dir / name, json.dumps(table, ensure_ascii=False,
                                                      sort_keys=True).encode("utf-8"))
            (self.scratch / BUNDLE).mkdir(exist_ok=True)  # no public item: an empty bundle
        except BaseException:  # e.g. a full disk: the sources must not stay behind
            shutil.rmtree(self.scratch, ignore_errors=True)
            raise
        self.bundles = [name for name in bundles_of(public.items)
                        if only is None or name in only]
        self.out_dir = out_dir
        self.process: subprocess.Popen[str] | None = None
        self.problem: str | None = None
        self.stopped = False
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        for name in self.bundles:
            with self.lock:
                if self.stopped:
                    return
                try:
                    self.process = subprocess.Popen(
                        [sys.executable, "-m", "pagefind", "--site", str(self.scratch / name),
                         "--output-path", str(self.out_dir / name), "--force-language", "zh",
                         "--quiet"],
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                        env={**os.environ, "_RJEM_MALLOC_CONF": ALLOCATOR},
                        preexec_fn=parent_lifeline())  # this thread waits for it (children.py)
                except OSError as exc:  # e.g. no memory left to start it
                    self.problem = f"pagefind could not be started: {exc}"
                    return
            output, _ = self.process.communicate()
            if self.process.returncode != 0:
                self.problem = (f"pagefind {_ended(self.process.returncode)} on {name}: "
                                f"{output.strip()[-2000:]}")
                return

    def finish(self) -> None:
        try:
            self.thread.join()
            if self.problem is not None:
                raise SearchIndexFailed(self.problem)
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)

    def abandon(self) -> None:
        with self.lock:
            self.stopped = True
            if self.process is not None and self.process.poll() is None:
                self.process.kill()
        self.thread.join()
        shutil.rmtree(self.scratch, ignore_errors=True)
