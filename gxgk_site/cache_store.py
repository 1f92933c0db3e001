"""The build cache: one SQLite file, ``SITE_DIR/.gxgk/cache/store.sqlite3`` (never published, not
committed). This module alone knows what is under ``.gxgk/cache/``; every cache asks it for its
part by name (``PARTS``), and each part is a table of keys and values:

- ``items``: each item file's parsed item and findings, in shards (parse_cache.py);
- ``attachments``: each attachment's extracted text, by digest (attachment_text/cache.py);
- ``templates``: Jinja's compiled templates (render/templates.py);
- ``qr``: the QR code of each page URL (publish/cache.py);
- ``bodies``: each item body's HTML in both scripts, with what its links resolved to
  (publish/cache.py);
- ``manifests``: what the last build wrote into each output folder (publish/manifest.py);
- ``links``: the answers of external links (linkcheck/external.py).

One stamp: a part holds what code of its stamp computed, and its stamp is the code stamp (gxgk's
code and the libraries that shape its output, code_stamp.py) unless ``PARTS`` declares that its
content depends on less: the QR codes depend only on qr.py, the encoder's version and the two
modules that key and keep them (20,000 codes at 10,000 items are not computed again for every
change of gxgk's code). A part made under another stamp is emptied when it is read, never read;
a write that finds another stamp writes nothing (a rendering worker never empties a part that
another build, of other code, has just made its own).

A cache only ever saves time. The store is passed over when it cannot be written (a file where
``.gxgk/cache`` should be, a full disk, a read-only folder) or when a symbolic link stands in
``.gxgk/`` (gxgk never writes through one); a file that is not a database, or not gxgk's, is
removed when it is read and made anew by the next write; a value that cannot be decoded is
missing. Every change is one transaction: a build killed while it writes leaves the store as it
was before that transaction (SQLite rolls back the journal it left). Transactions are not synced
to the disk (a cache is not worth the wait): if a system crash leaves the file corrupt, the next
read removes it. The rendering workers write their QR codes and bodies batch by batch while the
others render; SQLite makes each writer wait for the other (up to a minute).

Files of the previous layout (one file or folder per cache) are removed when the store is opened.
"""

from __future__ import annotations

import contextlib
import fnmatch
import os
import pickle
import shutil
import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from gxgk_site import site_files
from gxgk_site.code_stamp import code_stamp, stamp_of

CACHE_DIR = Path(site_files.WORK_FOLDER) / "cache"
STORE_FILE = "store.sqlite3"
# marks the file as gxgk's store; another layout of the `parts` table needs another number
APPLICATION_ID = int.from_bytes(b"gxk1", "big")
MANY = 2000  # more keys than this: read the whole part rather than key by key
WAIT_SECONDS = 60  # for another process's write to end
# what the previous layout kept in .gxgk/cache/ (with the temporary files of its writes)
PREVIOUS_LAYOUT = ("items-*.pickle", ".items-*.pickle.*", "qr.sqlite3*", "bodies.sqlite3*",
                   "output-*.pickle", ".output-*.pickle.*", "attachments.pickle",
                   ".attachments.pickle.*", "templates", "linkcheck.json", ".linkcheck-*")


class Encoding(Enum):
    """How a part's values are kept (always as bytes: a damaged value is then only missing,
    where SQLite's text would fail the whole read)."""

    PICKLE = "pickle"  # any Python value of gxgk's
    TEXT = "text"  # str, as UTF-8
    BYTES = "bytes"


@dataclass(frozen=True)
class Part:
    """One cache in the store: how its values are kept and what they depend on."""

    encoding: Encoding
    # what its content depends on, when less than all of gxgk's code and libraries (the code
    # stamp): files of the package (relative to it) and distributions, with gxgk's version
    files: tuple[str, ...] | None = None
    distributions: tuple[str, ...] = ()

    def stamp(self) -> str:
        if self.files is None:
            return code_stamp()
        return stamp_of(self.files, self.distributions)


PARTS: dict[str, Part] = {
    "items": Part(Encoding.PICKLE),  # shard number -> {path: (signature, item, findings)}
    "attachments": Part(Encoding.PICKLE),  # digest:suffix -> Extracted
    "templates": Part(Encoding.BYTES),  # Jinja's bucket key -> compiled template
    # "url\ntitle" -> svg: drawn by qr.py with zxing-cpp, keyed by publish/cache.py, kept here
    "qr": Part(Encoding.TEXT, files=("render/qr.py", "publish/cache.py", "cache_store.py"),
               distributions=("zxing-cpp",)),
    "bodies": Part(Encoding.PICKLE),  # "path\ndigest" -> (link answers, html, hant)
    "manifests": Part(Encoding.PICKLE),  # resolved output folder -> Manifest
    # URL -> the JSON of its lasting answer and when it was given (gxgk linkcheck --external)
    "links": Part(Encoding.TEXT, files=("linkcheck/external.py", "cache_store.py")),
}

# a store that fails is passed over: it only saves time
FAILURES = (OSError, sqlite3.Error)
_CORRUPT = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


class _Foreign(Exception):
    """A database that is not gxgk's store (or not a database): it is made anew."""


def _encode(encoding: Encoding, value: Any) -> bytes:
    if encoding is Encoding.PICKLE:
        return pickle.dumps(value, protocol=5)
    if encoding is Encoding.TEXT:
        return str(value).encode("utf-8")
    return bytes(value)


_MISSING = object()


def _decode(encoding: Encoding, raw: Any) -> Any:
    """The value kept as ``raw``, or _MISSING when it cannot be one."""
    if not isinstance(raw, bytes):
        return _MISSING
    if encoding is Encoding.PICKLE:
        try:
            return pickle.loads(raw)
        except Exception:  # whatever unpickling damaged bytes raises: the value is missing
            return _MISSING
    if encoding is Encoding.TEXT:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return _MISSING
    return raw


@dataclass(frozen=True)
class Store:
    """The site's build cache; ``path`` None: nothing is kept (see open)."""

    path: Path | None

    @classmethod
    def open(cls, site_dir: Path) -> Store:
        """The store of the site, or none where a symbolic link stands in .gxgk/ (a write
        could go anywhere). Removes what the previous layout left."""
        if site_files.work_links(site_dir):
            return cls(None)
        folder = site_dir / CACHE_DIR
        _remove_previous_layout(folder)
        return cls(folder / STORE_FILE)

    @classmethod
    def none(cls) -> Store:
        """A store that keeps nothing."""
        return cls(None)

    def read(self, name: str, keys: Collection[str] | None = None) -> dict[str, Any]:
        """The values of the part ``name``: all of them, or those of ``keys`` that it has. A
        part of another stamp is emptied and stamped with this code's."""
        part = PARTS[name]
        rows: list[tuple[str, Any]] = []
        if self.path is not None and self.path.is_file():
            with self._passing_over(), _connected(self.path) as connection:
                rows = _read(connection, name, part.stamp(), keys)
        found = {}
        for key, raw in rows:
            value = _decode(part.encoding, raw)
            if value is not _MISSING:
                found[key] = value
        return found

    def write(self, name: str, values: Mapping[str, Any]) -> None:
        """Keep ``values`` (key -> value) in the part ``name``: in one transaction, and only
        while the part is of this code's stamp (or new)."""
        if values:
            encoding = PARTS[name].encoding
            rows = [(key, _encode(encoding, values[key])) for key in sorted(values)]
            self._change(name, lambda connection: connection.executemany(
                f"INSERT OR REPLACE INTO {name} VALUES (?, ?)", rows))

    def delete(self, name: str, keys: Iterable[str]) -> None:
        """Drop ``keys`` from the part ``name``."""
        gone = [(key,) for key in sorted(keys)]
        if gone:
            self._change(name, lambda connection: connection.executemany(
                f"DELETE FROM {name} WHERE key = ?", gone))

    def keep_only(self, name: str, keys: Collection[str]) -> None:
        """Drop from the part ``name`` every key not in ``keys``."""
        def prune(connection: sqlite3.Connection) -> None:
            kept = set(keys)
            gone = [row for row in connection.execute(f"SELECT key FROM {name}")
                    if row[0] not in kept]
            connection.executemany(f"DELETE FROM {name} WHERE key = ?", gone)

        self._change(name, prune)

    def _change(self, name: str, change: Callable[[sqlite3.Connection], object]) -> None:
        if self.path is None:
            return
        with self._passing_over(), _connected(self.path, create=True) as connection, \
                _transaction(connection, immediate=True):
            stamp = PARTS[name].stamp()
            found = _stamp(connection, name, create=True)
            if found is None:
                _empty_part(connection, name, stamp)
            elif found != stamp:
                return  # made by other code: this is not the place to empty it
            change(connection)

    @contextlib.contextmanager
    def _passing_over(self) -> Iterator[None]:
        """Whatever fails in the block is passed over; a file found not to be a sound store
        of gxgk's is removed."""
        try:
            yield
        except _Foreign:
            self._remove()
        except sqlite3.DatabaseError as exc:
            if (getattr(exc, "sqlite_errorcode", 0) & 0xFF) in _CORRUPT:
                self._remove()
        except FAILURES:
            pass

    def _remove(self) -> None:
        """Remove a store that cannot be used: its journal first (played back into a new file,
        it would corrupt that), then the file. The next write makes it anew."""
        assert self.path is not None
        for suffix in ("-journal", "-wal", "-shm", ""):
            with contextlib.suppress(OSError):
                os.unlink(f"{self.path}{suffix}")


def _text(data: bytes) -> str:
    """A key or stamp; a damaged one (not UTF-8) is then one that nobody asks for."""
    return data.decode("utf-8", "surrogateescape")


@contextlib.contextmanager
def _connected(path: Path, create: bool = False) -> Iterator[sqlite3.Connection]:
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    # transactions are begun and ended here (isolation_level None), never implicitly
    connection = sqlite3.connect(path, timeout=WAIT_SECONDS, isolation_level=None)
    connection.text_factory = _text  # keys and stamps
    try:
        connection.execute("PRAGMA synchronous = OFF")
        yield connection
    finally:
        connection.close()


@contextlib.contextmanager
def _transaction(connection: sqlite3.Connection, immediate: bool) -> Iterator[None]:
    """One transaction; ``immediate`` takes the write lock at once (a transaction that reads
    first and then writes could otherwise fail at once when another process writes)."""
    connection.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
    try:
        yield
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def _stamp(connection: sqlite3.Connection, name: str, create: bool) -> str | None:
    """The stamp of the part ``name``, or None when the store has none; raises _Foreign for a
    database that is not gxgk's store. With ``create`` (in a write transaction), a new store
    is made gxgk's."""
    application = connection.execute("PRAGMA application_id").fetchone()[0]
    if application != APPLICATION_ID:
        if application or connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise _Foreign
        if not create:
            return None
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        connection.execute("CREATE TABLE parts (name TEXT PRIMARY KEY, stamp TEXT NOT NULL)")
    row = connection.execute("SELECT stamp FROM parts WHERE name = ?", (name,)).fetchone()
    return row[0] if row is not None else None


def _empty_part(connection: sqlite3.Connection, name: str, stamp: str) -> None:
    """Make the part ``name`` empty, of ``stamp`` (in a write transaction)."""
    connection.execute(f"DROP TABLE IF EXISTS {name}")
    connection.execute(f"CREATE TABLE {name} (key TEXT PRIMARY KEY, value)")
    connection.execute("INSERT OR REPLACE INTO parts VALUES (?, ?)", (name, stamp))


def _read(connection: sqlite3.Connection, name: str, stamp: str,
          keys: Collection[str] | None) -> list[tuple[str, Any]]:
    """The rows of the part ``name`` (those of ``keys``), when it is of ``stamp``; else the part
    is emptied and stamped (when it has data or another stamp) and there are none."""
    with _transaction(connection, immediate=False):
        found = _stamp(connection, name, create=False)
        if found == stamp:
            if keys is None:
                return list(connection.execute(f"SELECT key, value FROM {name}"))
            if len(keys) < MANY:
                query = f"SELECT key, value FROM {name} WHERE key = ?"
                return [row for key in keys for row in connection.execute(query, (key,))]
            wanted = set(keys)
            return [row for row in connection.execute(f"SELECT key, value FROM {name}")
                    if row[0] in wanted]
    if found is not None:  # made by other code: emptied, never read
        with _transaction(connection, immediate=True):
            if _stamp(connection, name, create=True) != stamp:
                _empty_part(connection, name, stamp)
    return []


def _remove_previous_layout(folder: Path) -> None:
    """Remove the files of the previous layout (a file or folder per cache) from ``folder``
    (never through a link: unlink removes a link itself, rmtree refuses one)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if any(fnmatch.fnmatchcase(name, pattern) for pattern in PREVIOUS_LAYOUT):
            path = folder / name
            with contextlib.suppress(OSError):
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path)
                else:
                    path.unlink()
