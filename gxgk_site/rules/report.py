"""`report`: the annual report's numbers hold together, and the report is there in time.

Every cross-sum of the national format (一+二 = （七）总计+四 for every column; （七）总计 = the
sum of the result rows; 总计 = the six applicant columns; in table 四 each 总计 = the four before
it), named by table, row, column and the gap, and a year's 上年结转 equal to what the report
before carried into it; table 三 from one source only (the ledger or by hand, not both); table
二's 第二十条第（一）项 given by hand unlike the items' count (warning). Also: a 失效/废止
document without the day it was repealed (table 二 counts it), and after 31 January a missing
report for the year before (条例第四十九条), when the column already published items that year.
The problems of data/reports/YEAR.yaml itself are found as it is read (report/inputs.py).
"""

from __future__ import annotations

from collections.abc import Iterator

from gxgk_site.findings import Finding, error, warning
from gxgk_site.model import Site
from gxgk_site.report.compute import (
    REGULATION_KINDS,
    AnnualReport,
    compute,
    source_conflict,
)
from gxgk_site.report.inputs import REPORTS_DIR, ReportInput, due_day
from gxgk_site.report.national_format import (
    CARRIED_IN_ROW,
    CARRIED_OUT_ROW,
    COLUMNS,
    TABLE2,
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
    carried into it, table 二 against the items."""
    year = report.year
    conflict = source_conflict(site, year)
    if conflict is not None:
        yield conflict
    for problem in report.problems:
        yield error("report", data.path, _line(data, problem.table, problem.row),
                    f"{year} {problem.table}, row {problem.row}, column {problem.column}: "
                    f"{problem.message}")
    yield from _carried_in(data, report, before)
    yield from _regulations_entered(data, report)


def _carried_in(data: ReportInput, report: AnnualReport,
                before: AnnualReport | None) -> Iterator[Finding]:
    """The year's 上年结转 is what the report before carried out (when neither table 三 was
    rejected: a rejected one is not compared, it is reported)."""
    if before is None or report.rejects("applications") or before.rejects("applications"):
        return
    year = report.year
    carried_in = report.applications[CARRIED_IN_ROW.key]
    carried_out = before.applications[CARRIED_OUT_ROW.key]
    for column, now, then in zip(COLUMNS, carried_in, carried_out, strict=True):
        if now != then:
            yield error("report", data.path, _line(data, "表三", CARRIED_IN_ROW.label),
                        f"{year} 表三, row {CARRIED_IN_ROW.label}, column {column}: {now}, but "
                        f"the {year - 1} report carried {then} into {year} "
                        "(四、结转下年度继续办理)")


def _regulations_entered(data: ReportInput, report: AnnualReport) -> Iterator[Finding]:
    """第二十条第（一）项 given by hand where the items count otherwise: a warning (the
    documents still in force from before the site are often not migrated)."""
    header = TABLE2[0].header[1:]
    for key, label in TABLE2[0].rows:
        given = data.table2.values.get(key)
        counted = report.regulations_counted[key]
        if given is None or tuple(given) == counted:
            continue
        numbers = ", ".join(f"{c} {v}" for c, v in zip(header, given, strict=True))
        items = ", ".join(f"{c} {v}" for c, v in zip(header, counted, strict=True))
        yield warning("report", data.path, data.line_of(data.table2.paths[key]),
                      f"{report.year} 表二 {label} is given as {numbers}, but the site's items "
                      f"(kind {' or '.join(sorted(REGULATION_KINDS[key]))}) count {items}; the "
                      "report prints what is given. Expected while older documents are not "
                      "migrated; otherwise check the numbers or the items' kind, formed, "
                      "validity and repealed")


def _report_due(site: Site) -> Iterator[Finding]:
    """After its due day (rules.report_due), last year's report, when the column already
    published that year."""
    previous = site.today.year - 1
    existed = any(item.publication is not None and item.publication.date.year <= previous
                  for item in site.items if not item.draft)
    due = due_day(previous, site.config.rules.report_due)
    if site.today > due and previous not in site.reports and existed:
        yield warning("report", f"{REPORTS_DIR}/{previous}.yaml", None,
                      f"no annual report for {previous}: it was due by {due} "
                      f"(条例第四十九条); add data/reports/{previous}.yaml")


def _line(data: ReportInput, table: str, label: str) -> int | None:
    """The line where the row a cross-check names was entered (its table's, else)."""
    if table == "表四":
        group = _GROUP_KEY_BY_LABEL.get(label, "")
        path = data.review_litigation.paths.get(group)
        return data.line_of(path or "review_litigation") or data.line_of("table4")
    entered = data.applications
    path = entered.paths.get(_ROW_KEY_BY_LABEL.get(label, "")) if entered is not None else None
    return data.line_of(path or "applications") or data.line_of("table3")
