"""A computed report as data: JSON, CSV (one line per cell: 表, 项目, 列, 数值) and text.

Only numbers and the agency's own narrative: nothing of the ledger but counts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from gxgk_site.csv_cells import rows_text
from gxgk_site.report.compute import AnnualReport
from gxgk_site.report.national_format import (
    COLUMNS,
    RESULT_COLUMNS,
    SECTIONS,
    TABLE2,
    TABLE3_ROWS,
    TABLE4_GROUPS,
)

SOURCE_NAMES = {"ledger": "据台账计算", "entered": "手工填报", "none": "无申请记录"}


def _number(value: float) -> int | float:
    """A number as entered: a whole one without its .0, any other unrounded (a report prints
    行政事业性收费 to the 元 and 分 as 万元 with six decimals: 5949.088667)."""
    return int(value) if float(value).is_integer() else float(value)


def amount_text(value: float) -> str:
    """An amount as the report prints it: the number as it was entered, without a trailing
    .0 or an exponent (3940 -> 3940, 3940.5 -> 3940.5, 0.00001 -> 0.00001)."""
    return format(Decimal(repr(float(value))).normalize(), "f")


def table2_values(report: AnnualReport) -> dict[str, tuple[int | float, ...]]:
    values: dict[str, tuple[int | float, ...]] = dict(report.regulations)
    for key in ("licensing", "penalty", "coercion", "fees"):
        values[key] = (_number(report.decisions[key]),)
    return values


def cells(report: AnnualReport) -> Iterator[tuple[str, str, str, int | float]]:
    """(table, row, column, value) for every cell of the three tables, in the format's order."""
    values = table2_values(report)
    for block in TABLE2:
        for key, label in block.rows:
            for column, value in zip(block.header[1:], values[key], strict=True):
                yield "表二", f"{block.title} {label}", column, value
    for row in TABLE3_ROWS:
        label = f"{row.group} {row.label}" if row.group else row.label
        for column, value in zip(COLUMNS, report.applications[row.key], strict=True):
            yield "表三", label, column, value
    for group, group_label in TABLE4_GROUPS:
        prefix = group_label if group == "review" else f"行政诉讼 {group_label}"
        for (_, column), value in zip(RESULT_COLUMNS, report.review_litigation[group],
                                      strict=True):
            yield "表四", prefix, column, value


def to_csv(report: AnnualReport) -> str:
    return "\ufeff" + rows_text([("表", "项目", "列", "数值"), *cells(report)])


def to_data(report: AnnualReport) -> dict[str, Any]:
    return {
        "year": report.year,
        "agency": report.agency,
        "sections": list(SECTIONS),
        "proactive": {
            "published": report.published_total,
            "by_column": [{"column": name, "count": count}
                          for name, count in report.published_by_column],
            "by_month": report.published_by_month,
        },
        "table2": {key: list(value) for key, value in table2_values(report).items()},
        "table3": {
            "source": report.applications_source,
            "columns": list(COLUMNS),
            "rows": [{"key": row.key, "label": row.label, "group": row.group,
                      "values": list(report.applications[row.key])} for row in TABLE3_ROWS],
        },
        "table4": {group: dict(zip([key for key, _ in RESULT_COLUMNS],
                                   report.review_litigation[group], strict=True))
                   for group, _ in TABLE4_GROUPS},
        "processing_fee": _number(report.data.processing_fee) if report.data else 0,
        "checks": [{"table": p.table, "row": p.row, "column": p.column, "message": p.message}
                   for p in report.problems],
    }


def to_json(report: AnnualReport) -> str:
    return json.dumps(to_data(report), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def to_text(report: AnnualReport) -> str:
    lines = [f"{report.agency}{report.year}年政府信息公开工作年度报告", ""]
    lines.append(f"主动公开：{report.published_total}条（" + "，".join(
        f"{name}{count}" for name, count in report.published_by_column if count) + "）")
    lines.append("")
    values = table2_values(report)
    lines.append(SECTIONS[1])
    for block in TABLE2:
        lines.append(f"  {block.title}")
        for key, label in block.rows:
            pairs = "  ".join(f"{column} {value}" for column, value
                              in zip(block.header[1:], values[key], strict=True))
            lines.append(f"    {label}: {pairs}")
    lines += ["", f"{SECTIONS[2]}（{SOURCE_NAMES[report.applications_source]}）"]
    lines.append("    " + " ".join(f"{c:>6}" for c in COLUMNS) + "  项目")
    for row in TABLE3_ROWS:
        numbers = " ".join(f"{v:>6}" for v in report.applications[row.key])
        label = f"{row.group} {row.label}" if row.group else row.label
        lines.append(f"    {numbers}  {label}")
    lines += ["", SECTIONS[3]]
    for group, label in TABLE4_GROUPS:
        pairs = "  ".join(f"{column} {value}" for (_, column), value
                          in zip(RESULT_COLUMNS, report.review_litigation[group], strict=True))
        lines.append(f"    {label}: {pairs}")
    lines.append("")
    if report.problems:
        lines.append(f"cross-checks: {len(report.problems)} failed")
        lines += [f"  {p.table}, row {p.row}, column {p.column}: {p.message}"
                  for p in report.problems]
    else:
        lines.append("cross-checks: all hold")
    return "\n".join(lines) + "\n"
