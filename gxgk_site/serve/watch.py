"""Watching a site's sources with watchdog, and turning bursts of changes into one rebuild.

Watched: content/, data/, templates/, themes/, static/ and site.yaml. Never: the build output and
cache (.gxgk/, _site/), .git/, hidden files, and editors' and tools' temporary files (*.swp, *~,
vim's 4913 probe, sed -i's sedXXXXXX, *.tmp, JetBrains' ___jb_tmp___).
Only writes count (created, modified, deleted, moved): the build reads every file, and reads
must not trigger builds.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from watchdog.events import (
    EVENT_TYPE_CREATED,
    EVENT_TYPE_DELETED,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_MOVED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

WATCHED_DIRS = ("content", "data", "templates", "themes", "static")
WATCHED_FILES = ("site.yaml",)
IGNORED_DIRS = frozenset({".gxgk", "_site", ".git"})
QUIET_SECONDS = 0.2
_WRITES = frozenset({EVENT_TYPE_CREATED, EVENT_TYPE_DELETED, EVENT_TYPE_MODIFIED,
                     EVENT_TYPE_MOVED})


_SED_TEMP = re.compile(r"sed[A-Za-z0-9]{6}")  # sed -i writes one, then renames it


def is_editor_temp(name: str) -> bool:
    """Editors' and tools' temporary files. Hidden files count too: the build reads none."""
    return (name.startswith(".") or name.endswith((".swp", ".swo", ".swx", "~", ".tmp"))
            or name.endswith(("___jb_tmp___", "___jb_old___")) or name == "4913"
            or _SED_TEMP.fullmatch(name) is not None)


def relevant(site_dir: Path, path: str) -> str | None:
    """The site-relative POSIX path of a source file, or None when a change there is noise."""
    try:
        relative = PurePosixPath(Path(path).relative_to(site_dir).as_posix())
    except ValueError:
        return None
    parts = relative.parts
    if not parts or any(part in IGNORED_DIRS for part in parts) or is_editor_temp(parts[-1]):
        return None
    if len(parts) == 1:
        return parts[0] if parts[0] in WATCHED_FILES + WATCHED_DIRS else None
    return relative.as_posix() if parts[0] in WATCHED_DIRS else None


class Debouncer:
    """Collects changed paths; calls ``action`` with them once nothing changed for a while.

    Changes that arrive while ``action`` runs are kept for the next call, so no edit is lost.
    """

    def __init__(self, action: Callable[[list[str]], None], quiet: float = QUIET_SECONDS) -> None:
        self.action, self.quiet = action, quiet
        self._pending: set[str] = set()
        self._last = 0.0
        self._stopped = False
        self._wake = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="gxgk-serve-builder",
                                        daemon=True)

    def start(self) -> None:
        self._thread.start()

    def poke(self, path: str) -> None:
        with self._wake:
            self._pending.add(path)
            self._last = time.monotonic()
            self._wake.notify_all()

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify_all()

    def _next_batch(self) -> list[str] | None:
        with self._wake:
            while not self._stopped:
                if not self._pending:
                    self._wake.wait()
                    continue
                left = self._last + self.quiet - time.monotonic()
                if left > 0:
                    self._wake.wait(left)
                    continue
                batch, self._pending = sorted(self._pending), set()
                return batch
            return None

    def _run(self) -> None:
        while (batch := self._next_batch()) is not None:
            self.action(batch)


class _Handler(FileSystemEventHandler):
    def __init__(self, site_dir: Path, changed: Callable[[str], None],
                 root_moved: Callable[[str], None]) -> None:
        self.site_dir, self.changed, self.root_moved = site_dir, changed, root_moved

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in _WRITES:
            return
        if event.is_directory and event.event_type == EVENT_TYPE_MODIFIED:
            return  # a file inside changed: that file has its own event
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            path = raw.decode() if isinstance(raw, bytes) else raw
            if not path:
                continue
            relative = relevant(self.site_dir, path)
            if relative is None:
                continue
            if relative in WATCHED_DIRS and event.event_type != EVENT_TYPE_MODIFIED:
                self.root_moved(relative)
            self.changed(relative)


class SourceWatcher:
    """Watches the site's sources; calls ``changed(relative_path)`` for every write."""

    def __init__(self, site_dir: Path, changed: Callable[[str], None]) -> None:
        self.site_dir = site_dir.resolve()
        self.observer = Observer()
        self.handler = _Handler(self.site_dir, changed, self._watch_root)
        self._watched: dict[str, ObservedWatch] = {}
        self._lock = threading.Lock()

    def start(self) -> None:
        # The site folder itself, not recursively: site.yaml, and watched folders that appear.
        self.observer.schedule(self.handler, str(self.site_dir), recursive=False)
        for name in WATCHED_DIRS:
            if (self.site_dir / name).is_dir():
                self._watch_root(name)
        self.observer.start()

    def _watch_root(self, name: str) -> None:
        """(Re)watch a top-level folder that appeared, or stop watching one that went."""
        with self._lock:
            old = self._watched.pop(name, None)
            if old is not None:
                with contextlib.suppress(KeyError, OSError):
                    self.observer.unschedule(old)
            if (self.site_dir / name).is_dir():
                self._watched[name] = self.observer.schedule(
                    self.handler, str(self.site_dir / name), recursive=True)

    def stop(self) -> None:
        self.observer.stop()
        self.observer.join(timeout=5)
