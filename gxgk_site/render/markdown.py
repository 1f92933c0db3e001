"""Markdown to HTML for item bodies and the guide: markdown-it-py, CommonMark plus tables,
footnotes, strikethrough and heading anchors. Raw HTML is escaped, not passed through.

Heading anchors are ids made from the heading's text (``slugify``), made unique with ``-1``,
``-2``, ... as mdit-py-plugins' anchors plugin does, but in linear time: its loop tries every
number from 1 again for each repeat, so that a body of 20,000 headings of one text took 30 s.

Body headings are moved one level down (a body's ``#`` becomes ``<h2>``) so that the page title
stays the only ``<h1>`` and headings stay in order. Link and image targets go through a resolver,
which turns a link to another item's ``.md`` file into that item's page and an attachment into its
published copy.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.footnote import footnote_plugin

# (target as written) -> the href to use, or None to leave it as written
Resolver = Callable[[str], str | None]

_SLUG_DROP = re.compile(r"[^\w\u3400-\u9fff\- ]")


def slugify(title: str) -> str:
    return _SLUG_DROP.sub("", title.strip().lower()).replace(" ", "-") or "section"


def _anchor_headings(state: Any) -> None:
    """An id on every heading: its slug, or the slug with the first free ``-N``."""
    taken: set[str] = set()
    next_number: dict[str, int] = {}  # slug -> where to look for a free -N next
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[index + 1]
        title = "".join(child.content for child in inline.children or ()
                        if child.type in ("text", "code_inline"))
        slug = unique = slugify(title)
        if unique in taken:
            number = next_number.get(slug, 1)
            while (unique := f"{slug}-{number}") in taken:
                number += 1
            next_number[slug] = number + 1
        taken.add(unique)
        token.attrSet("id", unique)


def _shift_headings(state: Any) -> None:
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + 1)}"


def _make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.core.ruler.push("anchor_headings", _anchor_headings)
    md.core.ruler.push("shift_headings", _shift_headings)

    def link_open(self: RendererHTML, tokens: Sequence[Token], idx: int,
                  options: OptionsDict, env: EnvType) -> str:
        _resolve(tokens[idx], "href", env)
        return self.renderToken(tokens, idx, options, env)

    def image(self: RendererHTML, tokens: Sequence[Token], idx: int,
              options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        _resolve(token, "src", env)
        token.attrSet("loading", "lazy")
        return self.image(tokens, idx, options, env)  # type: ignore[attr-defined]

    md.add_render_rule("link_open", link_open)
    md.add_render_rule("image", image)
    return md


def _resolve(token: Token, attribute: str, env: EnvType) -> None:
    resolver: Resolver | None = env.get("resolver")
    target = token.attrGet(attribute)
    if resolver is not None and isinstance(target, str):
        replaced = resolver(target)
        if replaced is not None:
            token.attrSet(attribute, replaced)


_PARSER = _make_parser()


def render(text: str, resolver: Resolver | None = None) -> str:
    return _PARSER.render(text, {"resolver": resolver})
