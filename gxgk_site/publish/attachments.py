"""Attachments: files under content/ that public items link to, and only those.

A file is published when, and only when, a public item's body links it. Only files inside
``content/`` qualify (so nothing else of the site folder, such as the request ledger under
``data/``, can be published by a link), never a Markdown file and never a hidden one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gxgk_site.links import body_links, is_relative, publishable, resolve, target_path
from gxgk_site.render.urls import attachment_url
from gxgk_site.site_files import CONTENT_DIR

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"})


@dataclass(frozen=True, slots=True)
class Attachment:
    source: str  # site-relative path of the file
    url: str  # where it is published
    name: str
    size: int

    @property
    def is_image(self) -> bool:
        return Path(self.name).suffix.lower() in IMAGE_SUFFIXES


def linked_files(site_root: Path, item_path: str, body: str) -> list[str]:
    """Site-relative paths of the publishable files a body links, in order, without repeats."""
    found: list[str] = []
    for _, target in body_links(body):
        if not is_relative(target) or target_path(target).endswith(".md"):
            continue  # (a link to another item: never an attachment)
        path, _ = resolve(site_root, item_path, target)
        if path is None or not publishable(path):
            continue
        if (site_root / path).is_file() and path not in found:
            found.append(path)
    return found


def collect(site_root: Path, bodies: dict[str, str]) -> dict[str, list[Attachment]]:
    """item path -> its attachments, for the given public items' bodies."""
    result: dict[str, list[Attachment]] = {}
    for item_path, body in sorted(bodies.items()):
        files = linked_files(site_root, item_path, body)
        result[item_path] = [
            Attachment(source=path, url=attachment_url(path[len(CONTENT_DIR) + 1:]),
                       name=Path(path).name, size=(site_root / path).stat().st_size)
            for path in files
        ]
    return result
