"""The build cache, outside the output (``SITE_DIR/.gxgk/cache/``): what is costly to compute and
never changes for the same input. A cache that cannot be read or written is ignored: it only
ever saves time. Each is an SQLite file with a stamp; a file with another stamp is emptied.

QR codes: an item's URL never changes, so its code is computed once and reused by every later
build. Keyed by what the SVG depends on; stamped with the encoder's version and qr.py.

Item bodies: markdown-it is a third of the CPU time of rendering the pages, and converting the
bodies to Traditional most of OpenCC's. A body's HTML depends on the item file (its path and
digest) and on what each of its links resolved to, so the HTML in both scripts is kept with
those answers and reused when every link still resolves the same way (render.py checks).
Stamped with the code stamp (gxgk and its Markdown and OpenCC libraries); the bodies of items
that are gone are dropped whenever new ones are saved.

The rendering workers add what they compute themselves, batch by batch, while the other worker
renders: a cold build of 10,000 items computes about 120 MB of codes and bodies, which would
otherwise be sent to the parent and then written there after the pages, on one core. The build
opens each file before the workers start, so the stamp is settled when they write; a worker
that finds another stamp writes nothing. Writes are not synced to the disk (a cache is not worth
the wait): if a system crash leaves a file corrupt, the next build starts it again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from collections.abc import Collection, Iterator, Sequence
from importlib import metadata
from pathlib import Path

from gxgk_site import __version__
from gxgk_site.code_stamp import code_stamp
from gxgk_site.parse_cache import CACHE_DIR
from gxgk_site.publish.manifest import LinkAnswers
from gxgk_site.render import qr

# the codes depend on the encoder and on how qr.py draws them (the mask, the SVG), nothing else
_STAMP = (f"gxgk {__version__}; zxing-cpp {metadata.version('zxing-cpp')}; qr.py "
          + hashlib.blake2b(Path(qr.__file__).read_bytes(), digest_size=8).hexdigest())

QrKey = tuple[str, str]  # (url, title)
# what the links of a body resolved to, its HTML, and that HTML in Traditional Chinese
Body = tuple[LinkAnswers, str, str]
MANY = 2000  # more keys than this: read the whole table rather than key by key


class _OtherStamp(Exception):
    """The file was made by other code and this connection may not empty it."""


# a cache that fails is passed over: it only saves time
FAILURES = (OSError, sqlite3.Error, _OtherStamp)
_CORRUPT = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def _connect(path: Path, reset: bool) -> sqlite3.Connection:
    """A connection to ``path``; with ``reset``, a file that is not a sound database is removed
    and made again."""
    connection = sqlite3.connect(path, timeout=60)  # the other worker may be writing
    try:
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("CREATE TABLE IF NOT EXISTS meta (stamp TEXT)")
    except sqlite3.DatabaseError as exc:
        connection.close()
        if not reset or (exc.sqlite_errorcode & 0xFF) not in _CORRUPT:
            raise
        path.unlink()
        return _connect(path, reset=False)
    return connection


@contextlib.contextmanager
def _table(site_dir: Path, name: str, table: str, columns: str, stamp: str,
           reset: bool = True) -> Iterator[sqlite3.Connection]:
    """A connection to the cache file ``name`` whose ``table`` holds what code of ``stamp``
    computed, closed afterwards. Without ``reset`` (in the workers), a file of another stamp
    raises _OtherStamp instead of being emptied."""
    folder = site_dir / CACHE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    connection = _connect(folder / f"{name}.sqlite3", reset)
    try:
        stamps = [row[0] for row in connection.execute("SELECT stamp FROM meta")]
        if stamps != [stamp]:  # made by other code: its table may even have other columns
            if not reset:
                raise _OtherStamp(name)
            with connection:
                connection.execute(f"DROP TABLE IF EXISTS {table}")
                connection.execute("DELETE FROM meta")
                connection.execute("INSERT INTO meta VALUES (?)", (stamp,))
            connection.execute("VACUUM")  # give the old table's space back
        connection.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")
        yield connection
    finally:
        connection.close()


def _qr_table(site_dir: Path,
              reset: bool = True) -> contextlib.AbstractContextManager[sqlite3.Connection]:
    return _table(site_dir, "qr", "qr", "url TEXT, title TEXT, svg TEXT, PRIMARY KEY (url, title)",
                  _STAMP, reset)


def load_qr(site_dir: Path, keys: Sequence[QrKey] | None = None) -> dict[QrKey, str]:
    """The cached codes: all of them, or only those of ``keys`` (an incremental build needs a
    few of the tens of thousands, and reading them all costs 0.2 s)."""
    found: dict[QrKey, str] = {}
    with contextlib.suppress(*FAILURES), _qr_table(site_dir) as connection:
        if keys is not None and len(keys) < MANY:
            query = "SELECT url, title, svg FROM qr WHERE url = ? AND title = ?"
            found = {(url, title): svg for key in keys
                     for url, title, svg in connection.execute(query, key)}
        else:
            found = {(url, title): svg for url, title, svg
                     in connection.execute("SELECT url, title, svg FROM qr")}
    return found


def add_qr(site_dir: Path, new: dict[QrKey, str]) -> None:
    """Add codes computed by a worker (see the module's docstring)."""
    if not new:
        return
    with contextlib.suppress(*FAILURES), _qr_table(site_dir, reset=False) as connection, \
            connection:
        connection.executemany("INSERT OR REPLACE INTO qr VALUES (?, ?, ?)",
                               [(url, title, svg) for (url, title), svg in new.items()])


def body_key(path: str, digest: str) -> str:
    return f"{path}\n{digest}"


def _body_table(site_dir: Path,
                reset: bool = True) -> contextlib.AbstractContextManager[sqlite3.Connection]:
    return _table(site_dir, "bodies", "body",
                  "key TEXT PRIMARY KEY, answers TEXT, html TEXT, hant TEXT", code_stamp(), reset)


def load_bodies(site_dir: Path, keys: Collection[str]) -> dict[str, Body]:
    """The cached bodies of these keys (see body_key) that there are."""
    def body(answers: str, html: str, hant: str) -> Body:
        return tuple((target, answer) for target, answer in json.loads(answers)), html, hant

    found: dict[str, Body] = {}
    with contextlib.suppress(*FAILURES, ValueError), _body_table(site_dir) as connection:
        if len(keys) < MANY:
            query = "SELECT key, answers, html, hant FROM body WHERE key = ?"
            found = {row[0]: body(*row[1:]) for wanted in keys
                     for row in connection.execute(query, (wanted,))}
        else:
            wanted = set(keys)
            found = {row[0]: body(*row[1:]) for row
                     in connection.execute("SELECT key, answers, html, hant FROM body")
                     if row[0] in wanted}
    return found


def add_bodies(site_dir: Path, new: dict[str, Body]) -> None:
    """Add bodies rendered by a worker (see the module's docstring)."""
    if not new:
        return
    with contextlib.suppress(*FAILURES), _body_table(site_dir, reset=False) as connection, \
            connection:
        connection.executemany(
            "INSERT OR REPLACE INTO body VALUES (?, ?, ?, ?)",
            [(key, json.dumps(answers, ensure_ascii=False), html, hant)
             for key, (answers, html, hant) in sorted(new.items())])


def keep_bodies(site_dir: Path, current: Collection[str]) -> None:
    """Drop the bodies of items no longer ``current``."""
    with contextlib.suppress(*FAILURES), _body_table(site_dir) as connection, connection:
        connection.execute("CREATE TEMP TABLE current (key TEXT PRIMARY KEY)")
        connection.executemany("INSERT OR IGNORE INTO current VALUES (?)",
                               [(key,) for key in current])
        connection.execute("DELETE FROM body WHERE key NOT IN (SELECT key FROM current)")
