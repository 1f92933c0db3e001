"""`report`: the annual report's numbers hold together, and the report is there in time.

Every cross-sum of the national format (一+二 = （七）总计+四 for every column; （七）总计 = the
sum of the result rows; 总计 = the six applicant columns; in table 四 each 总计 = the four before
it), named by table, row, column and the gap, and a year's 上年结转 equal to what the report
before carried into it. Also: a 失效/废止 document without the day it was
repealed (table 二 counts it), and after 31 January a missing report for the year before
(条例第四十九条), when the column already published items that year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from gxgk_site.findings import Finding, error, warning
from gxgk_site.model import Site
from gxgk_site.report.compute import AnnualReport, compute, relevant
from gxgk_site.report.inputs import REPORTS_DIR, ROW_BY_NAME, ReportInput
from gxgk_site.report.national_format import (
    CARRIED_IN_ROW,
    CARRIED_OUT_ROW,
    COLUMNS,
    TABLE3_ROWS,
    TABLE4_GROUPS,
)
from gxgk_site.rules import rule

_ROW_KEY_BY_LABEL = {row.label: row.key for row in TABLE3_ROWS}
_GROUP_KEY_BY_LABEL = {label: key for key, label in TABLE4_GROUPS}


@rule("report", "the annual report's cross-sums, repeal dates, and the report in time")
def check(site: Site) -> Iterator[Finding]:
    yield from _repeal_dates(site)
    reports = {year: compute(site, year) for year in sorted(site.reports)}
    for year, data in sorted(site.reports.items()):
        yield from _year(site, data, reports[year], reports.get(year - 1))
    yield from _report_due(site)


def _repeal_dates(site: Site) -> Iterator[Finding]:
    """A 失效/废止 document says when it stopped being in force, and only such a one does."""
    for item in site.items:
        if item.validity in ("失效", "废止") and item.repealed is None:
            yield error("report", item.path, item.line_of("validity"),
                        f"a {item.validity} document needs repealed: YYYY-MM-DD, the day it "
                        "stopped being in force (table 二 of the annual report counts it)")
        elif item.repealed is not None and item.validity not in ("失效", "废止"):
            yield warning("report", item.path, item.line_of("repealed"),
                          f"repealed is set but validity is {item.validity or 'not given'}; "
                          "set validity: 失效 or 废止")


def _year(site: Site, data: ReportInput, report: AnnualReport,
          before: AnnualReport | None) -> Iterator[Finding]:
    """One year's report: one source for table 三, its cross-sums, what the year before
    carried into it."""
    year = report.year
    if data.applications is not None and any(relevant(a, year) for a in site.applications):
        yield error("report", data.path, data.line_of("applications"),
                    f"table 三 for {year} is entered by hand, but the ledger has "
                    f"applications of {year}; keep one (the ledger is counted)")
    for problem in report.problems:
        yield error("report", data.path, _line(data, problem.table, problem.row),
                    f"{year} {problem.table}, row {problem.row}, column {problem.column}: "
                    f"{problem.message}")
    if before is None:
        return
    carried_in = report.applications[CARRIED_IN_ROW.key]
    carried_out = before.applications[CARRIED_OUT_ROW.key]
    for column, now, then in zip(COLUMNS, carried_in, carried_out, strict=True):
        if now != then:
            yield error("report", data.path, _line(data, "表三", CARRIED_IN_ROW.label),
                        f"{year} 表三, row {CARRIED_IN_ROW.label}, column {column}: {now}, but "
                        f"the {year - 1} report carried {then} into {year} "
                        "(四、结转下年度继续办理)")


def _report_due(site: Site) -> Iterator[Finding]:
    """After 31 January, last year's report, when the column already published that year."""
    previous = site.today.year - 1
    existed = any(item.publication is not None and item.publication.date.year <= previous
                  for item in site.items if not item.draft)
    if site.today > dt.date(site.today.year, 1, 31) and previous not in site.reports and existed:
        yield warning("report", f"{REPORTS_DIR}/{previous}.yaml", None,
                      f"no annual report for {previous}: it was due by 31 January "
                      f"{site.today.year} (条例第四十九条); add data/reports/{previous}.yaml")


def _line(data: ReportInput, table: str, label: str) -> int | None:
    if table == "表四":
        return data.line_of(f"review_litigation.{_GROUP_KEY_BY_LABEL.get(label, '')}")
    key = _ROW_KEY_BY_LABEL.get(label)
    for name, line in sorted(data.lines.items(), key=lambda pair: pair[1]):
        # row names may hold a dot themselves ("5.属于三类内部事务信息"): match the whole rest
        rest = name.removeprefix("applications.")
        if rest != name and ROW_BY_NAME.get(rest) is not None and ROW_BY_NAME[rest].key == key:
            return line
    return data.line_of("applications")
