"""The front-matter keys of an item: their types, which are required, and how an Item is built.

Conditional requirements that depend on other keys (a summary for 主动公开, a validity for 规章 and
规范性文件) are checked here too, since they are about the shape of the front-matter; the
disclosure rules proper live in ``gxgk_site/rules/``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gxgk_site.config import TIERS
from gxgk_site.model import KINDS_WITH_VALIDITY, VALIDITIES, Attribute, Item, Signature
from gxgk_site.schema import (
    Choice,
    Context,
    Day,
    Field,
    Flag,
    ListOf,
    Moment,
    Record,
    Text,
)

SUMMARY_MAX = 300

_SIGNATURE = Record(
    {"name": Field(Text(max_len=40)), "date": Field(Day())},
    build=lambda v: Signature(v["name"], v["date"]),
    what="name and date",
)

ITEM_FIELDS: dict[str, Field] = {
    "title": Field(Text(max_len=200), required=True),
    "attribute": Field(Choice(tuple(a.value for a in Attribute)), required=True, rule="attribute"),
    "category": Field(Text(), required=True),
    "formed": Field(Day(), required=True),
    "changed": Field(Day()),
    "published": Field(Moment()),
    "index_no": Field(Text(), rule="index-number"),
    "summary": Field(Text(max_len=SUMMARY_MAX)),
    "doc_number": Field(Text(max_len=100)),
    "department": Field(Text(max_len=100)),
    "kind": Field(Text(max_len=40)),
    "validity": Field(Choice(VALIDITIES)),
    "repealed": Field(Day()),
    "interprets": Field(Text()),
    "keywords": Field(ListOf(Text(max_len=40), allow_scalar=True), default=[]),
    "reviewers": Field(Record({tier: Field(_SIGNATURE) for tier in TIERS}, what="tier"),
                       default={}),
    "secrecy_review": Field(_SIGNATURE),
    "exempt_ground": Field(Text(max_len=100)),
    "delay_reason": Field(Text(max_len=500)),
    "draft": Field(Flag(), default=False),
}


ITEM_SCHEMA = Record(ITEM_FIELDS, what="front-matter")


def _own_line_or(ctx: Context, key: str, other: str) -> str:
    """The key whose line a missing value is reported on: its own, when it is there but empty
    (a fresh draft's 'summary:'), else the key that makes it required."""
    return key if key in ctx.lines else other


def build_item(path: str, values: dict[str, Any], body: str, body_line: int,
               lines: dict[str, int], ctx: Context) -> Item:
    """Turn validated front-matter values into an Item, checking the conditional requirements."""
    attribute = Attribute(values["attribute"])
    published = values["published"]
    published_time: dt.time | None = None
    if isinstance(published, dt.datetime):
        published_time = published.time()
        published = published.date()
    item = Item(
        path=path,
        title=values["title"],
        attribute=attribute,
        category=values["category"],
        formed=values["formed"],
        changed=values["changed"],
        published=published,
        published_time=published_time,
        index_no=values["index_no"],
        summary=values["summary"],
        doc_number=values["doc_number"],
        department=values["department"],
        kind=values["kind"],
        validity=values["validity"],
        repealed=values["repealed"],
        interprets=values["interprets"],
        keywords=tuple(values["keywords"]),
        # only the tiers that are there: a tier left empty (`final:`) is missing, like no tier
        reviewers={tier: signature for tier, signature in (values["reviewers"] or {}).items()
                   if signature is not None},
        secrecy_review=values["secrecy_review"],
        exempt_ground=values["exempt_ground"],
        delay_reason=values["delay_reason"],
        draft=values["draft"],
        body=body,
        body_line=body_line,
        lines=lines,
    )
    if attribute is Attribute.PROACTIVE and not item.summary:
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
