"""``data/reports/YEAR.yaml``: what the site cannot know for the annual report.

Table 二's rows the site does not count (行政许可, 行政处罚, 行政强制 decisions and the 行政事业性
收费 amount, under ``administrative`` or ``table2``) and, by hand, its 第二十条第（一）项 rows
(``table2``: 规章, 行政规范性文件); table 三 when there is no ledger (``applications``, or
``table3``); table 四 (``review_litigation``, or ``table4``); the 信息处理费 collected, the day the
report was published, and the narrative of sections 一, 五 and 六 (Markdown). Tables are entered
as they print (see ``entered``).

Nothing given is ever dropped quietly: every problem is a finding at its line, and what it
touched is *rejected* (``ReportInput.rejected``): the cross-checks leave a rejected table alone,
and ``gxgk report`` refuses to print the year (see ``refusal``).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from gxgk_site import site_files, yamlio
from gxgk_site.findings import Finding, error, warning
from gxgk_site.report.entered import (
    ANY_ROW,
    DECISION_ROWS,
    TABLE2_ROWS,
    Amount,
    Entered,
    Table2Input,
    Table3Input,
    Table4Input,
)
from gxgk_site.report.labels import TABLE2_ROW_NAMES
from gxgk_site.report.yaml_files import read_each
from gxgk_site.schema import Context, Day, Invalid, Spec, Text

REPORTS_DIR = "data/reports"
YEAR_FILE = re.compile(r"((?:19|20)\d\d)\.ya?ml")  # the years dates may have (see schema)
DOCUMENT = "document"  # in ReportInput.rejected: the whole file


@dataclass(frozen=True)
class ReportInput:
    year: int
    path: str
    lines: yamlio.KeyLines
    overview: str = ""
    problems: str = ""
    other: str = ""
    table2: Entered = field(default_factory=Entered)  # the rows of table 二 given
    applications: Entered | None = None  # table 三 by hand
    review_litigation: Entered = field(default_factory=Entered)  # table 四
    processing_fee: float = 0.0  # 元
    published: dt.date | None = None
    rejected: tuple[str, ...] = ()  # what was given but not taken (see rejects), sorted

    def line_of(self, key: str) -> int | None:
        return yamlio.line_of(self.lines, key)

    def rejects(self, part: str) -> bool:
        """Whether anything of ``part`` (e.g. "applications", "review_litigation.review") was
        rejected: then it must be neither printed nor cross-checked."""
        return any(r in (DOCUMENT, part) or r.startswith(f"{part}.")
                   or part.startswith(f"{r}.") for r in self.rejected)


# ---- the keys of the file ----


class _Required:
    """An empty value (``key:`` with nothing after it) is an error, not a default."""


@dataclass(frozen=True)
class _Part:
    spec: Spec
    empty: Any = _Required  # what ``key:`` with no value means
    table: str | None = None  # the key this one is another name for


_TEXT = Text(max_len=20000, allow_empty=True)
PARTS: dict[str, _Part] = {
    "overview": _Part(_TEXT, empty=""),
    "administrative": _Part(Table2Input(DECISION_ROWS, "administrative")),
    "table2": _Part(Table2Input(TABLE2_ROWS, "table 二")),
    "applications": _Part(Table3Input()),
    "table3": _Part(Table3Input(), table="applications"),
    "review_litigation": _Part(Table4Input()),
    "table4": _Part(Table4Input(), table="review_litigation"),
    "processing_fee": _Part(Amount(decimals=2)),
    "published": _Part(Day()),
    "problems": _Part(_TEXT, empty=""),
    "other": _Part(_TEXT, empty=""),
}


@dataclass
class _Reading:
    """One file's values, and what of it was rejected."""

    ctx: Context
    values: dict[str, Any] = field(default_factory=dict)
    written: dict[str, str] = field(default_factory=dict)  # part -> the key it was given as
    rejected: set[str] = field(default_factory=set)

    def read(self, data: dict[Any, Any]) -> None:
        for name, raw in data.items():
            part = PARTS.get(str(name))
            if part is None:
                self._unknown(str(name))
            elif (target := part.table or str(name)) in self.written:
                self.ctx.report(str(name), f"gives the same table as {self.written[target]}; "
                                           "keep one of them")
                self.rejected.add(target)
            else:
                self.written[target] = str(name)
                self._convert(target, str(name), part, raw)

    def _unknown(self, name: str) -> None:
        near = difflib.get_close_matches(name, list(PARTS), n=1, cutoff=0.6)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        self.ctx.report(name, f"unknown key{hint} (known keys: {', '.join(PARTS)}); what is "
                              "under it is not read")
        self.rejected.add(name)

    def _convert(self, target: str, name: str, part: _Part, raw: Any) -> None:
        if raw is None:
            if part.empty is _Required:
                self.ctx.report(name, "is empty; give its value, or remove the key")
                self.rejected.add(target)
            else:
                self.values[target] = part.empty
            return
        try:
            value = part.spec.convert(raw, name, self.ctx)
        except Invalid as exc:
            self.ctx.report(name, str(exc))
            self.rejected.add(target)
            return
        self.values[target] = value
        if isinstance(value, Entered) and value.rejected:
            self.rejected |= ({target} if ANY_ROW in value.rejected
                              else {f"{target}.{row}" for row in value.rejected})

    def table2(self) -> Entered:
        """``administrative`` and ``table2`` as one table 二; a row in both is rejected."""
        admin = self.values.get("administrative", Entered())
        rows = self.values.get("table2", Entered())
        for row in sorted(set(admin.paths) & set(rows.paths)):
            line = self.ctx.line_of(admin.paths[row])
            self.ctx.report(rows.paths[row], f"表二 row {TABLE2_ROW_NAMES.printed[row]} is "
                                             f"given twice: also as {admin.paths[row]} on line "
                                             f"{line}; keep one")
            self.rejected.add(f"table2.{row}")
        return Entered(admin.values | rows.values, admin.paths | rows.paths,
                       tuple(sorted({*admin.rejected, *rows.rejected})))


def due_day(year: int, due: tuple[int, int]) -> dt.date:
    """The day the ``year`` report is due by: ``due`` (month, day) of the next year."""
    return dt.date(year + 1, *due)


def _published(year: int, day: dt.date | None, relative: str, line: int | None,
               due: tuple[int, int]) -> tuple[Finding | None, bool]:
    """What is wrong with the day the report was published; True when it is rejected."""
    if day is None:
        return None, False
    if day <= dt.date(year, 12, 31):
        return error("report", relative, line,
                     f"published {day} is before the year {year} ended: the report covers 1 "
                     f"January to 31 December {year}; give the day it was published"), True
    last = due_day(year, due)
    if day > last:
        return warning("report", relative, line,
                       f"published {day}, after {last}: the {year} report is due by {last} "
                       "(条例第四十九条: 31 January for a department, 31 March for a "
                       "县级以上地方人民政府's own report; rules.report_due); if the date is "
                       "wrong, correct it"), False
    return None, False


def read_input(year: int, relative: str, data: Any, lines: yamlio.KeyLines,
               findings: list[Finding], due: tuple[int, int] = (1, 31)) -> ReportInput:
    """One year's file as read; every problem a finding, what it touched rejected."""
    ctx = Context(lines=lines, rule="report")
    reading = _Reading(ctx)
    if isinstance(data, dict):
        reading.read(data)
    elif data is not None:
        ctx.report("", "expected a mapping of keys (" + ", ".join(PARTS) + ")")
        reading.rejected.add(DOCUMENT)
    values = reading.values
    table2 = reading.table2()
    findings += [error("report", relative, p.line, p.message)
                 for p in sorted(ctx.problems, key=lambda p: p.line or 0)]
    late, rejected = _published(year, values.get("published"), relative,
                                yamlio.line_of(lines, "published"), due)
    if late is not None:
        findings.append(late)
    return ReportInput(
        year=year, path=relative, lines=lines, overview=values.get("overview", ""),
        problems=values.get("problems", ""), other=values.get("other", ""), table2=table2,
        applications=values.get("applications"),
        review_litigation=values.get("review_litigation", Entered()),
        processing_fee=values.get("processing_fee", 0.0),
        published=values.get("published"),
        rejected=tuple(sorted(reading.rejected | ({"published"} if rejected else set()))),
    )


# ---- the files ----


def report_files(site_dir: Path) -> list[tuple[int, Path]]:
    found = []
    for relative in site_files.listing(site_dir, REPORTS_DIR).files:  # never through a link
        match = YEAR_FILE.fullmatch(relative.rpartition("/")[2])
        if match and relative.count("/") == 2:
            found.append((int(match[1]), site_dir / relative))
    return found


def _misnamed(site_dir: Path) -> list[Finding]:
    folder = site_dir / REPORTS_DIR
    if not folder.is_dir():
        return []
    return [error("report", path.relative_to(site_dir).as_posix(), None,
                  "a report file is named after its year, e.g. 2025.yaml; this one is not read")
            for path in sorted(folder.iterdir())
            if path.suffix in (".yaml", ".yml") and not YEAR_FILE.fullmatch(path.name)]


def _add(inputs: dict[int, ReportInput], report: ReportInput, findings: list[Finding]) -> None:
    """One file per year: a second one (2025.yaml and 2025.yml) rejects the year."""
    first = inputs.get(report.year)
    if first is None:
        inputs[report.year] = report
        return
    findings.append(error("report", report.path, None,
                          f"{first.path} holds the {report.year} report's data too; keep one "
                          "file per year"))
    inputs[report.year] = replace(first, rejected=tuple(sorted({*first.rejected, DOCUMENT})))


def load_inputs(site_dir: Path, due: tuple[int, int] = (1, 31),
                ) -> tuple[dict[int, ReportInput], list[Finding]]:
    """Every year's input; ``due``: (month, day) a report is due by (rules.report_due)."""
    inputs: dict[int, ReportInput] = {}
    findings = _misnamed(site_dir)
    unreadable: list[tuple[int, str]] = []
    for year, relative, data, lines in read_each(site_dir, report_files(site_dir), "report",
                                                 findings, unreadable):
        _add(inputs, read_input(year, relative, data, lines, findings, due), findings)
    for year, relative in unreadable:  # not YAML: reported, and the year is not usable
        _add(inputs, ReportInput(year, relative, {}, rejected=(DOCUMENT,)), findings)
    return inputs, findings
