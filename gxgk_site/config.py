"""The site configuration, ``site.yaml``: typed, validated, with messages naming key and line."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from gxgk_site import site_files, yamlio
from gxgk_site.codes import agency_code_problem
from gxgk_site.findings import Finding, error, quoted, warning
from gxgk_site.periods import PERIOD_HINT, PERIOD_PATTERN, Period, parse_period
from gxgk_site.schema import (
    Choice,
    Context,
    Day,
    Field,
    Flag,
    Integer,
    ListOf,
    MapOf,
    Record,
    Text,
    validate,
)
from gxgk_site.windows import STARTS, UNITS, WORKING, Window

CONFIG_FILE = site_files.CONFIG_FILE
TIERS = ("first", "second", "final")
TIER_NAMES = {"first": "初审", "second": "复审", "final": "终审"}
# ColumnType of the fixed columns (国办公开办函〔2019〕61号), by their names; any other column
# carries 法定主动公开内容 (条例第二十条) unless its category sets column_type
COLUMN_TYPES = {
    "政府信息公开指南": "信息公开指南", "政府信息公开制度": "信息公开制度",
    "政府信息公开年报": "信息公开年报", "政府信息公开工作年度报告": "信息公开年报",
    "依申请公开": "依申请公开",
}
DEFAULT_COLUMN_TYPE = "法定主动公开内容"
# ColumnType of the pages that are no column, by page kind
PAGE_COLUMN_TYPES = {
    "home": "首页", "catalog": "信息公开目录", "guide": "信息公开指南", "apply": "依申请公开",
    "reports": "信息公开年报", "report": "信息公开年报", "search": "信息检索",
    "standard-catalog": "标准目录", "not-found": "其他",
}


@dataclass(frozen=True, slots=True)
class Agency:
    name: str
    code: str
    address: str
    office_hours: str
    phone: str
    fax: str
    email: str
    reading_rooms: tuple[ReadingRoom, ...] = ()  # 查阅场所, shown in the guide


@dataclass(frozen=True, slots=True)
class ReadingRoom:
    """A 查阅场所 (政府信息查阅场所, 条例第二十五条) where the public may read the information."""

    name: str
    address: str
    hours: str | None = None


@dataclass(frozen=True, slots=True)
class SiteInfo:
    title: str
    base_url: str  # always ends with "/"
    id_code: str | None = None  # 网站标识码 (SiteIDCode); a missing one is a config warning
    home_latest: int = 10  # how many of the latest items the home page lists
    icp: str | None = None  # ICP备案号, e.g. 闽ICP备12345678号-1
    psb: str | None = None  # 公安机关备案号, e.g. 闽公网安备 35010202000001号
    dzjg: str | None = None  # 党政机关网站标识: the link of the site's badge at conac.cn
    guide_updated: dt.date | None = None  # 更新日期 of the guide, as the guide shows it

    @property
    def domain(self) -> str:
        """The host of base_url (SiteDomain)."""
        return self.base_url.split("://", 1)[1].split("/", 1)[0]

    @property
    def psb_url(self) -> str | None:
        """The record's page at the national 公安机关 filing site, from its number."""
        if self.psb is None:
            return None
        return ("https://www.beian.gov.cn/portal/registerSystemInfo?recordcode="
                + re.sub(r"\D", "", self.psb))


@dataclass(frozen=True, slots=True)
class CatalogOptions:
    page_size: int = 20
    list_on_request: bool = False  # list 依申请公开 titles and metadata, linking to the apply page


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    name: str
    children: tuple[Category, ...] = ()
    empty_note: str | None = None
    update_every: Period | None = None
    description: str | None = None
    matter: str | None = None  # the 公开事项 of the standard catalogue the column carries
    keywords: tuple[str, ...] = ()  # ColumnKeywords
    column_type: str | None = None  # ColumnType
    line: int | None = field(default=None, compare=False)  # of its entry in site.yaml

    @property
    def label_type(self) -> str:
        """ColumnType: as configured, else the fixed columns' own, else 法定主动公开内容."""
        return self.column_type or COLUMN_TYPES.get(self.name, DEFAULT_COLUMN_TYPE)

    @property
    def label_description(self) -> str:
        """ColumnDescription: the column's description, else its name."""
        return self.description or self.name

    @property
    def label_keywords(self) -> str:
        """ColumnKeywords: the configured keywords, comma-separated, else the column's name."""
        return ",".join(self.keywords) or self.name


@dataclass(frozen=True, slots=True)
class CalendarOverrides:
    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()


@dataclass(frozen=True, slots=True)
class Rules:
    window_working_days: int = 20
    due_warning_days: int = 5
    # 条例第三十三条: answer an application within 20 working days, extendable once by at most
    # 20; local rules may be stricter (e.g. 15 + 15).
    request_days: int = 20
    request_extension_days: int = 20
    roster: dict[str, tuple[str, ...]] = field(default_factory=dict)  # tier -> names allowed
    # kind or category id -> its own publication window (see windows.py)
    windows: dict[str, Window] = field(default_factory=dict)
    # (month, day) by which last year's annual report is due (条例第四十九条): 31 January for
    # a department, 31 March for a 县级以上地方人民政府's own report
    report_due: tuple[int, int] = (1, 31)


@dataclass(frozen=True, slots=True)
class SiteConfig:
    agency: Agency
    site: SiteInfo
    categories: tuple[Category, ...]
    calendar: CalendarOverrides
    rules: Rules
    catalog: CatalogOptions = CatalogOptions()

    def all_categories(self) -> list[Category]:
        """Every category, parents before their children, in configured order."""
        out: list[Category] = []

        def walk(nodes: tuple[Category, ...]) -> None:
            for node in nodes:
                out.append(node)
                walk(node.children)

        walk(self.categories)
        return out


_CATEGORY_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
_URL = re.compile(r"https?://[^\s/]+(/\S*)?")
_URL_HINT = "an absolute http(s) URL, e.g. https://example.gov.cn/xxgk/"
_ID_CODE = re.compile(r"[0-9A-Z]{10}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_ICP = re.compile(r"[\u4e00-\u9fff]ICP备\d{6,10}号(-\d{1,3})?")
_PSB = re.compile(r"[\u4e00-\u9fff]公网安备 ?\d{14}号")
_CONAC = re.compile(r"https?://[a-z0-9.-]*conac\.cn/\S*")
ID_CODE_FIX = ("site.id_code (网站标识码, read by the national crawlers as SiteIDCode and shown "
               "in the footer) is missing; add it under site:, e.g. id_code: \"1234567890\" "
               "(the 10 characters the 全国政府网站基本数据库 assigned the site)")

READING_ROOM = Record({
    "name": Field(Text(max_len=100), required=True),
    "address": Field(Text(max_len=200), required=True),
    "hours": Field(Text(max_len=200)),
}, build=lambda v: ReadingRoom(**v), what="查阅场所 (name, address, hours)")


def _category(values: dict[str, Any]) -> Category:
    return Category(
        id=values["id"],
        name=values["name"],
        children=tuple(values["children"] or ()),
        empty_note=values["empty_note"],
        update_every=(parse_period(values["update_every"])
                      if values["update_every"] is not None else None),
        description=values["description"],
        matter=values["matter"],
        keywords=tuple(values["keywords"] or ()),
        column_type=values["column_type"],
    )


def _category_record() -> Record:
    fields: dict[str, Field] = {
        "id": Field(Text(pattern=_CATEGORY_ID,
                         pattern_hint="lower-case letters, digits, '-' or '_', e.g. gfxwj"),
                    required=True),
        "name": Field(Text(max_len=40), required=True),
        "description": Field(Text(max_len=500)),
        "empty_note": Field(Text(max_len=500)),
        "update_every": Field(Text(pattern=PERIOD_PATTERN, pattern_hint=PERIOD_HINT)),
        "matter": Field(Text(max_len=100)),
        "keywords": Field(ListOf(Text(max_len=40), allow_scalar=True)),
        "column_type": Field(Text(max_len=40)),
    }
    record = Record(fields, build=_category, what="category")
    fields["children"] = Field(ListOf(record))  # categories nest
    return record


def _rules(values: dict[str, Any]) -> Rules:
    roster = values["roster"] or {}
    return Rules(
        window_working_days=values["window_working_days"],
        due_warning_days=values["due_warning_days"],
        request_days=values["request_days"],
        request_extension_days=values["request_extension_days"],
        roster={tier: tuple(names) for tier, names in roster.items() if names},
        windows=values["windows"],
        report_due=_month_day(values["report_due"]),
    )


def _month_day(text: str) -> tuple[int, int]:
    month, day = text.split("-")
    return int(month), int(day)


def _month_day_problem(text: str) -> str | None:
    """What is wrong with a MM-DD day of the year, or None."""
    month, day = _month_day(text)
    try:
        dt.date(2024, month, day)  # a leap year: 02-29 is a day of the year
    except ValueError:
        return f"{quoted(text)} is not a day of the year; write MM-DD, e.g. 01-31"
    return None


# A window of rules.windows: how many days of which unit, from which date (see windows.py).
WINDOW_SCHEMA = Record({
    "days": Field(Integer(minimum=0, maximum=366), required=True),
    "unit": Field(Choice(UNITS), default=WORKING),
    "from": Field(Choice(STARTS), default=STARTS[0]),
}, build=lambda v: Window(v["days"], v["unit"], v["from"]), what="window (days, unit, from)")


_NAMES = ListOf(Text(max_len=40))

SITE_SCHEMA = Record(
    {
        "agency": Field(Record({
            "name": Field(Text(max_len=100), required=True),
            "code": Field(Text(check=agency_code_problem), required=True),
            "address": Field(Text(max_len=200), required=True),
            "office_hours": Field(Text(max_len=200), required=True),
            "phone": Field(Text(max_len=100), required=True),
            "fax": Field(Text(max_len=100), required=True),
            "email": Field(Text(pattern=_EMAIL, pattern_hint="an e-mail address"),
                           required=True),
            "reading_rooms": Field(ListOf(READING_ROOM), default=[]),
        }, build=lambda v: Agency(**{**v, "reading_rooms": tuple(v["reading_rooms"])})),
            required=True),
        "site": Field(Record({
            "title": Field(Text(max_len=100), required=True),
            "base_url": Field(Text(pattern=_URL, pattern_hint=_URL_HINT), required=True),
            "id_code": Field(Text(pattern=_ID_CODE, pattern_hint="the 10-character 网站标识码")),
            "home_latest": Field(Integer(minimum=1, maximum=100), default=10),
            "icp": Field(Text(pattern=_ICP, pattern_hint="an ICP备案号, e.g. 闽ICP备12345678号-1")),
            "psb": Field(Text(pattern=_PSB, pattern_hint=(
                "a 公安机关备案号, e.g. 闽公网安备 35010202000001号"))),
            "dzjg": Field(Text(pattern=_CONAC, pattern_hint=(
                "the link of the site's 党政机关网站标识 at conac.cn, e.g. "
                "https://bszs.conac.cn/sitename?method=show&id=0123456789ABCDEF"))),
            "guide_updated": Field(Day()),
        }, build=lambda v: SiteInfo(**{**v, "base_url": v["base_url"].rstrip("/") + "/"})),
            required=True),
        "categories": Field(ListOf(_category_record()), required=True),
        "calendar": Field(Record({
            "holidays": Field(ListOf(Day()), default=[]),
            "workdays": Field(ListOf(Day()), default=[]),
        }, build=lambda v: CalendarOverrides(frozenset(v["holidays"]), frozenset(v["workdays"]))),
            default=CalendarOverrides()),
        "rules": Field(Record({
            "window_working_days": Field(Integer(minimum=1, maximum=60), default=20),
            "due_warning_days": Field(Integer(minimum=0, maximum=60), default=5),
            "request_days": Field(Integer(minimum=1, maximum=20), default=20),
            "request_extension_days": Field(Integer(minimum=0, maximum=20), default=20),
            "roster": Field(Record({tier: Field(_NAMES) for tier in TIERS})),
            "report_due": Field(Text(pattern=re.compile(r"\d{2}-\d{2}"), pattern_hint=(
                "MM-DD: 01-31 for a department, 03-31 for a 县级以上地方人民政府's own report"),
                check=_month_day_problem), default="01-31"),
            "windows": Field(MapOf(Text(max_len=40), WINDOW_SCHEMA,
                                     what="mapping of kinds or column ids to windows"),
                               default={}),
        }, build=_rules), default=Rules()),
        "catalog": Field(Record({
            "page_size": Field(Integer(minimum=5, maximum=200), default=20),
            "list_on_request": Field(Flag(), default=False),
        }, build=lambda v: CatalogOptions(**v)), default=CatalogOptions()),
    },
    build=lambda v: SiteConfig(
        agency=v["agency"], site=v["site"], categories=tuple(v["categories"]),
        calendar=v["calendar"], rules=v["rules"], catalog=v["catalog"],
    ),
    what="site configuration",
)


class ConfigUnavailable(Exception):
    """The command cannot run at all: there is no site.yaml where it was asked to look."""


def load_config(site_dir: Path) -> tuple[SiteConfig | None, list[Finding]]:
    """Read and validate site.yaml; findings carry the rule id ``config``."""
    path = site_dir / CONFIG_FILE
    if path.is_symlink():
        return None, site_files.symlink_findings([CONFIG_FILE])
    if not path.is_file():
        raise ConfigUnavailable(
            f"no {CONFIG_FILE} in {site_dir}: run the command in the site's folder "
            f"or pass it as SITE_DIR"
        )
    try:
        data, lines = yamlio.load_path(path)
    except yamlio.YamlProblem as exc:
        return None, [error("config", CONFIG_FILE, exc.line, exc.message)]
    ctx = Context(lines=lines, rule="config")
    config = validate(SITE_SCHEMA, data if data is not None else {}, ctx)
    if isinstance(data, dict):
        _check_consistency(data, ctx)
    findings = [error(p.rule, CONFIG_FILE, p.line, p.message) for p in ctx.problems]
    if findings or config is None:
        return None, findings
    categories = _with_lines(config.categories, lines, "categories")
    windows = {name: replace(window, line=yamlio.line_of(lines, f"rules.windows.{name}"))
               for name, window in config.rules.windows.items()}
    if config.site.id_code is None:  # a warning: the site builds, but fails the inspection
        findings.append(warning("config", CONFIG_FILE, yamlio.line_of(lines, "site"),
                                ID_CODE_FIX))
    return replace(config, categories=categories,
                   rules=replace(config.rules, windows=windows)), findings


def _with_lines(nodes: tuple[Category, ...], lines: yamlio.KeyLines,
                key: str) -> tuple[Category, ...]:
    """The categories with the site.yaml line of each entry (a valid config keeps every one, in
    order, so list indexes match)."""
    return tuple(
        replace(node, line=yamlio.line_of(lines, f"{key}.{index}"),
                children=_with_lines(node.children, lines, f"{key}.{index}.children"))
        for index, node in enumerate(nodes)
    )


def _check_consistency(data: dict[str, Any], ctx: Context) -> None:
    """What no single key shows: category ids used twice, days both off and on.

    Works on the raw data, so these are reported together with every other problem.
    """
    seen: set[str] = set()

    def walk(nodes: Any, key: str) -> None:
        if not isinstance(nodes, list):
            return
        for index, node in enumerate(nodes):
            if not isinstance(node, dict):
                continue
            node_id = node.get("id")
            if isinstance(node_id, str):
                if node_id in seen:
                    ctx.report(f"{key}.{index}.id", f"category id {quoted(node_id)} is defined "
                               "twice; ids must be unique across all levels")
                seen.add(node_id)
            walk(node.get("children"), f"{key}.{index}.children")

    walk(data.get("categories"), "categories")
    calendar = data.get("calendar")
    if isinstance(calendar, dict):
        holidays, workdays = calendar.get("holidays"), calendar.get("workdays")
        if isinstance(holidays, list) and isinstance(workdays, list):
            both = sorted({d for d in holidays if isinstance(d, dt.date)} & set(workdays))
            if both:
                dates = ", ".join(day.isoformat() for day in both)
                ctx.report("calendar", f"{dates} listed both as holiday and as workday; keep one")
