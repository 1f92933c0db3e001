"""Findings: what a rule says about a file, and how bad it is."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    """One message from one rule about one place in the site.

    ``path`` is relative to the site directory, in POSIX form; ``line`` is 1-based, or None when the
    finding is about a whole file.
    """

    rule: str
    severity: Severity
    path: str
    line: int | None
    message: str

    @property
    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.path, self.line or 0, self.rule, self.message)

    def as_warning(self, note: str) -> Finding:
        return Finding(self.rule, Severity.WARNING, self.path, self.line,
                       f"{self.message} ({note})")


def error(rule: str, path: str, line: int | None, message: str) -> Finding:
    return Finding(rule, Severity.ERROR, path, line, message)


def warning(rule: str, path: str, line: int | None, message: str) -> Finding:
    return Finding(rule, Severity.WARNING, path, line, message)
