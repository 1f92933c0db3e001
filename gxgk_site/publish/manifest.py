"""The output manifest: what the last build wrote into an output folder, and from what.

Kept in the build cache (``SITE_DIR/.gxgk/cache/output-<folder>.pickle``), never in the output.
For each page: its fingerprint, its files, what its links resolved to and what its templates read
of the public site; for every other file
(assets, attachments, feeds, exports, the search bundle) a key that changes with its content or
source. An incremental build trusts the manifest only when it was made by the same gxgk code for
the same output folder, and that folder still carries the marker file the manifest recorded
(a build by another cache, or a hand-made folder, gets a clean build instead).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from gxgk_site.code_stamp import code_stamp
from gxgk_site.parse_cache import CACHE_DIR, UNREADABLE
from gxgk_site.publish.output import MARKER

LinkAnswers = tuple[tuple[str, str | None], ...]


@dataclass
class PageRecord:
    key: str | None  # None: rendered by every build
    files: tuple[str, ...]  # output-relative paths
    links: LinkAnswers = ()
    reads: tuple[str, ...] = ()  # what its templates read (see dependencies.py), sorted


@dataclass
class Manifest:
    stamp: str
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


def _path(site_dir: Path, out_dir: Path) -> Path:
    name = hashlib.blake2b(str(out_dir.resolve()).encode(), digest_size=8).hexdigest()
    return site_dir / CACHE_DIR / f"output-{name}.pickle"


def marker_of(out_dir: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(out_dir / MARKER)
    except OSError:
        return None
    return (stat.st_ino, stat.st_mtime_ns)


def load(site_dir: Path, out_dir: Path) -> Manifest | None:
    """The manifest of the build that made ``out_dir``, or None when it cannot be trusted."""
    try:
        with open(_path(site_dir, out_dir), "rb") as handle:
            manifest = pickle.load(handle)
    except UNREADABLE:
        return None
    if (not isinstance(manifest, Manifest) or manifest.stamp != code_stamp()
            or manifest.out != str(out_dir.resolve()) or manifest.marker != marker_of(out_dir)):
        return None
    return manifest


def forget(site_dir: Path, out_dir: Path) -> None:
    """Drop the manifest before the output changes, so that a build killed meanwhile leaves
    none that describes another output. A manifest that cannot be dropped (the cache cannot be
    written) is harmless too: every new output has a marker of its own, which it does not
    match."""
    with contextlib.suppress(OSError):
        _path(site_dir, out_dir).unlink()


def save(site_dir: Path, out_dir: Path, manifest: Manifest) -> None:
    """Keep the manifest of the output just made; where the cache cannot be written, the next
    build is a clean one."""
    manifest.marker = marker_of(out_dir) or (0, 0)
    path = _path(site_dir, out_dir)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temporary, "wb") as handle:
            pickle.dump(manifest, handle, protocol=5)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()


def new(out_dir: Path) -> Manifest:
    return Manifest(stamp=code_stamp(), out=str(out_dir.resolve()), marker=(0, 0))
