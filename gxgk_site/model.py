"""The content model: items (one per Markdown file) and the site they make up."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from gxgk_site.config import SiteConfig
from gxgk_site.workdays import WorkCalendar
from gxgk_site.yamlio import line_of

if TYPE_CHECKING:
    from gxgk_site.report.inputs import ReportInput
    from gxgk_site.report.ledger import Application


class Attribute(StrEnum):
    """The disclosure attribute (公开属性) of a document."""

    PROACTIVE = "主动公开"
    ON_REQUEST = "依申请公开"
    WITHHELD = "不予公开"


# 条例第十四、十五、十六条: the grounds for not disclosing a document.
EXEMPT_GROUNDS: tuple[str, ...] = (
    "国家秘密",
    "法律行政法规禁止公开",
    "危及三安全一稳定",
    "商业秘密",
    "个人隐私",
    "内部事务信息",
    "过程性信息",
    "行政执法案卷",
)
# A 依申请公开 document may instead simply lie outside the scope of proactive disclosure.
NOT_PROACTIVE_SCOPE = "不属于主动公开范围"

VALIDITIES: tuple[str, ...] = ("有效", "失效", "废止")
KINDS_WITH_VALIDITY: frozenset[str] = frozenset({"规章", "规范性文件"})


class PublicationSource(StrEnum):
    FRONT_MATTER = "front-matter"  # the item says when it was published
    GIT = "git"  # the first commit on the current branch that added the file
    PENDING = "pending"  # neither: not published yet, it would be published today


@dataclass(frozen=True, slots=True)
class Signature:
    """A name and a date: one tier of the sign-off, or the secrecy review."""

    name: str | None
    date: dt.date | None

    @property
    def complete(self) -> bool:
        return bool(self.name) and self.date is not None

    def __reduce__(self) -> tuple:  # pickled by value: 3x faster than dataclass' setstate
        return (Signature, (self.name, self.date))


@dataclass(frozen=True, slots=True)
class Publication:
    date: dt.date
    source: PublicationSource
    time: dt.time | None = None
    # every later day a commit touched the file (for a change published after the first release)
    later_commits: tuple[dt.date, ...] = ()


@dataclass(slots=True)
class Item:
    """One document of the column, from one ``content/**/*.md`` file."""

    path: str  # relative to the site directory, POSIX form
    title: str
    attribute: Attribute
    category: str
    formed: dt.date
    changed: dt.date | None = None
    published: dt.date | None = None  # as written in the front-matter
    published_time: dt.time | None = None
    index_no: str | None = None
    summary: str | None = None
    doc_number: str | None = None
    department: str | None = None
    kind: str | None = None
    validity: str | None = None
    repealed: dt.date | None = None
    interprets: str | None = None
    keywords: tuple[str, ...] = ()
    reviewers: dict[str, Signature] = field(default_factory=dict)  # tier -> signature
    secrecy_review: Signature | None = None
    exempt_ground: str | None = None
    delay_reason: str | None = None
    draft: bool = False
    body: str = ""
    body_line: int = 1  # the file line on which the body starts
    lines: dict[str, int] = field(default_factory=dict)  # key path -> file line
    publication: Publication | None = None  # resolved once for the whole site
    digest: str = ""  # of the file's bytes: what incremental builds compare

    @property
    def is_public(self) -> bool:
        """Whether the item is published in full on the public site."""
        return self.attribute is Attribute.PROACTIVE and not self.draft

    def line_of(self, key: str) -> int | None:
        return line_of(self.lines, key)

    @property
    def release_date(self) -> dt.date | None:
        """The day the current version (after the last change) went public; None when pending.

        An item published before its last change went public again with the first commit that
        touched it on or after the change; with no such commit the change is still pending.
        """
        publication = self.publication
        if publication is None or publication.source is PublicationSource.PENDING:
            return None
        start = self.window_start
        if publication.date >= start:
            return publication.date
        return next((day for day in publication.later_commits if day >= start), None)

    @property
    def window_start(self) -> dt.date:
        """The day the 20-working-day window starts: the last change, or the formation."""
        if self.changed is not None and self.changed > self.formed:
            return self.changed
        return self.formed


@dataclass(slots=True)
class Site:
    """A loaded site: its configuration, its items, and the calendar the rules count with."""

    root: Path
    config: SiteConfig
    items: list[Item]  # valid items, sorted by path
    calendar: WorkCalendar
    today: dt.date
    files: list[str] = field(default_factory=list)  # every content file, valid or not
    shallow_git: bool = False
    # the application ledger and the annual report data (never published, only counted)
    applications: list[Application] = field(default_factory=list)
    reports: dict[int, ReportInput] = field(default_factory=dict)
    guide: str = ""  # the Markdown of content/guide.md, the guide's own text (none: "")

    def items_by_path(self) -> dict[str, Item]:
        return {item.path: item for item in self.items}
