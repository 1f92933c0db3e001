"""Publication windows: which one applies to an item, and its deadline.

The one place that answers "by when must this item be public": the `window` rule, `gxgk
deadlines` and `gxgk new` all ask it.

- The default is 条例第二十六条: ``rules.window_working_days`` (20) working days after the
  item was formed.
- ``rules.windows`` in site.yaml maps a kind or a category id to its own window: ``days``,
  ``unit`` (``working`` days on the official calendar, or ``calendar`` days) and ``from``, the
  day it counts from: ``formed``, ``decided`` (作出决定日期: 行政处罚, 行政许可), ``approved``
  (批复日期: 部门预算/决算) or ``policy`` (the publication of the item named by ``interprets``:
  政策解读).
- A 公开事项 of the standard catalogue (data/standard_catalog.yaml) gives the window of its
  公开时限 to the items and columns that name it (``matter:``).

The most specific window wins: the item's own 事项; then its column's window (``rules.windows``
under the column's id, else the column's 事项), then the parent column's, up to the top; then
its kind's; then the default. A ``changed`` date after the window's start restarts it (the
change goes public within the same window). The start day is not counted (民法典第二百零一条);
calendar-day windows are plain calendar days, even when the last one is a holiday (see README).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gxgk_site.model import Item, Site

WORKING, CALENDAR = "working", "calendar"
UNITS = (WORKING, CALENDAR)
FORMED, DECIDED, APPROVED, POLICY = "formed", "decided", "approved", "policy"
STARTS = (FORMED, DECIDED, APPROVED, POLICY)
# what an editor adds when a window's start is missing, and what it is called in Chinese
START_KEYS = {DECIDED: ("decided", "作出决定日期"), APPROVED: ("approved", "批复日期"),
              POLICY: ("interprets", "the index number of the policy it interprets")}


@dataclass(frozen=True, slots=True)
class Window:
    """A period: ``days`` of ``unit`` after the day named by ``start``."""

    days: int
    unit: str = WORKING
    start: str = FORMED  # 'from' in site.yaml
    line: int | None = field(default=None, compare=False)  # of its entry in site.yaml

    @property
    def period(self) -> str:
        return f"{self.days} {self.unit} days"


@dataclass(frozen=True, slots=True)
class Chosen:
    """The window that applies to an item, and what gave it."""

    window: Window
    label: str | None = None  # "行政处罚", "column 财政预决算", "事项 …"; None: the default
    key: str | None = None  # the item's key that selects it: kind, category or matter

    @property
    def suffix(self) -> str:
        return f" ({self.label})" if self.label else ""


@dataclass(frozen=True, slots=True)
class Term:
    """An item's window counted out: from when, until when; or why it cannot be."""

    chosen: Chosen
    start: dt.date | None  # None: the date it counts from is missing or not there yet
    start_what: str  # formed | changed | decided | approved | policy
    deadline: dt.date | None
    missing: str | None = None  # the front-matter key to add (decided, approved, interprets)
    waiting_for: Item | None = None  # from: policy, while the policy is not published
    unresolved: str | None = None  # interprets names no item (the link rule reports it)
    policy: str | None = None  # from: policy, the index number of the policy

    @property
    def window(self) -> Window:
        return self.chosen.window

    def since(self) -> str:
        """'decided 2025-03-03', or 'policy 11990100MB0123456X/2025-00019 published
        2025-03-03' (the policy by its index number: a change to it concerns this item)."""
        if self.start_what == POLICY:
            return f"policy {self.policy} published {self.start}"
        return f"{self.start_what} {self.start}"

    def why(self) -> str:
        """'7 working days after decided 2025-03-03 (行政处罚)'."""
        return f"{self.window.period} after {self.since()}{self.chosen.suffix}"

    def rule_of_thumb(self) -> str:
        """The window without a date: '7 working days after decided (行政处罚)'."""
        start = "its policy's publication" if self.window.start == POLICY else self.window.start
        return f"{self.window.period} after {start}{self.chosen.suffix}"


def late_by(site: Site, window: Window, deadline: dt.date, day: dt.date) -> str:
    """How far ``day`` is after ``deadline``, in the window's unit: '2 working day(s)'."""
    if window.unit == CALENDAR:
        return f"{(day - deadline).days} day(s)"
    return f"{site.calendar.count(deadline, day)} working day(s)"


class Windows:
    """The windows of one site, resolved once: ask ``term(item)`` or ``choose(…)``."""

    def __init__(self, site: Site) -> None:
        self.site = site
        rules = site.config.rules
        self.default = Chosen(Window(rules.window_working_days))
        categories = site.config.all_categories()
        ids = {category.id for category in categories}
        self.by_kind = {name: Chosen(window, name, "kind")
                        for name, window in rules.windows.items() if name not in ids}
        catalog = site.standard_catalog
        self.by_matter: dict[str, Chosen] = {}
        if catalog is not None:
            for reference, matter in catalog.references().items():
                if matter.window is not None:
                    self.by_matter[reference] = Chosen(matter.window, f"事项 {matter.name}",
                                                       "matter")
        self.by_category: dict[str, Chosen] = {}
        self._walk(site.config.categories, None)
        self._policies: dict[str, Item] | None = None

    def _walk(self, nodes: tuple, inherited: Chosen | None) -> None:
        windows = self.site.config.rules.windows
        for node in nodes:
            own = windows.get(node.id)
            if own is not None:
                chosen: Chosen | None = Chosen(own, f"column {node.name}", "category")
            elif node.matter is not None and node.matter in self.by_matter:
                matter = self.by_matter[node.matter]
                chosen = Chosen(matter.window, f"column {node.name}: {matter.label}", "category")
            else:
                chosen = inherited
            if chosen is not None:
                self.by_category[node.id] = chosen
            self._walk(node.children, chosen)

    def choose(self, category: str | None, kind: str | None,
               matter: str | None = None) -> Chosen:
        """The most specific window for an item of this category, kind and 事项."""
        if matter is not None and matter in self.by_matter:
            return self.by_matter[matter]
        if category is not None and category in self.by_category:
            return self.by_category[category]
        if kind is not None and kind in self.by_kind:
            return self.by_kind[kind]
        return self.default

    def chosen(self, item: Item) -> Chosen:
        return self.choose(item.category, item.kind, item.matter)

    def policy_of(self, item: Item) -> Item | None:
        if self._policies is None:  # the first item wins, as in the link rule
            self._policies = {other.index_no: other for other in reversed(self.site.items)
                              if other.index_no}
        return self._policies.get(item.interprets) if item.interprets else None

    def _start(self, item: Item, window: Window) -> tuple[dt.date | None, Term | None]:
        """The day the window counts from, or the Term saying why there is none."""
        if window.start == FORMED:
            return item.formed, None
        if window.start in (DECIDED, APPROVED):
            return getattr(item, window.start), None
        if not item.interprets:
            return None, None
        policy = self.policy_of(item)
        if policy is None:
            return None, Term(self.chosen(item), None, POLICY, None,
                              unresolved=item.interprets)
        published = policy_publication(policy)
        if published is None:
            return None, Term(self.chosen(item), None, POLICY, None, waiting_for=policy,
                              policy=item.interprets)
        return published, None

    def term(self, item: Item) -> Term:
        chosen = self.chosen(item)
        window = chosen.window
        start, pending = self._start(item, window)
        if pending is not None:
            return pending
        if start is None:
            return Term(chosen, None, window.start, None, missing=START_KEYS[window.start][0])
        what = window.start
        if item.changed is not None and item.changed > start:
            start, what = item.changed, "changed"
        return Term(chosen, start, what, deadline_after(self.site, window, start),
                    policy=item.interprets if window.start == POLICY else None)


def policy_publication(policy: Item) -> dt.date | None:
    """When a policy went public: its publication, unless it is a draft or still pending."""
    from gxgk_site.model import PublicationSource

    publication = policy.publication
    if policy.draft or publication is None or publication.source is PublicationSource.PENDING:
        return None
    return publication.date


def deadline_after(site: Site, window: Window, start: dt.date) -> dt.date:
    """The last day of the window counted from ``start`` (not counted itself)."""
    if window.unit == CALENDAR:
        return start + dt.timedelta(days=window.days)
    return site.calendar.add(start, window.days)


def term_of(site: Site, item: Item) -> Term:
    """One item's term (building the site's windows: ask a Windows for many items)."""
    return Windows(site).term(item)
