"""The output manifest: what the last build wrote into an output folder, and from what.

Kept in the build cache (cache_store.py, part ``manifests``, by output folder), never in the
output. For each page: its fingerprint, its files, what its links resolved to and what its
templates read of the public site; for every other file (assets, attachments, feeds, exports, the
search bundle) a key that changes with its content or source. An incremental build trusts the
manifest only when it was made by the same gxgk code (the part's stamp) for the same output
folder, and that folder still carries the marker file the manifest recorded (a build by another
cache, or a hand-made folder, gets a clean build instead).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from gxgk_site.cache_store import Store
from gxgk_site.publish.output import MARKER

PART = "manifests"

LinkAnswers = tuple[tuple[str, str | None], ...]


@dataclass
class PageRecord:
    key: str | None  # None: rendered by every build
    files: tuple[str, ...]  # output-relative paths
    links: LinkAnswers = ()
    reads: tuple[str, ...] = ()  # what its templates read (see dependencies.py), sorted


@dataclass
class Manifest:
    out: str  # the output folder, resolved
    marker: tuple[int, int]  # (inode, mtime_ns) of the output's marker file
    pages: dict[str, PageRecord] = field(default_factory=dict)  # url -> record
    files: dict[str, str] = field(default_factory=dict)  # other files: path -> key
    search_files: tuple[str, ...] = ()
    # search bundle folder -> the key of its items; empty: no search index in the output
    search_bundles: dict[str, str] = field(default_factory=dict)
    rows_key: str = ""  # the site key the catalog rows were encoded under
    rows: dict[str, str] = field(default_factory=dict)  # see exports.Rows

    def all_files(self) -> set[str]:
        found = set(self.files) | set(self.search_files)
        for record in self.pages.values():
            found.update(record.files)
        return found


def marker_of(out_dir: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(out_dir / MARKER)
    except OSError:
        return None
    return (stat.st_ino, stat.st_mtime_ns)


def load(store: Store, out_dir: Path) -> Manifest | None:
    """The manifest of the build that made ``out_dir``, or None when it cannot be trusted."""
    out = str(out_dir.resolve())
    manifest = store.read(PART, [out]).get(out)
    if (not isinstance(manifest, Manifest) or manifest.out != out
            or manifest.marker != marker_of(out_dir)):
        return None
    return manifest


def forget(store: Store, out_dir: Path) -> None:
    """Drop the manifest before the output changes, so that a build killed meanwhile leaves
    none that describes another output. A manifest that cannot be dropped (the cache cannot be
    written) is harmless too: every new output has a marker of its own, which it does not
    match."""
    store.delete(PART, [str(out_dir.resolve())])


def save(store: Store, out_dir: Path, manifest: Manifest) -> None:
    """Keep the manifest of the output just made; where the cache cannot be written, the next
    build is a clean one."""
    manifest.marker = marker_of(out_dir) or (0, 0)
    store.write(PART, {manifest.out: manifest})


def new(out_dir: Path) -> Manifest:
    return Manifest(out=str(out_dir.resolve()), marker=(0, 0))
