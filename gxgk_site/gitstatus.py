"""Reading ``git … --name-status -z`` output: one parser for the publication dates (gitdates)
and for ``--changed-since`` (changed)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple


class Change(NamedTuple):
    status: str  # A, M, D, T, R or C (the letter; rename and copy scores are dropped)
    old: str | None  # the source of a rename or copy
    path: str


def name_status(tokens: list[str]) -> Iterator[Change]:
    """The changes in the NUL-separated tokens, up to the first empty token."""
    position = 0
    while position < len(tokens) and tokens[position]:
        status = tokens[position][0]
        if status in "RC":
            yield Change(status, tokens[position + 1], tokens[position + 2])
            position += 3
        else:
            yield Change(status, None, tokens[position + 1])
            position += 2
