"""Which attachments items link, and their text: read in the load step, for the rules.

An item's attachments are the files its body links that would be published
(``links.publishable``, as ``publish/attachments.py`` decides): files under ``content/``,
neither Markdown nor hidden, that exist, and are regular files (never a symbolic link; the
listing of ``content/`` never follows one). Each is read once however many items link it,
through ``site_files.read_bytes``; its text comes from the cache when its bytes are known
(``cache.py``), else it is extracted, on every core when there are many.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path

from gxgk_site import site_files, workers
from gxgk_site.attachment_text.cache import TextCache
from gxgk_site.attachment_text.extract import (
    MAX_FILE_BYTES,
    Extracted,
    Status,
    extract,
    not_scanned,
    scanned_suffix,
)
from gxgk_site.links import body_links, is_relative, publishable, resolve, target_path
from gxgk_site.model import Item, Site

# item path -> (line of the link, site-relative path of the file) of each file it links
Linked = dict[str, tuple[tuple[int, str], ...]]
# Below this many files to extract, starting processes costs more than it saves.
PARALLEL_MIN = 16


def linked_files(site_dir: Path, items: Iterable[Item], regular: Collection[str]) -> Linked:
    """The attachments of each item (those that link any), in the order of their first link;
    ``regular`` is every regular file under content/ (its listing)."""
    found: Linked = {}
    for item in items:
        files: dict[str, int] = {}
        for offset, target in body_links(item.body):
            if not is_relative(target) or target_path(target).endswith(".md"):
                continue  # (a link to another item: never an attachment)
            path, _ = resolve(site_dir, item.path, target)
            if path is not None and path not in files and publishable(path) and path in regular:
                files[path] = item.body_line + offset
        if files:
            found[item.path] = tuple((line, path) for path, line in files.items())
    return found


def _key(name: str, raw: bytes) -> str:
    return f"{Path(name).suffix.lower()}:{hashlib.blake2b(raw, digest_size=16).hexdigest()}"


def _read(site_dir: Path, path: str) -> tuple[bytes | None, Extracted | None]:
    """The file's bytes, or what to report when it cannot be read."""
    try:
        return site_files.read_bytes(site_dir / path, MAX_FILE_BYTES), None
    except site_files.TooLarge as exc:
        return None, Extracted(Status.NOT_SCANNED,
                               f"too large to scan: {exc.size / 2**20:,.0f} MB, more than "
                               f"{MAX_FILE_BYTES // 2**20} MB")
    except OSError as exc:
        return None, Extracted(Status.FAILED, f"cannot read the file: {exc.strerror or exc}")


def _extract_file(site_dir: Path, path: str) -> tuple[str | None, Extracted]:
    """(cache key, text) of one file, read again here (a worker process reads its own)."""
    raw, problem = _read(site_dir, path)
    if raw is None:
        assert problem is not None
        return None, problem
    return _key(path, raw), extract(path, raw)


def _extract_many(site_dir: Path,
                  paths: Sequence[str]) -> list[tuple[str | None, Extracted]]:
    return [_extract_file(site_dir, path) for path in paths]


def _run(site_dir: Path, paths: list[str],
         jobs: int | None) -> list[tuple[str | None, Extracted]]:
    jobs = jobs or workers.default_jobs()
    if len(paths) < PARALLEL_MIN:
        jobs = 1
    parts = workers.run(_extract_many, workers.chunks(paths, jobs), lambda: site_dir, jobs)
    return [pair for part in parts for pair in part]


def extract_texts(site_dir: Path, paths: Iterable[str], jobs: int | None = None,
                  cache: TextCache | None = None) -> dict[str, Extracted]:
    """The text of each file (site-relative paths), from the cache when its bytes are known."""
    cache = cache if cache is not None else TextCache()
    texts: dict[str, Extracted] = {}
    todo: list[str] = []
    for path in sorted(set(paths)):
        if not scanned_suffix(path):
            texts[path] = not_scanned(path)
            continue
        raw, problem = _read(site_dir, path)
        if raw is None:
            assert problem is not None
            texts[path] = problem
            continue
        cached = cache.get(_key(path, raw))
        if cached is not None:
            texts[path] = cached
        else:
            todo.append(path)
    for path, (key, extracted) in zip(todo, _run(site_dir, todo, jobs), strict=True):
        texts[path] = extracted
        if key is not None:
            cache.put(key, extracted)
    cache.save()
    return texts


def item_text(texts: dict[str, Extracted], linked: Linked, item_path: str) -> str:
    """The searchable text of an item's attachments: every scanned one, in link order."""
    return "\n".join(texts[path].text for _, path in linked.get(item_path, ())
                     if path in texts and texts[path].text)


def searchable_text(site: Site, item_path: str) -> str:
    """For the public search: the text of the attachments a 主动公开 item links (what
    gxgk check read, see Site.attachments), to be indexed with the item, so that a hit in a
    file leads to the item that links it. "" when it links none or none could be read."""
    return item_text(site.attachment_texts, site.attachments, item_path)
