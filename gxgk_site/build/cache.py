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
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Collection, Sequence
from importlib import metadata
from pathlib import Path

from gxgk_site import __version__, qr
from gxgk_site.build.manifest import LinkAnswers
from gxgk_site.code_stamp import code_stamp
from gxgk_site.parse_cache import CACHE_DIR

# the codes depend on the encoder and on how qr.py draws them (the mask, the SVG), nothing else
_STAMP = (f"gxgk {__version__}; zxing-cpp {metadata.version('zxing-cpp')}; qr.py "
          + hashlib.blake2b(Path(qr.__file__).read_bytes(), digest_size=8).hexdigest())

QrKey = tuple[str, str]  # (url, title)
# what the links of a body resolved to, its HTML, and that HTML in Traditional Chinese
Body = tuple[LinkAnswers, str, str]
MANY = 2000  # more keys than this: read the whole table rather than key by key


def _open(site_dir: Path, name: str, table: str, columns: str, stamp: str) -> sqlite3.Connection:
    folder = site_dir / CACHE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(folder / f"{name}.sqlite3")
    connection.execute("CREATE TABLE IF NOT EXISTS meta (stamp TEXT)")
    stamps = [row[0] for row in connection.execute("SELECT stamp FROM meta")]
    if stamps != [stamp]:  # made by other code: its table may even have other columns
        with connection:
            connection.execute(f"DROP TABLE IF EXISTS {table}")
            connection.execute("DELETE FROM meta")
            connection.execute("INSERT INTO meta VALUES (?)", (stamp,))
        connection.execute("VACUUM")  # give the old table's space back
    connection.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")
    return connection


def _connect(site_dir: Path) -> sqlite3.Connection:
    return _open(site_dir, "qr", "qr", "url TEXT, title TEXT, svg TEXT, PRIMARY KEY (url, title)",
                 _STAMP)


def load_qr(site_dir: Path, keys: Sequence[QrKey] | None = None) -> dict[QrKey, str]:
    """The cached codes: all of them, or only those of ``keys`` (an incremental build needs a
    few of the tens of thousands, and reading them all costs 0.2 s)."""
    try:
        connection = _connect(site_dir)
        try:
            if keys is not None and len(keys) < MANY:
                query = "SELECT url, title, svg FROM qr WHERE url = ? AND title = ?"
                return {(url, title): svg for key in keys
                        for url, title, svg in connection.execute(query, key)}
            return {(url, title): svg for url, title, svg
                    in connection.execute("SELECT url, title, svg FROM qr")}
        finally:
            connection.close()
    except (OSError, sqlite3.Error):
        return {}


def save_qr(site_dir: Path, new: dict[QrKey, str]) -> None:
    if not new:
        return
    try:
        connection = _connect(site_dir)
        try:
            with connection:
                connection.executemany("INSERT OR REPLACE INTO qr VALUES (?, ?, ?)",
                                       [(url, title, svg) for (url, title), svg in new.items()])
        finally:
            connection.close()
    except (OSError, sqlite3.Error):
        pass


def body_key(path: str, digest: str) -> str:
    return f"{path}\n{digest}"


def _bodies(site_dir: Path) -> sqlite3.Connection:
    return _open(site_dir, "bodies", "body",
                 "key TEXT PRIMARY KEY, answers TEXT, html TEXT, hant TEXT", code_stamp())


def load_bodies(site_dir: Path, keys: Collection[str]) -> dict[str, Body]:
    """The cached bodies of these keys (see body_key) that there are."""
    def body(answers: str, html: str, hant: str) -> Body:
        return tuple((target, answer) for target, answer in json.loads(answers)), html, hant

    try:
        connection = _bodies(site_dir)
        try:
            if len(keys) < MANY:
                query = "SELECT key, answers, html, hant FROM body WHERE key = ?"
                return {row[0]: body(*row[1:]) for wanted in keys
                        for row in connection.execute(query, (wanted,))}
            wanted = set(keys)
            return {row[0]: body(*row[1:]) for row
                    in connection.execute("SELECT key, answers, html, hant FROM body")
                    if row[0] in wanted}
        finally:
            connection.close()
    except (OSError, sqlite3.Error, ValueError):
        return {}


def save_bodies(site_dir: Path, new: dict[str, Body], current: Collection[str]) -> None:
    """Add the bodies rendered by this build; drop those of items no longer ``current``."""
    if not new:
        return
    try:
        connection = _bodies(site_dir)
        try:
            with connection:
                connection.executemany(
                    "INSERT OR REPLACE INTO body VALUES (?, ?, ?, ?)",
                    [(key, json.dumps(answers, ensure_ascii=False), html, hant)
                     for key, (answers, html, hant) in sorted(new.items())])
                connection.execute("CREATE TEMP TABLE current (key TEXT PRIMARY KEY)")
                connection.executemany("INSERT OR IGNORE INTO current VALUES (?)",
                                       [(key,) for key in current])
                connection.execute("DELETE FROM body WHERE key NOT IN (SELECT key FROM current)")
        finally:
            connection.close()
    except (OSError, sqlite3.Error):
        pass
