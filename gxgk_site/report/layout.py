"""How the report's tables are laid out on the page, exactly as the national format prints them.

Table 三's body: rows 一 and 二 span the three label columns; 三、本年度办理结果 is one cell
spanning its 22 result rows; （一）（二）（七） span two label columns; each numbered group
(（三）不予公开 …) is one cell spanning its numbered rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from gxgk_site.report.compute import AnnualReport
from gxgk_site.report.national_format import (
    CARRIED_IN_ROW,
    CARRIED_OUT_ROW,
    NEW_ROW,
    OUTCOME_ROWS,
    RESULTS_TOTAL_ROW,
    TABLE4_GROUPS,
)


@dataclass(frozen=True, slots=True)
class Table3Line:
    label: str
    colspan: int
    values: tuple[int, ...]
    results_cell: int = 0  # rowspan of the 三、本年度办理结果 cell, on its first line
    group_cell: tuple[str, int] | None = None  # (group label, rowspan), on a group's first line


def table3_lines(report: AnnualReport) -> list[Table3Line]:
    values = report.applications
    result_rows = [*OUTCOME_ROWS, RESULTS_TOTAL_ROW]
    group_sizes: dict[str, int] = {}
    for row in OUTCOME_ROWS:
        if row.group:
            group_sizes[row.group] = group_sizes.get(row.group, 0) + 1
    lines = [Table3Line(NEW_ROW.label, 3, values[NEW_ROW.key]),
             Table3Line(CARRIED_IN_ROW.label, 3, values[CARRIED_IN_ROW.key])]
    seen_groups: set[str] = set()
    for index, row in enumerate(result_rows):
        group_cell = None
        if row.group and row.group not in seen_groups:
            seen_groups.add(row.group)
            group_cell = (row.group, group_sizes[row.group])
        lines.append(Table3Line(
            label=row.label, colspan=1 if row.group else 2, values=values[row.key],
            results_cell=len(result_rows) if index == 0 else 0, group_cell=group_cell))
    lines.append(Table3Line(CARRIED_OUT_ROW.label, 3, values[CARRIED_OUT_ROW.key]))
    return lines


def table4_values(report: AnnualReport) -> list[int]:
    return [value for group, _ in TABLE4_GROUPS for value in report.review_litigation[group]]
