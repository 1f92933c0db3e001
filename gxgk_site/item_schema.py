"""The front-matter of an item: the schema and the reading, both derived from the Item fields
declared with ``model.key`` (one declaration per key: its type, checks, default and field).

Conditional requirements that depend on other keys (a summary for 主动公开, a validity for 规章 and
规范性文件) are checked here too, since they are about the shape of the front-matter; the
disclosure rules proper live in ``gxgk_site/rules/``.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from gxgk_site.model import (
    FRONT_MATTER,
    KINDS_WITH_VALIDITY,
    SUMMARY_MAX,
    VALIDITIES,
    Attribute,
    Item,
    Key,
)
from gxgk_site.schema import Context, Field, Record

__all__ = ["ITEM_FIELDS", "ITEM_SCHEMA", "SUMMARY_MAX", "build_item"]

# Item field -> how the front-matter sets it, in declaration order
_KEYS: dict[str, Key] = {f.name: f.metadata[FRONT_MATTER] for f in fields(Item)
                         if FRONT_MATTER in f.metadata}
ITEM_FIELDS: dict[str, Field] = {name: key.spec for name, key in _KEYS.items()
                                 if key.spec is not None}
ITEM_SCHEMA = Record(ITEM_FIELDS, what="front-matter")


def build_item(path: str, values: dict[str, Any], body: str, body_line: int,
               lines: dict[str, int], ctx: Context) -> Item:
    """Turn validated front-matter values into an Item, checking the conditional requirements."""
    item = Item(path=path, body=body, body_line=body_line, lines=lines,
                **{name: key.to_model(values[key.source or name]) for name, key in _KEYS.items()})
    if item.attribute is Attribute.PROACTIVE and not item.summary:
        ctx.report("summary", "required key 'summary' (内容概述, at most "
                   f"{SUMMARY_MAX} characters) is missing; a 主动公开 item needs it for the "
                   "catalog",
                   labelled=False, line_key=_own_line_or(ctx, "summary", "attribute"))
    if item.kind in KINDS_WITH_VALIDITY and not item.validity:
        ctx.report("validity", f"required key 'validity' is missing: a {item.kind} states its "
                   f"有效性 ({' | '.join(VALIDITIES)})", labelled=False,
                   line_key=_own_line_or(ctx, "validity", "kind"))
    if item.changed is not None and item.changed < item.formed:
        ctx.report("changed", f"{item.changed} is before formed ({item.formed}); a change comes "
                   "after the document was formed")
    return item


def _own_line_or(ctx: Context, key: str, other: str) -> str:
    """The key whose line a missing value is reported on: its own, when it is there but empty
    (a fresh draft's 'summary:'), else the key that makes it required."""
    return key if key in ctx.lines else other
