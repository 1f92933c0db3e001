"""Splitting an item file into its YAML front-matter and its Markdown body."""

from __future__ import annotations

from dataclasses import dataclass

FENCE = "---"


class NoFrontMatter(Exception):
    """The file does not start with a front-matter block; the message says what to do."""


@dataclass(frozen=True, slots=True)
class SplitFile:
    meta: str  # the YAML between the fences
    meta_line: int  # file line of the first YAML line
    body: str
    body_line: int  # file line of the first body line


def split(text: str) -> SplitFile:
    if not text.strip():
        raise NoFrontMatter("the file is empty; an item starts with a '---' line, its front-matter "
                            "(title, attribute, category, formed, …), a closing '---' line, "
                            "then the text")
    lines = text.split("\n")
    if lines[0].rstrip() != FENCE:
        raise NoFrontMatter("no front-matter: the file must start with a line '---', then the "
                            "front-matter keys (title, attribute, category, formed, …), then "
                            "another '---' line")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FENCE, "..."):
            return SplitFile(
                meta="\n".join(lines[1:index]),
                meta_line=2,
                body="\n".join(lines[index + 1:]),
                body_line=index + 2,
            )
    raise NoFrontMatter("the front-matter is not closed: add a line '---' after its last key")
