"""Findings: what a rule says about a file, and how bad it is."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# what a draft's error says once reported as a warning: a draft never blocks
DRAFT_NOTE = "draft: reported, not blocking"


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


QUOTE_LIMIT = 80  # characters of an editor's value quoted in a message


def quoted(value: object, limit: int = QUOTE_LIMIT) -> str:
    """An editor's value quoted in a message (as repr does), cut when long: a message quotes
    what is wrong, never a whole 2 MB value."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) <= limit:
        return repr(value)
    return f"{text[:limit]!r}… ({len(text):,} characters)"


MESSAGE_LIMIT = 1000  # a message longer than this (an editor's value in it) is cut


def _cut(message: str) -> str:
    if len(message) <= MESSAGE_LIMIT:
        return message
    return f"{message[:MESSAGE_LIMIT]}… (message cut: {len(message):,} characters)"


def error(rule: str, path: str, line: int | None, message: str) -> Finding:
    return Finding(rule, Severity.ERROR, path, line, _cut(message))


def warning(rule: str, path: str, line: int | None, message: str) -> Finding:
    return Finding(rule, Severity.WARNING, path, line, _cut(message))
