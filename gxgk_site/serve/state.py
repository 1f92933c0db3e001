"""What the preview server knows about the last build, shared by the builder and the browsers.

The builder thread publishes each build attempt here; the HTTP threads read it (to tag pages with
the build they come from) and wait on it (to push changes to open pages over Server-Sent Events).
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from typing import Any

from gxgk_site.findings import Finding, Severity


@dataclass(frozen=True)
class Snapshot:
    """One consistent view of the state, as sent to the browser."""

    session: str  # changes when the server restarts, so a page from an old server reloads
    generation: int  # number of the last successful build (0: none yet)
    version: int  # bumped on every change, the generation or the findings
    building: bool
    findings: tuple[Finding, ...]  # errors of the last attempt, including held-back items
    withheld: tuple[str, ...]  # items left out of the preview for their errors
    note: str  # one line about the last attempt, e.g. "built in 0.84 s"

    @property
    def tag(self) -> str:
        """What a page records of the build it was served from."""
        return f"{self.session}:{self.generation}"

    def as_json(self) -> dict[str, Any]:
        return {
            "build": self.tag,
            "generation": self.generation,
            "building": self.building,
            "note": self.note,
            "withheld": list(self.withheld),
            "findings": [{"path": f.path, "line": f.line, "rule": f.rule,
                          "severity": str(f.severity), "message": f.message}
                         for f in self.findings],
        }


@dataclass
class PreviewState:
    session: str = field(default_factory=lambda: secrets.token_hex(4))
    _generation: int = 0
    _version: int = 0
    _building: bool = False
    _findings: tuple[Finding, ...] = ()
    _withheld: tuple[str, ...] = ()
    _note: str = ""
    _stopping: bool = False
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def snapshot(self) -> Snapshot:
        with self._changed:
            return Snapshot(self.session, self._generation, self._version, self._building,
                            self._findings, self._withheld, self._note)

    def started_build(self) -> None:
        with self._changed:
            self._building = True
            self._bump()

    def finished_build(self, *, built: bool, findings: list[Finding], withheld: list[str],
                       note: str) -> None:
        """Record an attempt: ``built`` when a new output folder was swapped in."""
        with self._changed:
            self._building = False
            if built:
                self._generation += 1
            self._findings = tuple(f for f in findings if f.severity is Severity.ERROR)
            if built:  # a failed attempt changes nothing that is served
                self._withheld = tuple(withheld)
            self._note = note
            self._bump()

    def wait_for_change(self, seen: int, timeout: float) -> Snapshot | None:
        """The state once its version differs from ``seen``; None on timeout or shutdown."""
        with self._changed:
            self._changed.wait_for(lambda: self._version != seen or self._stopping, timeout)
            if self._stopping or self._version == seen:
                return None
        return self.snapshot()

    @property
    def stopping(self) -> bool:
        with self._changed:
            return self._stopping

    def stop(self) -> None:
        with self._changed:
            self._stopping = True
            self._changed.notify_all()

    def _bump(self) -> None:
        self._version += 1
        self._changed.notify_all()
