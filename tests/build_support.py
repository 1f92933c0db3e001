"""Helpers for build tests: build a fixture site, read its output."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from conftest import CODE, SiteDir

from gxgk_site.publish.build import BuildReport, build_site


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
