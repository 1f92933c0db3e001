"""The content model: items (one per Markdown file) and the site they make up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gxgk_site.config import TIERS, SiteConfig
from gxgk_site.schema import (
    Choice,
    Day,
    Field,
    Flag,
    ListOf,
    MapOf,
    Moment,
    Record,
    Spec,
    Text,
)
from gxgk_site.wording.lists import WordingLists
from gxgk_site.workdays import WorkCalendar
from gxgk_site.yamlio import line_of

if TYPE_CHECKING:
    from gxgk_site.attachment_text.extract import Extracted
    from gxgk_site.report.inputs import ReportInput
    from gxgk_site.report.ledger import Application
    from gxgk_site.standard_catalog import StandardCatalog


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
# The kinds (信息类别) in common use; a kind an item of the site uses, or that rules.windows
# names, is known too (gxgk new, the window rule).
STANDARD_KINDS: tuple[str, ...] = (
    "规章", "规范性文件", "行政规范性文件", "其他文件", "政策解读", "意见征集", "通知公告",
    "工作动态", "规划计划", "机构职能", "财政预决算", "人事信息", "统计信息", "行政执法",
    "行政许可", "行政处罚", "行政强制",
)


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


SUMMARY_MAX = 300  # characters of a 内容概述, as most local rules allow
FRONT_MATTER = "front_matter"  # the metadata key of an Item field that a front-matter key sets


@dataclass(frozen=True, slots=True)
class Key:
    """How a front-matter key is read: its spec (type and checks, see schema) and how the
    checked value becomes the Item's field. ``source`` names the key when the field is derived
    from another key's value (published_time from published); such a field has no spec."""

    spec: Field | None
    to_model: Callable[[Any], Any] = lambda value: value
    source: str | None = None


def key(spec: Spec, *, required: bool = False, rule: str | None = None,
        to_model: Callable[[Any], Any] = lambda value: value, default: Any = None,
        default_factory: Callable[[], Any] | None = None) -> Any:
    """An Item field set by the front-matter key of the same name: the one declaration of the
    key, from which the front-matter schema (item_schema) and the reading follow."""
    metadata = {FRONT_MATTER: Key(Field(spec, required=required, rule=rule), to_model)}
    if required:
        return field(metadata=metadata)
    if default_factory is not None:
        return field(default_factory=default_factory, metadata=metadata)
    return field(default=default, metadata=metadata)


def derived(source: str, to_model: Callable[[Any], Any]) -> Any:
    """An Item field computed from another key's checked value, e.g. the time of 'published'."""
    return field(default=None, metadata={FRONT_MATTER: Key(None, to_model, source)})


_SIGNATURE = Record(
    {"name": Field(Text(max_len=40)), "date": Field(Day())},
    build=lambda v: Signature(v["name"], v["date"]),
    what="name and date",
)


def _date_of(moment: dt.date | None) -> dt.date | None:
    return moment.date() if isinstance(moment, dt.datetime) else moment


def _time_of(moment: dt.date | None) -> dt.time | None:
    return moment.time() if isinstance(moment, dt.datetime) else None


def _signed_tiers(reviewers: dict[str, Signature | None] | None) -> dict[str, Signature]:
    """Only the tiers that are there: a tier left empty (`final:`) is missing, like no tier."""
    return {tier: sig for tier, sig in (reviewers or {}).items() if sig is not None}


@dataclass(slots=True)
class Item:
    """One document of the column, from one ``content/**/*.md`` file. The fields declared with
    ``key`` are the front-matter keys (README, "An item's front-matter"), in their order."""

    path: str  # relative to the site directory, POSIX form
    title: str = key(Text(max_len=200), required=True)
    attribute: Attribute = key(Choice(tuple(a.value for a in Attribute)), required=True,
                               rule="attribute", to_model=Attribute)
    category: str = key(Text(), required=True)
    formed: dt.date = key(Day(), required=True)  # 成文/形成日期
    changed: dt.date | None = key(Day())  # 变更日期: restarts the window
    decided: dt.date | None = key(Day())  # 作出决定日期 (行政处罚, 行政许可: see windows.py)
    approved: dt.date | None = key(Day())  # 批复日期 (部门预算/决算: see windows.py)
    published: dt.date | None = key(Moment(), to_model=_date_of)  # as written, the day
    published_time: dt.time | None = derived("published", _time_of)
    index_no: str | None = key(Text(), rule="index-number")
    summary: str | None = key(Text(max_len=SUMMARY_MAX))
    doc_number: str | None = key(Text(max_len=100))
    department: str | None = key(Text(max_len=100))  # the internal 科室 (承办科室)
    publisher: str | None = key(Text(max_len=200))  # 发布机构, when not the agency (联合发文)
    kind: str | None = key(Text(max_len=40))
    validity: str | None = key(Choice(VALIDITIES))
    repealed: dt.date | None = key(Day())
    interprets: str | None = key(Text())
    matter: str | None = key(Text(max_len=100), rule="standard-catalog")  # 标准目录 公开事项
    keywords: tuple[str, ...] = key(ListOf(Text(max_len=40), allow_scalar=True),
                                    to_model=lambda words: tuple(words or ()), default=())
    reviewers: dict[str, Signature] = key(  # tier -> signature
        Record({tier: Field(_SIGNATURE) for tier in TIERS}, what="tier"),
        to_model=_signed_tiers, default_factory=dict)
    secrecy_review: Signature | None = key(_SIGNATURE)
    exempt_ground: str | None = key(Text(max_len=100))
    delay_reason: str | None = key(Text(max_len=500))
    draft: bool = key(Flag(), to_model=bool, default=False)
    # words the wording rule lets pass in this item (and its attachments), each with why
    wording_allow: dict[str, str] = key(
        MapOf(Text(max_len=50), Text(max_len=200), what="mapping of word: reason"),
        to_model=lambda words: dict(words or {}), default_factory=dict)
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

    def texts(self) -> Iterator[tuple[str, str, int | None]]:
        """(field, text, line) of what the editor wrote for the public to read: title, summary,
        keywords and body (its lines are counted from ``body_line``)."""
        yield "title", self.title, self.line_of("title")
        if self.summary:
            yield "summary", self.summary, self.line_of("summary")
        for index, keyword in enumerate(self.keywords):
            yield "keywords", keyword, self.line_of(f"keywords.{index}")
        yield "body", self.body, None

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
    standard_catalog: StandardCatalog | None = None  # data/standard_catalog.yaml, optional
    # data/wording/: the site's leaders, wrong and banned words (see wording/lists.py)
    wording: WordingLists = field(default_factory=WordingLists)
    # the attachments 主动公开 items link: item path -> ((line of the link, file path), ...),
    # and the text of each of those files (see attachment_text/)
    attachments: dict[str, tuple[tuple[int, str], ...]] = field(default_factory=dict)
    attachment_texts: dict[str, Extracted] = field(default_factory=dict)

    def items_by_path(self) -> dict[str, Item]:
        return {item.path: item for item in self.items}
