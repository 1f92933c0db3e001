"""Helpers for build tests: build a fixture site, read its output."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import sqlite3
from pathlib import Path

from conftest import CODE, SiteDir

from gxgk_site.cache_store import CACHE_DIR, STORE_FILE
from gxgk_site.publish.build import BuildReport, build_site

ROOT = Path(__file__).resolve().parent.parent  # the repository, with the demo site


def build(site: SiteDir, out: Path | None = None, today: str = "2025-12-31", jobs: int = 1,
          withhold: bool = False, search: bool = False) -> BuildReport:
    """Build in-process; without the search index unless asked (it has tests of its own)."""
    return build_site(site.root, out or site.root / "_site", dt.date.fromisoformat(today),
                      jobs=jobs, withhold=withhold, search=search)


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under ``root`` with the SHA-256 of its bytes."""
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file()}


def read(root: Path, relative: str) -> str:
    return (root / relative).read_text(encoding="utf-8")


def item_page(index_serial: int, year: int = 2025) -> str:
    return f"items/{CODE}-{year}-{index_serial:05d}.html"


def store_file(site_root: Path) -> Path:
    """The build cache's one file."""
    return site_root / CACHE_DIR / STORE_FILE


def store_rows(site_root: Path, part: str) -> dict[str, object]:
    """The raw values of a part of the build cache (read with SQLite itself, not with gxgk)."""
    connection = sqlite3.connect(store_file(site_root))
    try:
        return dict(connection.execute(f"SELECT key, value FROM {part}"))
    finally:
        connection.close()


def store_stamps(site_root: Path) -> dict[str, str]:
    connection = sqlite3.connect(store_file(site_root))
    try:
        return dict(connection.execute("SELECT name, stamp FROM parts"))
    finally:
        connection.close()


def change_store(site_root: Path, *statements: tuple[str, tuple[object, ...]]) -> None:
    """Run SQL statements on the build cache's file, as other code would have."""
    connection = sqlite3.connect(store_file(site_root))
    try:
        with connection:
            for statement, parameters in statements:
                connection.execute(statement, parameters)
    finally:
        connection.close()


def demo_copy(target: Path) -> Path:
    """The demo site's inputs (site.yaml, content/, data/) copied to ``target``."""
    target.mkdir(parents=True)
    for name in ("site.yaml", "content", "data"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copyfile(source, target / name)
    return target
