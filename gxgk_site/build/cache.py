"""The build cache, outside the output (``SITE_DIR/.gxgk/cache/``): what is costly to compute and
never changes for the same input.

QR codes: an item's URL never changes, so its code is computed once and reused by every later
build (at 10,000 items the codes are a third of a clean build's CPU time). The cache is an SQLite
file keyed by what the SVG depends on; a cache from another version of gxgk or of the encoder is
dropped. A cache that cannot be read or written is ignored: it only ever saves time.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

from gxgk_site import __version__, qr

CACHE_DIR = Path(".gxgk") / "cache"
# the codes depend on the encoder and on how qr.py draws them (the mask, the SVG), nothing else
_STAMP = (f"gxgk {__version__}; zxing-cpp {metadata.version('zxing-cpp')}; qr.py "
          + hashlib.blake2b(Path(qr.__file__).read_bytes(), digest_size=8).hexdigest())

QrKey = tuple[str, str]  # (url, title)


def _connect(site_dir: Path) -> sqlite3.Connection:
    folder = site_dir / CACHE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(folder / "qr.sqlite3")
    connection.execute("CREATE TABLE IF NOT EXISTS meta (stamp TEXT)")
    connection.execute("CREATE TABLE IF NOT EXISTS qr (url TEXT, title TEXT, svg TEXT, "
                       "PRIMARY KEY (url, title))")
    stamps = [row[0] for row in connection.execute("SELECT stamp FROM meta")]
    if stamps != [_STAMP]:
        with connection:
            connection.execute("DELETE FROM qr")
            connection.execute("DELETE FROM meta")
            connection.execute("INSERT INTO meta VALUES (?)", (_STAMP,))
    return connection


def load_qr(site_dir: Path, keys: Sequence[QrKey] | None = None) -> dict[QrKey, str]:
    """The cached codes: all of them, or only those of ``keys`` (an incremental build needs a
    few of the tens of thousands, and reading them all costs 0.2 s)."""
    try:
        connection = _connect(site_dir)
        try:
            if keys is not None and len(keys) < 2000:
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
