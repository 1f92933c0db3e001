"""基层政务公开标准目录 (国办发〔2019〕54号): ``data/standard_catalog.yaml``, optional.

The catalogue lists the agency's 公开事项, each with the fields of the official table:
事项名称 (and its 一级事项), 公开内容（要素）, 公开依据, 公开时限, 公开主体, 公开渠道和载体,
公开对象, 公开方式 and 公开层级. Keys are English (``name``, ``content``, …) or the
table's own Chinese labels.
Columns (``matter:`` on a category in site.yaml) and items (``matter:`` in the front-matter) name
the 事项 they carry, by its ``id`` or its name; a 事项's 公开时限 becomes their publication window
(see windows.py) when it reads as one ("自作出决定之日起7个工作日内", "批复后20日内") or when
the 事项 gives ``window:`` itself. The build publishes the catalogue as the official table and a
CSV; the ``standard-catalog`` rule checks the references and the website channel.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from gxgk_site import site_files, yamlio
from gxgk_site.config import WINDOW_SCHEMA
from gxgk_site.csv_cells import rows_text
from gxgk_site.findings import Finding, error, quoted
from gxgk_site.schema import Choice, Context, Field, ListOf, Record, Spec, Text, validate
from gxgk_site.windows import APPROVED, CALENDAR, DECIDED, FORMED, POLICY, WORKING, Window

CATALOG_FILE = "data/standard_catalog.yaml"
RULE = "standard-catalog"
AUDIENCES = ("全社会", "特定群体")  # 公开对象
MANNERS = ("主动", "依申请")  # 公开方式
LEVELS = ("省级", "市级", "县级", "乡级")  # 公开层级, in this order
TABLE_LEVELS = ("县级", "乡级")  # the 基层 table always shows these two
# A channel that is the website: 政府网站, 门户网站, 政府信息公开专栏, 信息公开平台, …
WEBSITE_CHANNEL = re.compile(r"网站|公开专栏|信息公开平台")

# The official table's labels, accepted as keys beside the English ones.
ALIASES = {
    "编号": "id", "一级事项": "group", "事项名称": "name", "二级事项": "name",
    "公开内容": "content", "公开内容（要素）": "content", "公开内容(要素)": "content",
    "公开依据": "basis", "公开时限": "deadline", "公开主体": "subject",
    "公开渠道和载体": "channels", "公开渠道": "channels", "公开对象": "audience",
    "公开方式": "manner", "公开层级": "level", "时限": "window",
    "公开事项": "matters", "标题": "title",
}


@dataclass(frozen=True, slots=True)
class Matter:
    """One 公开事项: a row of the official table."""

    name: str  # 事项名称 (二级事项)
    content: str  # 公开内容（要素）
    basis: str  # 公开依据
    deadline: str  # 公开时限, as the table prints it
    subject: str  # 公开主体
    channels: tuple[str, ...]  # 公开渠道和载体
    audience: tuple[str, ...]  # 公开对象
    manner: tuple[str, ...]  # 公开方式
    level: tuple[str, ...]  # 公开层级
    group: str | None = None  # 一级事项
    id: str | None = None
    window: Window | None = None  # from ``window:``, else read from the 公开时限
    line: int | None = field(default=None, compare=False)

    @property
    def on_website(self) -> bool:
        return any(WEBSITE_CHANNEL.search(channel) for channel in self.channels)

    @property
    def shown_name(self) -> str:
        return f"{self.group}/{self.name}" if self.group else self.name


@dataclass(frozen=True)
class StandardCatalog:
    matters: tuple[Matter, ...]
    title: str | None = None
    path: str = CATALOG_FILE

    def references(self) -> dict[str, Matter]:
        """What ``matter:`` may say: an id, ``一级事项/事项名称``, or a name only one 事项 has."""
        names: dict[str, list[Matter]] = {}
        for matter in self.matters:
            names.setdefault(matter.name, []).append(matter)
        found = {name: found[0] for name, found in names.items() if len(found) == 1}
        found.update((f"{m.group}/{m.name}", m) for m in self.matters if m.group)
        found.update((m.id, m) for m in self.matters if m.id)
        return found

    def ambiguous(self) -> set[str]:
        """Names that more than one 事项 has (name them by id or 一级事项/事项名称 instead)."""
        seen: set[str] = set()
        twice: set[str] = set()
        for matter in self.matters:
            (twice if matter.name in seen else seen).add(matter.name)
        return twice

    @property
    def levels(self) -> tuple[str, ...]:
        """The 公开层级 columns of the table: 县级 and 乡级, and any other level used."""
        used = {level for matter in self.matters for level in matter.level}
        return tuple(level for level in LEVELS if level in used or level in TABLE_LEVELS)


# --- 公开时限 as a window -------------------------------------------------------------------

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}
_NUMBER = r"\d+|[〇零一二两三四五六七八九十百]+"
_PERIOD = re.compile(rf"({_NUMBER})\s*个?\s*(工作日|自然日|日|天)\s*(?:以内|之内|内)")


def chinese_number(text: str) -> int | None:
    """'20' → 20, '二十' → 20, '十五' → 15, '七' → 7; None for what is not a number."""
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char in "十百":
            total += (1 if digit is None else digit) * (10 if char == "十" else 100)
            digit = None
        else:
            return None
    return total + (digit or 0)


def window_from_text(text: str) -> Window | None:
    """The window a 公开时限 states: 'N个工作日内' (working days) or 'N日内' (calendar days),
    counted from what the clause before it names: an approval (批复, 批准), a decision (决定),
    the formation (形成, 变更, 生成), a policy's publication (政策解读: 政策, 文件公开), else the
    formation; None when it states no such period ('常态化公开', '每季度', '次月10日前')."""
    match = _PERIOD.search(text)
    if match is None:
        return None
    days = chinese_number(match[1])
    if days is None or days > 366:
        return None
    unit = WORKING if match[2] == "工作日" else CALENDAR
    return Window(days, unit, _start_in(re.split("[，,；;。、]", text[:match.start()])[-1]))


def _start_in(clause: str) -> str:
    """What the clause before a period counts from (see window_from_text)."""
    if re.search("批复|批准", clause):
        return APPROVED
    if "决定" in clause:
        return DECIDED
    if re.search("形成|变更|生成|制作", clause):
        return FORMED
    if re.search("政策|文件(?:公开|公布|发布|印发)", clause):
        return POLICY
    return FORMED


# --- reading the file -----------------------------------------------------------------------

_SEPARATORS = re.compile(r"\s*[、，,；;/]\s*")
# the longer wording some tables print, for the values of the table's √ columns
_LONGER = {"主动公开": "主动", "依申请公开": "依申请", "乡镇级": "乡级", "县区级": "县级"}


@dataclass(frozen=True)
class Several(Spec):
    """One value or several: a list, or text with them separated by 、 or a comma
    ("政府网站、政务服务大厅"); each checked by ``item``."""

    item: Spec

    def convert(self, value: Any, key: str, ctx: Context) -> list[Any]:
        if isinstance(value, str):
            value = [part for part in _SEPARATORS.split(value.strip()) if part]
        if isinstance(value, list):
            value = [_LONGER.get(part.strip(), part) if isinstance(part, str) else part
                     for part in value]
        return ListOf(self.item, allow_scalar=True).convert(value, key, ctx)


def _texts(max_len: int) -> Several:
    return Several(Text(max_len=max_len))


def _matter(values: dict[str, Any]) -> Matter:
    window = values["window"] or window_from_text(values["deadline"])
    return Matter(
        name=values["name"], content=values["content"], basis=values["basis"],
        deadline=values["deadline"], subject=values["subject"],
        channels=tuple(values["channels"]), audience=tuple(values["audience"]),
        manner=tuple(values["manner"]), level=tuple(values["level"]), group=values["group"],
        id=values["id"], window=window)


MATTER_SCHEMA = Record({
    "id": Field(Text(max_len=40)),
    "group": Field(Text(max_len=100)),
    "name": Field(Text(max_len=100), required=True),
    "content": Field(Text(max_len=2000), required=True),
    "basis": Field(Text(max_len=2000), required=True),
    "deadline": Field(Text(max_len=200), required=True),
    "window": Field(WINDOW_SCHEMA),
    "subject": Field(Text(max_len=200), required=True),
    "channels": Field(_texts(100), required=True),
    "audience": Field(Several(Choice(AUDIENCES)), required=True),
    "manner": Field(Several(Choice(MANNERS)), required=True),
    "level": Field(Several(Choice(LEVELS)), required=True),
}, build=_matter, what="公开事项")

SCHEMA = Record({
    "title": Field(Text(max_len=100)),
    "matters": Field(ListOf(MATTER_SCHEMA), required=True),
}, what="standard catalogue (title, matters)")


def _english(data: Any, lines: yamlio.KeyLines, ctx: Context) -> tuple[Any, yamlio.KeyLines]:
    """The document with the table's Chinese labels as the English keys (lines renamed too);
    a bare list is the list of matters."""
    if isinstance(data, list):
        data = {"matters": data}
        lines = {f"matters.{key}": line for key, line in lines.items()}
    if not isinstance(data, dict):
        return data, lines
    renamed: dict[str, int] = dict(lines)

    def rename(mapping: dict[Any, Any], prefix: str) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for key, value in mapping.items():
            english = ALIASES.get(key, key) if isinstance(key, str) else key
            if english in out:
                ctx.report(f"{prefix}{key}", f"{quoted(english)} is given twice (as "
                           f"{quoted(key)} too); keep one")
                continue
            if english != key:
                for path in [p for p in lines if p == f"{prefix}{key}"
                             or p.startswith(f"{prefix}{key}.")]:
                    renamed[f"{prefix}{english}{path[len(prefix) + len(key):]}"] = lines[path]
            out[english] = value
        return out

    data = rename(data, "")
    matters = data.get("matters")
    if isinstance(matters, list):
        data["matters"] = [rename(m, f"matters.{i}.") if isinstance(m, dict) else m
                           for i, m in enumerate(matters)]
    return data, renamed


def load_standard_catalog(site_dir: Path) -> tuple[StandardCatalog | None, list[Finding]]:
    """The catalogue, or None when the site has none (or it cannot be read: see findings).
    Read only as a file listed in data/ (never through a symbolic link, see site_files)."""
    if CATALOG_FILE not in site_files.listing(site_dir, "data").files:
        return None, []
    try:
        data, lines = yamlio.load_path(site_dir / CATALOG_FILE)
    except yamlio.YamlProblem as exc:
        return None, [error(RULE, CATALOG_FILE, exc.line, exc.message)]
    ctx = Context(lines=lines, rule=RULE)
    data, lines = _english(data, lines, ctx)
    ctx.lines = lines
    values = validate(SCHEMA, data if data is not None else {}, ctx)
    findings = [error(RULE, CATALOG_FILE, p.line or 1, p.message) for p in ctx.problems]
    if values is None or findings:
        return None, findings
    matters = tuple(replace(matter, line=yamlio.line_of(lines, f"matters.{index}"))
                    for index, matter in enumerate(values["matters"]))
    catalog = StandardCatalog(matters=matters, title=values["title"])
    return catalog, _duplicates(catalog)


def _duplicates(catalog: StandardCatalog) -> list[Finding]:
    """An id, or a 一级事项/事项名称 pair, given to two 事项."""
    findings: list[Finding] = []
    seen: dict[str, Matter] = {}
    for matter in catalog.matters:
        keys = [f"id {quoted(matter.id)}"] if matter.id else []
        keys.append(f"事项 {quoted(matter.shown_name)}")
        for what in keys:
            if what in seen:
                findings.append(error(RULE, CATALOG_FILE, matter.line,
                                      f"{what} is listed twice (first on line "
                                      f"{seen[what].line}); each 公开事项 is listed once"))
            seen.setdefault(what, matter)
    return findings


# --- the published table --------------------------------------------------------------------

TABLE_TITLE = "基层政务公开标准目录"
CATALOG_PAGE = "standard-catalog/"  # the page's URL; its CSV is CATALOG_CSV
CATALOG_CSV = "standard-catalog.csv"
CSV_COLUMNS = ("序号", "一级事项", "二级事项", "公开内容（要素）", "公开依据", "公开时限",
               "公开主体", "公开渠道和载体")
CHECK_MARK = "√"


@dataclass(frozen=True, slots=True)
class TableRow:
    """A row of the published table: its number, its 事项, how many rows its 一级事项 cell
    spans (0: it is inside the cell of a row above) and the columns that carry it."""

    number: int
    matter: Matter
    group_rows: int
    columns: tuple[tuple[str, str], ...]  # (column name, column URL)


def table_rows(catalog: StandardCatalog,
               columns: list[tuple[str | None, str, str]]) -> list[TableRow]:
    """The table's rows in the file's order; ``columns`` are (matter reference, name, URL) of
    the site's columns. Consecutive 事项 of one 一级事项 share its cell, as the official table
    prints them."""
    references = catalog.references()
    carried: dict[int, list[tuple[str, str]]] = {}
    for reference, name, url in columns:
        matter = references.get(reference) if reference else None
        if matter is not None:
            carried.setdefault(id(matter), []).append((name, url))
    rows: list[TableRow] = []
    matters = catalog.matters
    index = 0
    while index < len(matters):
        group = matters[index].group
        span = 1
        while (group and index + span < len(matters)
               and matters[index + span].group == group):
            span += 1
        for offset in range(span):
            matter = matters[index + offset]
            rows.append(TableRow(index + offset + 1, matter, span if offset == 0 else 0,
                                 tuple(carried.get(id(matter), ()))))
        index += span
    return rows


def catalog_title(catalog: StandardCatalog, agency: str) -> str:
    return catalog.title or f"{agency}{TABLE_TITLE}"


def catalog_csv(catalog: StandardCatalog | None) -> str | None:
    """The table as CSV (None without a catalogue): UTF-8 with a byte-order mark, CRLF lines,
    one column per mark of 公开对象, 公开方式 and 公开层级; formula-like cells defused
    (csv_cells)."""
    if catalog is None:
        return None
    marks = ([("公开对象", value) for value in AUDIENCES]
             + [("公开方式", value) for value in MANNERS]
             + [("公开层级", value) for value in catalog.levels])
    header = [*CSV_COLUMNS, *(f"{what}（{value}）" for what, value in marks)]
    body = []
    for number, matter in enumerate(catalog.matters, start=1):
        chosen = {"公开对象": matter.audience, "公开方式": matter.manner, "公开层级": matter.level}
        body.append([number, matter.group or "", matter.name, matter.content, matter.basis,
                     matter.deadline, matter.subject, "、".join(matter.channels),
                     *(CHECK_MARK if value in chosen[what] else "" for what, value in marks)])
    return "\ufeff" + rows_text([header, *body])
