"""``data/reports/YEAR.yaml``: what the site cannot know for the annual report.

The counts of 行政许可, 行政处罚 and 行政强制 decisions and the 行政事业性收费 amount (table 二),
table 四 (行政复议 and 行政诉讼), the 信息处理费 collected, and the narrative of sections 一, 五
and 六 (Markdown). A year without a ledger gives table 三 here (``applications``); its numbers
are then checked, not computed. Table rows and columns may be named by key or as the table prints
them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gxgk_site import site_files, yamlio
from gxgk_site.findings import Finding, error, quoted
from gxgk_site.report.national_format import (
    CARRIED_IN_ROW,
    CARRIED_OUT_ROW,
    COLUMNS,
    NEW_ROW,
    RESULT_COLUMNS,
    RESULTS_TOTAL_ROW,
    TABLE3_ROWS,
    TABLE4_GROUPS,
    Row,
    outcome_names,
)
from gxgk_site.report.yaml_files import read_each
from gxgk_site.schema import Context, Day, Field, Invalid, Record, Spec, Text, validate

REPORTS_DIR = "data/reports"
_YEAR_FILE = re.compile(r"((?:19|20)\d\d)\.ya?ml")  # the years dates may have (see schema)
# the numbering before a row label: 一、 or （七）
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


def _row_names() -> dict[str, Row]:
    names: dict[str, Row] = {}
    for row in TABLE3_ROWS:
        unnumbered = _NUMBERING.sub("", row.label)
        candidates = {row.key, row.label, unnumbered}
        if row.outcome:
            candidates |= outcome_names(row)
        candidates |= {
            NEW_ROW.key: {"本年新收"}, CARRIED_IN_ROW.key: {"上年结转"},
            RESULTS_TOTAL_ROW.key: {"总计"}, CARRIED_OUT_ROW.key: {"结转下年度"},
        }.get(row.key, set())
        for name in candidates:
            names.setdefault(name, row)
    return names


ROW_BY_NAME = _row_names()


class Count(Spec):
    """A non-negative whole number of cases."""

    def convert(self, value: Any, key: str, ctx: Context) -> int:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Invalid(f"expected a whole number, got {quoted(value)}")
        if isinstance(value, float) and not value.is_integer():
            raise Invalid(f"{value} is not a whole number; counts are whole numbers of cases")
        if value < 0:
            raise Invalid(f"{value} is negative; counts cannot be")
        return int(value)


class Amount(Spec):
    """A non-negative amount (万元 or 元), decimals allowed."""

    def convert(self, value: Any, key: str, ctx: Context) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Invalid(f"expected an amount, got {quoted(value)}")
        if value < 0:
            raise Invalid(f"{value} is negative")
        return float(value)


@dataclass(frozen=True)
class Vector(Spec):
    """Counts for named columns: a list in column order, or a mapping by column name."""

    columns: tuple[str, ...]
    names: dict[str, str] = field(default_factory=dict)  # other names -> column

    def convert(self, value: Any, key: str, ctx: Context) -> tuple[int, ...]:
        count = Count()
        if isinstance(value, list):
            if len(value) != len(self.columns):
                raise Invalid(f"expected {len(self.columns)} numbers "
                              f"({', '.join(self.columns)}), got {len(value)}")
            return tuple(count.convert(v, key, ctx) for v in value)
        if isinstance(value, dict):
            result = dict.fromkeys(self.columns, 0)
            for name, number in value.items():
                column = self.names.get(str(name), str(name))
                if column not in result:
                    raise Invalid(f"unknown column {quoted(name)}; columns: "
                                  f"{', '.join(self.columns)}")
                result[column] = count.convert(number, f"{key}.{name}", ctx)
            return tuple(result[column] for column in self.columns)
        raise Invalid(f"expected a list of {len(self.columns)} numbers or a mapping by column")


class Table3Input(Spec):
    """Table 三 entered by hand: row -> seven counts (six applicant types and 总计)."""

    def convert(self, value: Any, key: str, ctx: Context) -> dict[str, tuple[int, ...]]:
        if not isinstance(value, dict):
            raise Invalid("expected a mapping of table 三 rows to their seven numbers")
        rows: dict[str, tuple[int, ...]] = {}
        vector = Vector(COLUMNS)
        for name, numbers in value.items():
            row = ROW_BY_NAME.get(str(name))
            if row is None:
                near = difflib.get_close_matches(str(name), list(ROW_BY_NAME), n=1, cutoff=0.4)
                hint = f"; did you mean {near[0]}?" if near else ""
                ctx.report(f"{key}.{name}", f"not a row of table 三{hint}")
                continue
            try:
                rows[row.key] = vector.convert(numbers, f"{key}.{name}", ctx)
            except Invalid as exc:
                ctx.report(f"{key}.{name}", str(exc))
        return rows


_TABLE4_COLUMNS = tuple(key for key, _ in RESULT_COLUMNS)
_TABLE4_NAMES = {label: key for key, label in RESULT_COLUMNS} | {
    label.removeprefix("结果"): key for key, label in RESULT_COLUMNS}


@dataclass(frozen=True)
class ReportInput:
    year: int
    path: str
    lines: dict[str, int]
    overview: str = ""
    problems: str = ""
    other: str = ""
    administrative: dict[str, float] = field(default_factory=dict)  # licensing, penalty, ...
    applications: dict[str, tuple[int, ...]] | None = None  # table 三 by hand
    review_litigation: dict[str, tuple[int, ...]] = field(default_factory=dict)
    processing_fee: float = 0.0
    published: dt.date | None = None

    def line_of(self, key: str) -> int | None:
        return yamlio.line_of(self.lines, key)


SCHEMA = Record(
    {
        "overview": Field(Text(max_len=20000, allow_empty=True), default=""),
        "administrative": Field(Record({
            "licensing": Field(Count(), default=0),
            "penalty": Field(Count(), default=0),
            "coercion": Field(Count(), default=0),
            "fees": Field(Amount(), default=0.0),
        }), default={}),
        "applications": Field(Table3Input()),
        "review_litigation": Field(Record({
            group: Field(Vector(_TABLE4_COLUMNS, _TABLE4_NAMES), default=(0,) * 5)
            for group, _ in TABLE4_GROUPS}), default={}),
        "processing_fee": Field(Amount(), default=0.0),
        "problems": Field(Text(max_len=20000, allow_empty=True), default=""),
        "other": Field(Text(max_len=20000, allow_empty=True), default=""),
        "published": Field(Day()),
    },
    what="annual report data",
)


def report_files(site_dir: Path) -> list[tuple[int, Path]]:
    found = []
    for relative in site_files.listing(site_dir, REPORTS_DIR).files:  # never through a link
        match = _YEAR_FILE.fullmatch(relative.rpartition("/")[2])
        if match and relative.count("/") == 2:
            found.append((int(match[1]), site_dir / relative))
    return found


def load_inputs(site_dir: Path) -> tuple[dict[int, ReportInput], list[Finding]]:
    inputs: dict[int, ReportInput] = {}
    findings: list[Finding] = []
    folder = site_dir / REPORTS_DIR
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.suffix in (".yaml", ".yml") and not _YEAR_FILE.fullmatch(path.name):
                findings.append(error("report", path.relative_to(site_dir).as_posix(), None,
                                      "a report file is named after its year, e.g. 2025.yaml"))
    for year, relative, data, lines in read_each(site_dir, report_files(site_dir), "report",
                                                 findings):
        ctx = Context(lines=lines, rule="report")
        values = validate(SCHEMA, data if data is not None else {}, ctx)
        findings += [error("report", relative, p.line, p.message) for p in ctx.problems]
        if values is None:
            continue
        inputs[year] = ReportInput(
            year=year, path=relative, lines=lines, overview=values["overview"],
            problems=values["problems"], other=values["other"],
            administrative=dict(values["administrative"] or {}),
            applications=values["applications"],
            review_litigation=dict(values["review_litigation"] or {}),
            processing_fee=values["processing_fee"], published=values["published"],
        )
    return inputs, findings
