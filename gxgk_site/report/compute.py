"""Computing a year's report: table 二 from the items, table 三 from the ledger (or checking the
numbers entered by hand), table 四 from the report data, and every cross-sum of the format.

Table 三, per applicant column, for year Y:
- 一、本年新收: received in Y;
- 二、上年结转: received before 1 January of Y and undecided on that day;
- the outcome rows: decided in Y, by outcome; （七）总计: their sum;
- 四、结转下年度继续办理: received by 31 December of Y and undecided on that day.
So 一 + 二 = （七）总计 + 四 for every column, and 总计 is the sum of the six applicant columns.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from gxgk_site.findings import Finding, error
from gxgk_site.model import Item, Site
from gxgk_site.report.inputs import ReportInput
from gxgk_site.report.ledger import Application
from gxgk_site.report.national_format import (
    APPLICANT_TYPES,
    CARRIED_IN_ROW,
    CARRIED_OUT_ROW,
    COLUMNS,
    NEW_ROW,
    OUTCOME_ROWS,
    RESULTS_TOTAL_ROW,
    TABLE3_ROWS,
    TABLE4_GROUPS,
)

REGULATION_KINDS = {"rules": {"规章"}, "normative": {"规范性文件", "行政规范性文件"}}
_GROUP_LABEL = dict(TABLE4_GROUPS)


@dataclass(frozen=True, slots=True)
class CheckProblem:
    table: str  # 表二, 表三, 表四
    row: str
    column: str
    message: str


@dataclass
class AnnualReport:
    year: int
    agency: str
    data: ReportInput | None
    regulations: dict[str, tuple[int, int, int]]  # rules/normative -> made, repealed, in force
    regulations_counted: dict[str, tuple[int, int, int]]  # the same, counted from the items
    decisions: dict[str, float]  # licensing, penalty, coercion (counts), fees (万元)
    applications: dict[str, tuple[int, ...]]  # table 三 row key -> seven values
    applications_source: str  # "ledger", "entered" or "none"
    review_litigation: dict[str, tuple[int, ...]]  # table 四 group -> five values
    published_by_column: list[tuple[str, int]]
    published_by_month: list[int]
    problems: list[CheckProblem] = field(default_factory=list)

    @property
    def published_total(self) -> int:
        return sum(self.published_by_month)

    def rejects(self, part: str) -> bool:
        """Whether the year's data file had ``part`` (e.g. "applications") rejected."""
        return self.data is not None and self.data.rejects(part)


def _regulations(items: list[Item], year: int) -> dict[str, tuple[int, int, int]]:
    end = dt.date(year, 12, 31)
    result = {}
    for key, kinds in REGULATION_KINDS.items():
        made = repealed = in_force = 0
        for item in items:
            if item.draft or item.kind not in kinds:
                continue
            made += item.formed.year == year
            repealed += item.repealed is not None and item.repealed.year == year
            ended = item.validity in ("失效", "废止") and (item.repealed is None
                                                        or item.repealed <= end)
            in_force += item.formed <= end and not ended
        result[key] = (made, repealed, in_force)
    return result


def relevant(application: Application, year: int) -> bool:
    """Whether the application counts in the year's table 三."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return application.received <= end and (
        application.received >= start or application.undecided_on(start - dt.timedelta(days=1)))


def ledger_table(applications: list[Application], year: int) -> dict[str, tuple[int, ...]]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    counts: dict[str, Counter[str]] = {row.key: Counter() for row in TABLE3_ROWS}
    for a in applications:
        if start <= a.received <= end:
            counts[NEW_ROW.key][a.applicant] += 1
        if a.received < start and a.undecided_on(start - dt.timedelta(days=1)):
            counts[CARRIED_IN_ROW.key][a.applicant] += 1
        if a.decided is not None and start <= a.decided <= end and a.outcome is not None:
            counts[a.outcome.key][a.applicant] += 1
            counts[RESULTS_TOTAL_ROW.key][a.applicant] += 1
        if a.undecided_on(end):
            counts[CARRIED_OUT_ROW.key][a.applicant] += 1
    return {key: (*(counter[t] for t in APPLICANT_TYPES), sum(counter.values()))
            for key, counter in counts.items()}


def _published(site: Site, year: int) -> tuple[list[tuple[str, int]], list[int]]:
    paths = {}
    for top in site.config.categories:
        stack = [top]
        while stack:
            node = stack.pop()
            paths[node.id] = top.name
            stack.extend(node.children)
    by_column: Counter[str] = Counter()
    by_month = [0] * 12
    for item in site.items:
        if not item.is_public or item.publication is None:
            continue
        day = item.publication.date
        if day.year == year and item.category in paths:
            by_column[paths[item.category]] += 1
            by_month[day.month - 1] += 1
    return [(top.name, by_column[top.name]) for top in site.config.categories], by_month


def years_with_data(site: Site) -> set[int]:
    """The years in which anything happened that the report counts.

    An item (drafts aside) formed, published or repealed in the year; an application of the
    ledger received or decided in it; or the year's data/reports/YEAR.yaml. What merely carries
    over (a regulation still in force, an application still open) does not count: on its own
    it would make every later year one with a report, a mistyped one too.
    """
    days: list[dt.date | None] = []
    for item in site.items:
        if not item.draft:
            days += (item.formed, item.repealed,
                     item.publication.date if item.publication is not None else None)
    for application in site.applications:
        days += (application.received, application.decided)
    return set(site.reports) | {day.year for day in days if day is not None}


def _table3(site: Site, data: ReportInput | None,
            year: int) -> tuple[dict[str, tuple[int, ...]], str]:
    """Table 三 and where it comes from: the ledger, else the numbers entered by hand."""
    in_ledger = [a for a in site.applications if relevant(a, year)]
    if in_ledger:
        return ledger_table(in_ledger, year), "ledger"
    if data is not None and data.applications is not None:
        zero = (0,) * len(COLUMNS)
        entered = data.applications.values
        return {row.key: tuple(int(v) for v in entered.get(row.key, zero))
                for row in TABLE3_ROWS}, "entered"
    return ledger_table([], year), "none"


def _regulations_printed(data: ReportInput | None, counted: dict[str, tuple[int, int, int]],
                         ) -> dict[str, tuple[int, int, int]]:
    """第二十条第（一）项 as the report prints it: each row entered by hand, else counted."""
    entered = data.table2.values if data is not None else {}
    printed = dict(counted)
    for key in counted.keys() & entered.keys():
        made, repealed, in_force = (int(v) for v in entered[key])
        printed[key] = (made, repealed, in_force)
    return printed


def compute(site: Site, year: int) -> AnnualReport:
    data = site.reports.get(year)
    applications, source = _table3(site, data, year)
    by_column, by_month = _published(site, year)
    table2 = data.table2.values if data is not None else {}
    table4 = data.review_litigation.values if data is not None else {}
    counted = _regulations(site.items, year)
    report = AnnualReport(
        year=year, agency=site.config.agency.name, data=data,
        regulations=_regulations_printed(data, counted), regulations_counted=counted,
        decisions={key: table2.get(key, (0,))[0] for key in
                   ("licensing", "penalty", "coercion", "fees")},
        applications=applications, applications_source=source,
        review_litigation={group: tuple(int(v) for v in table4.get(group, (0,) * 5))
                           for group, _ in TABLE4_GROUPS},
        published_by_column=by_column, published_by_month=by_month,
    )
    report.problems = cross_check(report)
    return report


def ledger_files(site: Site, year: int) -> list[str]:
    """The ledger files that hold applications counted in the year's table 三."""
    return sorted({a.path for a in site.applications if relevant(a, year)})


def source_conflict(site: Site, year: int) -> Finding | None:
    """Table 三 entered by hand for a year the ledger counts too: an error naming both."""
    data = site.reports.get(year)
    if data is None or data.applications is None:
        return None
    files = ledger_files(site, year)
    if not files:
        return None
    key = "applications" if "applications" in data.lines else "table3"
    count = sum(relevant(a, year) for a in site.applications)
    return error("report", data.path, data.line_of(key),
                 f"table 三 for {year} is entered by hand here, and the ledger counts {count} "
                 f"application(s) of {year} in {', '.join(files)}; keep one source: remove "
                 f"{key} from {data.path}, or the {year} applications from the ledger")


def _apart(entered: int, expected: int) -> str:
    difference = entered - expected
    return f"{abs(difference)} too many" if difference > 0 else f"{-difference} too few"


def cross_check(report: AnnualReport) -> list[CheckProblem]:
    """Every cross-sum of the national format; each problem names table, row, column and gap.
    A table (or table 四's group) whose input was partly rejected is not checked: its sums
    would blame the rows that were given for the one that was not."""
    problems = [] if report.rejects("applications") else _table3_problems(report.applications)
    for group, values in report.review_litigation.items():
        if not report.rejects(f"review_litigation.{group}"):
            problems += _table4_problems(group, values)
    return problems


def _table3_problems(rows: dict[str, tuple[int, ...]]) -> list[CheckProblem]:
    problems: list[CheckProblem] = []
    for row in TABLE3_ROWS:
        values = rows[row.key]
        if values[-1] != sum(values[:-1]):
            problems.append(CheckProblem(
                "表三", row.label, "总计",
                f"总计 is {values[-1]} but the six applicant columns add up to "
                f"{sum(values[:-1])} ({_apart(values[-1], sum(values[:-1]))})"))
    for index, column in enumerate(COLUMNS):
        problems += _column_problems(rows, index, column)
    return problems


def _column_problems(rows: dict[str, tuple[int, ...]], index: int,
                     column: str) -> list[CheckProblem]:
    problems = []
    outcomes = sum(rows[row.key][index] for row in OUTCOME_ROWS)
    total = rows[RESULTS_TOTAL_ROW.key][index]
    if total != outcomes:
        problems.append(CheckProblem(
            "表三", RESULTS_TOTAL_ROW.label, column,
            f"（七）总计 is {total} but the results above add up to {outcomes} "
            f"({_apart(total, outcomes)})"))
    inflow = rows[NEW_ROW.key][index] + rows[CARRIED_IN_ROW.key][index]
    outflow = total + rows[CARRIED_OUT_ROW.key][index]
    if inflow != outflow:
        problems.append(CheckProblem(
            "表三", CARRIED_OUT_ROW.label, column,
            f"一 + 二 = {inflow} but （七）总计 + 四 = {outflow} ({abs(inflow - outflow)} "
            "apart): every application received or carried in is either decided or "
            "carried out"))
    return problems


def _table4_problems(group: str, values: tuple[int, ...]) -> list[CheckProblem]:
    if values[-1] == sum(values[:-1]):
        return []
    return [CheckProblem(
        "表四", _GROUP_LABEL[group], "总计",
        f"总计 is {values[-1]} but the four results add up to {sum(values[:-1])} "
        f"({_apart(values[-1], sum(values[:-1]))})")]
