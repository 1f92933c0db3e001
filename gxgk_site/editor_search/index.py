"""The editors' index: every item, public or not, in ``SITE_DIR/.gxgk/search/``, kept current.

Each document stores the state of the file it came from: modification time (ns), size, a content
hash, and the day Git first added the file (its publication date when the front-matter has
none). On every update the files under ``content/`` are compared with those states and only the
files that were added or changed are read and indexed again; those that went away are deleted.
A file whose modification time is too close to when it was read is compared by content, so an
edit in the same clock tick as the indexing is not missed (as Git does with its racy index).

A file that cannot be read as an item is recorded (so it is not read again until it changes)
but never found; ``UpdateReport.unreadable`` lists them.

An item's document also holds the text of the attachments its body links (``attachments``,
searched by default with title and body: a hit leads to the item that links the file), read
with ``attachment_text`` and its cache. The state records those files and their sizes and
modification times, so an item is indexed again when one of its attachments changes.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from whoosh import columns, fields, index
from whoosh.index import LockError

from gxgk_site import site_files
from gxgk_site.attachment_text.cache import TextCache
from gxgk_site.attachment_text.load import extract_texts, item_text, linked_files
from gxgk_site.config import load_config
from gxgk_site.editor_search.fields import DateField, ExactText, as_datetime
from gxgk_site.gitdates import GitHistory, read_history
from gxgk_site.loader import item_files, load_items, resolve_publication
from gxgk_site.model import Item, PublicationSource

INDEX_DIR = Path(".gxgk") / "search"
# Bump when the schema or the analysis changes: an index of another version is rebuilt.
INDEX_NAME = "items_v4"
# A file modified less than this long before it was read is compared by content next time.
RACY_NS = 2_000_000_000
ITEM, UNREADABLE = "item", "unreadable"
# How long to wait for another process updating the index before searching it as it is.
LOCK_WAIT_SECONDS = 30.0
# From this many files to index, whoosh's parallel writer is used (one segment per process);
# below, starting the processes costs more than it saves.
PARALLEL_WRITE_MIN = 1000
MAX_WRITE_PROCS = 4
# Memory for postings before whoosh sorts them to a temporary file (per writing process).
WRITER_MB = 256
# An index of at least this many documents, this share of them deleted, is rebuilt.
COMPACT_MIN_DOCS = 300
COMPACT_SHARE = 1 / 3
# Items loaded and indexed at a time, so that a large site is never all in memory.
LOAD_CHUNK = 1000

FIELD_NAMES = ("title", "body", "attachments", "attribute", "category", "kind", "validity",
               "department", "doc_number", "index_no", "formed", "published")


def make_schema(today: dt.date | None = None) -> fields.Schema:
    """The index's fields; ``today`` is what ``formed:today`` means in a query."""
    return fields.Schema(
        path=fields.ID(stored=True, unique=True, sortable=True),
        entry=fields.ID(),  # ITEM, or UNREADABLE for a file that is not an item (never found)
        state=fields.COLUMN(columns.VarBytesColumn()),  # FileState.encode()
        title=ExactText(stored=True, field_boost=2.0),
        body=ExactText(),
        attachments=ExactText(),  # the text of the files the item links
        attribute=fields.ID(stored=True),
        category=fields.ID(stored=True),
        kind=fields.ID(stored=True),
        validity=fields.ID(stored=True),
        department=ExactText(stored=True),
        doc_number=ExactText(stored=True, split_words=True),
        index_no=ExactText(stored=True, split_words=True),
        formed=DateField(stored=True, today=today),
        published=DateField(stored=True, today=today),
    )


@dataclass(frozen=True, slots=True)
class FileState:
    """What the index knows about the file a document came from (kept in a column, which
    is read for every document on every update, faster than stored fields)."""

    mtime_ns: int
    size: int
    digest: str
    git_added: str  # ISO day Git first added the file, or ""
    read_ns: int  # when the file was read for indexing
    unreadable: bool = False  # not an item: recorded, never found
    # the attachments it links: (path, size, mtime_ns) of each, as when it was indexed
    attachments: tuple[tuple[str, int, int], ...] = ()

    def encode(self) -> bytes:
        linked = json.dumps([list(entry) for entry in self.attachments], separators=(",", ":"))
        return (f"2 {self.mtime_ns} {self.size} {self.digest} {self.git_added or '-'} "
                f"{self.read_ns} {int(self.unreadable)} {linked}").encode("ascii")

    @classmethod
    def decode(cls, data: bytes) -> FileState | None:
        """None for a value this code did not write (the file is then indexed again)."""
        try:
            version, mtime, size, digest, git_added, read_ns, unreadable, linked = data.decode(
                "ascii").split(" ", 7)
            if version != "2":
                return None
            attachments = tuple((str(path), int(length), int(changed))
                                for path, length, changed in json.loads(linked))
            return cls(int(mtime), int(size), digest, "" if git_added == "-" else git_added,
                       int(read_ns), unreadable == "1", attachments)
        except (UnicodeDecodeError, ValueError, TypeError):
            return None


@dataclass
class UpdateReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    unreadable: list[str] = field(default_factory=list)  # every file now in the index unread
    created: bool = False  # the index was (re)built from nothing
    busy: bool = False  # another process held the index: searched as it was
    seconds: float = 0.0

    @property
    def indexed(self) -> int:
        """How many files were read and indexed in this update."""
        return len(self.added) + len(self.changed)


class IndexUnavailable(Exception):
    """The index folder cannot be created or written (the message says where and why)."""


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def open_index(site_dir: Path) -> tuple[index.Index, bool]:
    """The site's index, created (or rebuilt, when unreadable or of another version) if needed."""
    folder = site_dir / INDEX_DIR
    try:
        existing = _open_existing(folder)
        if existing is not None:
            return existing, False
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        return index.create_in(str(folder), make_schema(), indexname=INDEX_NAME), True
    except OSError as exc:
        raise IndexUnavailable(f"cannot write the search index in {folder}: {exc}") from None


def _open_existing(folder: Path) -> index.Index | None:
    """The index in ``folder``; None when there is none, it is damaged or foreign, or when
    deleted documents make up too much of it (whoosh only merges small segments, so the
    versions replaced by edits stay in the large ones until the index is rebuilt)."""
    try:
        if not index.exists_in(str(folder), indexname=INDEX_NAME):
            return None
        ix = index.open_dir(str(folder), indexname=INDEX_NAME)
        with ix.searcher() as searcher:
            everything, live = searcher.doc_count_all(), searcher.doc_count()
    except Exception:  # whatever whoosh raises on a damaged index: it is rebuilt
        return None
    if everything >= COMPACT_MIN_DOCS and everything - live > everything * COMPACT_SHARE:
        return None
    return ix


def _stored_states(ix: index.Index) -> dict[str, FileState | None]:
    """The state of every file in the index, by path."""
    states: dict[str, FileState | None] = {}
    with ix.reader() as reader:
        if reader.doc_count() == 0:
            return states
        paths = list(reader.column_reader("path"))  # whole columns: far faster than by item
        stored = list(reader.column_reader("state"))
        for docnum in reader.all_doc_ids():  # deleted documents left out
            states[paths[docnum]] = FileState.decode(stored[docnum])
    return states


def attachment_states(site_dir: Path, paths: list[str]) -> tuple[tuple[str, int, int], ...]:
    """(path, size, mtime_ns) of each file; a file gone or unreadable as (path, -1, 0)."""
    states = []
    for path in paths:
        try:
            status = os.stat(site_dir / path, follow_symlinks=False)
        except OSError:
            states.append((path, -1, 0))
            continue
        states.append((path, status.st_size, status.st_mtime_ns))
    return tuple(states)


def _unchanged(path: Path, stat_mtime: int, stat_size: int, git_added: str,
               old: FileState | None, site_dir: Path) -> bool:
    if old is None or old.size != stat_size or old.git_added != git_added:
        return False
    if old.attachments and attachment_states(
            site_dir, [entry[0] for entry in old.attachments]) != old.attachments:
        return False
    if old.mtime_ns == stat_mtime and stat_mtime + RACY_NS < old.read_ns:
        return True
    try:  # touched, or edited in the tick it was read: compare the content
        return digest(path.read_bytes()) == old.digest
    except OSError:
        return False


def item_document(item: Item, state: FileState, published: dt.date | None,
                  attachments: str = "") -> dict[str, Any]:
    values: dict[str, Any] = {
        "path": item.path, "entry": ITEM, "state": state.encode(),
        "title": item.title, "body": item.body, "attachments": attachments,
        "attribute": str(item.attribute),
        "category": item.category, "kind": item.kind, "validity": item.validity,
        "department": item.department, "doc_number": item.doc_number,
        "index_no": item.index_no, "formed": as_datetime(item.formed),
        "published": as_datetime(published),
    }
    return {key: value for key, value in values.items() if value not in (None, "")}


def update_index(site_dir: Path, today: dt.date, jobs: int | None = None,
                 ) -> tuple[index.Index, UpdateReport]:
    """Bring the index up to date with ``content/`` and return it with what was done.

    ``jobs`` processes (default: every core) load the items and, for a large batch, write the
    index. Raises ConfigUnavailable without a site.yaml, IndexUnavailable when the index
    cannot be written.
    """
    started = time.perf_counter()
    load_config(site_dir)  # the same refusal as the other commands when there is no site.yaml
    problem = site_files.work_folder_problem(site_dir)
    if problem:
        raise IndexUnavailable(problem)
    ix, created = open_index(site_dir)
    report = UpdateReport(created=created)
    old_states = _stored_states(ix)
    history = read_history(site_dir)
    todo = _scan(site_dir, history, old_states, report)
    if todo or report.removed:
        procs = min(jobs or os.cpu_count() or 1, MAX_WRITE_PROCS)
        parallel = procs > 1 and len(todo) >= PARALLEL_WRITE_MIN
        try:
            _write(ix, site_dir, todo, report, history, today, jobs, procs if parallel else 1)
        except LockError:
            report.busy = True
        else:
            expected = len(old_states) - len(report.removed) + len(report.added)
            if parallel and ix.doc_count() != expected:
                # whoosh's parallel writer drops the work of a process that died: start again
                shutil.rmtree(site_dir / INDEX_DIR)
                return update_index(site_dir, today, jobs=1)
    report.unreadable.sort()
    report.seconds = time.perf_counter() - started
    return ix, report


def _scan(site_dir: Path, history: GitHistory, old_states: dict[str, FileState | None],
          report: UpdateReport) -> list[tuple[Path, FileState]]:
    """The files to index (with their state as read now); fills the report's lists."""
    read_ns = time.time_ns()
    todo: list[tuple[Path, FileState]] = []
    current: set[str] = set()
    for path in item_files(site_dir):
        relative = path.relative_to(site_dir).as_posix()
        current.add(relative)
        try:
            stat = path.stat()
        except OSError:
            continue
        added = history.added(relative)
        git_added = added.isoformat() if added else ""
        old = old_states.get(relative)
        if _unchanged(path, stat.st_mtime_ns, stat.st_size, git_added, old, site_dir):
            report.unchanged += 1
            if old is not None and old.unreadable:
                report.unreadable.append(relative)
            continue
        try:
            content = path.read_bytes()
        except OSError:
            continue
        todo.append((path, FileState(stat.st_mtime_ns, stat.st_size, digest(content),
                                     git_added, read_ns)))
        (report.changed if relative in old_states else report.added).append(relative)
    report.removed = sorted(set(old_states) - current)
    return todo


def _write(ix: index.Index, site_dir: Path, todo: list[tuple[Path, FileState]],
           report: UpdateReport, history: GitHistory, today: dt.date, jobs: int | None,
           procs: int) -> None:
    """Delete the removed files' documents and (re)index ``todo``, in one commit."""
    options: dict[str, Any] = {"timeout": LOCK_WAIT_SECONDS, "limitmb": WRITER_MB}
    if procs > 1:
        options.update(procs=procs, multisegment=True)
    writer = ix.writer(**options)
    # Millions of short-lived postings and no reference cycles: the cyclic collector only
    # costs time here (as in the build).
    collecting = gc.isenabled()
    gc.disable()
    try:
        for relative in report.removed:
            writer.delete_by_term("path", relative)
        write = writer.add_document if report.created else writer.update_document
        regular = set(site_files.listing(site_dir, site_files.CONTENT_DIR).files)
        cache = TextCache.open(site_dir, prune=False)  # the check's entries are kept
        for start in range(0, len(todo), LOAD_CHUNK):  # a chunk's items at a time in memory
            chunk = todo[start:start + LOAD_CHUNK]
            items, _ = load_items(site_dir, [path for path, _ in chunk], jobs)
            by_path = {item.path: item for item in items}
            linked = linked_files(site_dir, items, regular)
            texts = extract_texts(site_dir, [path for files in linked.values()
                                             for _, path in files], jobs, cache)
            for path, state in chunk:
                relative = path.relative_to(site_dir).as_posix()
                item = by_path.get(relative)
                if item is None:
                    report.unreadable.append(relative)
                    write(path=relative, entry=UNREADABLE,
                          state=replace(state, unreadable=True).encode())
                    continue
                publication = resolve_publication(item, history, today)
                published = (None if publication.source is PublicationSource.PENDING
                             else publication.date)
                files = [file for _, file in linked.get(relative, ())]
                indexed = replace(state, attachments=attachment_states(site_dir, files))
                write(**item_document(item, indexed, published,
                                      item_text(texts, linked, relative)))
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    finally:
        if collecting:
            gc.enable()
