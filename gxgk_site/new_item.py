"""`gxgk new`: start an item with the complete front-matter an editor fills in.

The file is ``content/<category>/<year>-<serial>.md``, named after its index number (titles are
Chinese; the number is stable, ASCII and unique). It is formed today, carries the next free index
number of the year, is 主动公开, has empty 初审/复审/终审 and 保密审查 slots, an empty summary and
``draft: true``, so `gxgk check` reports what is still missing as warnings that never block.
Nothing is ever overwritten: the file is created exclusively, under another name if needed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from gxgk_site import site_files
from gxgk_site.config import TIER_NAMES, TIERS
from gxgk_site.findings import quoted
from gxgk_site.item_schema import ITEM_FIELDS
from gxgk_site.loader import CONTENT_DIR, load_item
from gxgk_site.model import KINDS_WITH_VALIDITY, STANDARD_KINDS, Item, Site
from gxgk_site.schema import Context, Invalid
from gxgk_site.windows import APPROVED, DECIDED, FORMED, POLICY, START_KEYS, Chosen, Term, Windows

__all__ = ["STANDARD_KINDS", "NewItem", "NewItemRefused", "create_item", "describe"]
INTERPRETATION_KIND = "政策解读"
BODY_PLACEHOLDER = "（在此填写正文。）\n"
SERIAL_DIGITS = 5
_MAX_NAME_TRIES = 100


class NewItemRefused(Exception):
    """The item cannot be created as asked; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class NewItem:
    path: str  # relative to the site directory, POSIX form
    index_no: str
    item: Item
    term: Term  # its window, counted out when it can be (formed today; decided, approved: not)

    @property
    def deadline(self) -> dt.date | None:
        """Publish by this day (the window's last day); None until its start date is filled."""
        return self.term.deadline


def known_kinds(site: Site) -> list[str]:
    """The standard kinds, then those the site's items use or rules.windows names (not a
    category id), without repeats."""
    ids = {category.id for category in site.config.all_categories()}
    named = {name for name in site.config.rules.windows if name not in ids}
    used = sorted(({item.kind for item in site.items if item.kind} | named)
                  - set(STANDARD_KINDS))
    return [*STANDARD_KINDS, *used]


def next_index_no(site_dir: Path, code: str, year: int) -> str:
    """``{code}/{year}-{serial}`` with the serial one above the highest used in that year.

    Every Markdown file under content/ is read as text, items or not, valid or broken, public or
    not, so that a number once given is never handed out again.
    """
    pattern = re.compile(rf"{re.escape(code)}/{year}-(\d{{{SERIAL_DIGITS}}})(?!\d)")
    highest = 0
    for relative in site_files.listing(site_dir, CONTENT_DIR).files:  # never through a link
        if not relative.endswith(".md"):
            continue
        path = site_dir / relative
        try:
            text = path.read_bytes().decode("utf-8", errors="replace")
        except OSError:
            continue
        for match in pattern.finditer(text):
            highest = max(highest, int(match[1]))
    serial = highest + 1
    if serial >= 10 ** SERIAL_DIGITS:
        raise NewItemRefused(f"every index number of {year} up to {code}/{year}-{highest:05d} "
                             "is used; there is no free serial left this year")
    return f"{code}/{year}-{serial:0{SERIAL_DIGITS}d}"


def _scalar(text: str) -> str:
    """``text`` as a YAML scalar: plain when it reads back unchanged, else double-quoted."""
    try:
        plain = yaml.safe_load(text) == text
    except yaml.YAMLError:
        plain = False
    return text if plain else json.dumps(text, ensure_ascii=False)


def _commented(text: str, comment: str, column: int = 31) -> str:
    """``text``, then ``# comment`` from ``column`` on (a CJK character is two columns wide)."""
    width = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return f"{text}{' ' * max(2, column - width)}# {comment}"


def _window_note(chosen: Chosen) -> str:
    window = chosen.window
    return f"the {window.days}-{window.unit}-day window{chosen.suffix} starts here"


def skeleton(*, title: str, category: str, category_name: str, formed: dt.date, index_no: str,
             kind: str | None, chosen: Chosen | None = None) -> str:
    """The text of a new item: every key an editor sets, with what each is for; ``chosen`` is
    its window (default: 条例第二十六条's, from formed)."""
    start = chosen.window.start if chosen is not None else FORMED
    note = _window_note(chosen) if chosen is not None else "the 20-working-day window starts here"
    lines = [
        "---",
        f"title: {_scalar(title)}",
        _commented("attribute: 主动公开",
                   "主动公开 | 依申请公开 | 不予公开 (then add exempt_ground)"),
        _commented(f"category: {category}", category_name),
        _commented(f"formed: {formed.isoformat()}",
                   "成文日期" + (f": {note}" if start == FORMED else "")),
    ]
    if start in (DECIDED, APPROVED):
        key, meaning = START_KEYS[start]
        lines.append(_commented(f"{key}:", f"{meaning}, YYYY-MM-DD: {note}"))
    lines += [
        _commented(f"index_no: {index_no}", "索引号: unique, never reused", 0),
        _commented("summary:", "内容概述: required, at most 300 characters"),
        _commented("doc_number:", "文号, e.g. 示人社发〔2025〕12号 (empty when none)"),
        _commented("department:", "the 科室 that drafted it"),
        _commented(f"kind: {_scalar(kind)}" if kind else "kind:",
                   "规章, 规范性文件, 政策解读, 工作动态, 通知公告, …"),
    ]
    if kind in KINDS_WITH_VALIDITY:
        lines.append(_commented("validity: 有效", "有效 | 失效 | 废止"))
    if kind == INTERPRETATION_KIND or start == POLICY:
        lines.append(_commented("interprets:", "the index number of the policy it explains"
                                + (f"; {note} (its publication)" if start == POLICY else "")))
    lines += [
        "keywords: []",
        _commented("reviewers:", "三审: three different people, in this order"),
        *(_commented(f"  {tier}: {{name: , date: }}", TIER_NAMES[tier]) for tier in TIERS),
        _commented("secrecy_review: {name: , date: }", "保密审查: on or before publication", 0),
        "# published: YYYY-MM-DD HH:MM  # optional; otherwise the day of the first commit",
        _commented("draft: true", "delete this line when the item is ready to publish"),
        "---",
        "",
        BODY_PLACEHOLDER,
    ]
    return "\n".join(lines)


def _check_title(title: str) -> str:
    if "\n" in title.strip() or "\r" in title.strip():
        raise NewItemRefused("the title is one line; remove the line breaks")
    try:
        return str(ITEM_FIELDS["title"].spec.convert(title, "title", Context(lines={},
                                                                             rule="new")))
    except Invalid as exc:
        raise NewItemRefused(f"--title {exc}") from None


def _check_category(site: Site, category: str) -> str:
    categories = site.config.all_categories()
    for node in categories:
        if node.id == category:
            return node.name
    valid = ", ".join(f"{node.id} ({node.name})" for node in categories)
    raise NewItemRefused(f"--category {quoted(category)} is not a category of site.yaml; use "
                         f"one of: {valid}")


def _check_kind(site: Site, kind: str | None) -> str | None:
    if kind is None:
        return None
    kind = kind.strip()
    kinds = known_kinds(site)
    if kind not in kinds:
        raise NewItemRefused(f"--kind {quoted(kind)} is not a known kind; use one of: "
                             f"{', '.join(kinds)} (or leave --kind out and fill kind in later)")
    return kind


def _create_exclusively(folder: Path, stem: str, text: str) -> Path:
    """Write ``text`` to ``stem.md``, or ``stem-2.md``, …: never over an existing file."""
    folder.mkdir(parents=True, exist_ok=True)
    for attempt in range(1, _MAX_NAME_TRIES + 1):
        path = folder / (f"{stem}.md" if attempt == 1 else f"{stem}-{attempt}.md")
        try:
            with path.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        except FileExistsError:
            continue
        return path
    raise NewItemRefused(f"{folder / stem}.md and {_MAX_NAME_TRIES - 1} other names like it "
                         "already exist; nothing was written")


def create_item(site: Site, *, category: str, title: str, kind: str | None = None) -> NewItem:
    """Write a new draft item into ``content/<category>/``; raises NewItemRefused."""
    title = _check_title(title)
    category_name = _check_category(site, category)
    kind = _check_kind(site, kind)
    formed = site.today
    index_no = next_index_no(site.root, site.config.agency.code, formed.year)
    windows = Windows(site)
    text = skeleton(title=title, category=category, category_name=category_name, formed=formed,
                    index_no=index_no, kind=kind, chosen=windows.choose(category, kind))
    stem = index_no.rpartition("/")[2]
    path = _create_exclusively(site.root / CONTENT_DIR / category, stem, text)
    item, findings = load_item(site.root, path)
    if item is None:  # a bug in the skeleton: say so, keep the file for the editor
        raise RuntimeError(f"the new item {path} does not load: "
                           + "; ".join(f.message for f in findings))
    return NewItem(path=path.relative_to(site.root).as_posix(), index_no=index_no, item=item,
                   term=windows.term(item))


def describe(new: NewItem, site: Site) -> str:
    """What `gxgk new` prints: the file, its number, and when it must be published."""
    term = new.term
    todo = "fill in the summary, the sign-offs and the secrecy review, then delete 'draft: true'"
    if term.deadline is not None:
        when = f"publish by {term.deadline}: {term.why()}"
    else:
        key, meaning = START_KEYS[term.window.start]
        when = f"publish within {term.rule_of_thumb()}"
        todo = f"fill in {key} ({meaning}), " + todo.removeprefix("fill in ")
    return f"created {new.path} (draft, index_no {new.index_no})\n{when}; {todo}\n"
