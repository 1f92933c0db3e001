"""The pages of the column: which exist, at which URL, with which template and data.

Each ``Page`` is pure data; ``render.py`` turns it into HTML. The list is deterministic: the same
public site gives the same pages in the same order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from gxgk_site.public_search.index import newer_count, search_filters
from gxgk_site.public_search.representation import filter_token
from gxgk_site.publish.public import ColumnView, ItemView, PublicSite
from gxgk_site.render import markdown
from gxgk_site.render.urls import catalog_url, column_url
from gxgk_site.report import national_format
from gxgk_site.report.compute import AnnualReport
from gxgk_site.report.formats import amount_text, table2_values
from gxgk_site.report.layout import table3_lines, table4_values
from gxgk_site.standard_catalog import CATALOG_PAGE, catalog_title, table_rows


@dataclass(frozen=True, slots=True)
class Pagination:
    number: int
    count: int
    urls: tuple[str, ...]  # the URL of each page, 1-based order

    @property
    def previous(self) -> str | None:
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.urls[self.number] if self.number < self.count else None

    def window(self, around: int = 3) -> list[tuple[int, str] | None]:
        """The pages to link: the first, the last and ``around`` either side of this one;
        None marks a gap. (A catalog of 10,000 items has 500 pages: linking all from each
        would make it quadratic.)"""
        shown = sorted({1, self.count,
                        *range(max(1, self.number - around),
                               min(self.count, self.number + around) + 1)})
        out: list[tuple[int, str] | None] = []
        for index, number in enumerate(shown):
            if index and number != shown[index - 1] + 1:
                out.append(None)
            out.append((number, self.urls[number - 1]))
        return out


@dataclass(slots=True)
class Page:
    url: str
    template: str
    title: str
    kind: str  # home, catalog, column, item, guide, apply, reports, search, not-found
    column_name: str  # for the ColumnName crawler tag
    data: dict[str, Any] = field(default_factory=dict)
    in_sitemap: bool = True
    mirrored: bool = True  # has a Traditional twin under zh-hant/


def _paginate(rows: Sequence[ItemView], size: int,
              url_of: Any) -> Iterator[tuple[Pagination, Sequence[ItemView]]]:
    count = max(1, -(-len(rows) // size))
    urls = tuple(url_of(number) for number in range(1, count + 1))
    for number in range(1, count + 1):
        yield Pagination(number, count, urls), rows[(number - 1) * size: number * size]


def plan_pages(public: PublicSite, reports: Sequence[AnnualReport] = ()) -> list[Page]:
    config = public.config
    size = config.catalog.page_size
    pages: list[Page] = [Page(
        url="", template="home.html", title=config.site.title, kind="home",
        column_name="首页",
        data={"latest": public.items[:config.site.home_latest], "columns": public.columns},
    )]
    for pagination, rows in _paginate(public.catalog, size, lambda n: catalog_url(None, n)):
        pages.append(Page(
            url=pagination.urls[pagination.number - 1], template="catalog.html",
            title="政府信息公开目录", kind="catalog", column_name="政府信息公开目录",
            data={"rows": rows, "pagination": pagination, "year": None, "years": public.years,
                  "columns": public.columns, "total": len(public.catalog)},
        ))
    for year in public.years:
        in_year = [view for view in public.catalog if view.published.year == year]
        for pagination, rows in _paginate(in_year, size,
                                          lambda n, year=year: catalog_url(year, n)):
            pages.append(Page(
                url=pagination.urls[pagination.number - 1], template="catalog.html",
                title=f"政府信息公开目录（{year}年）", kind="catalog",
                column_name="政府信息公开目录",
                data={"rows": rows, "pagination": pagination, "year": year,
                      "years": public.years, "columns": public.columns, "total": len(in_year)},
            ))
    for column in public.column_by_id.values():
        pages.extend(_column_pages(column, size))
    for view in public.items:
        assert view.url is not None
        pages.append(Page(
            url=view.url, template="item.html", title=view.title, kind="item",
            column_name=view.column.name,
            data={"view": view,
                  "policy": public.policy_of.get(view.item.path),
                  "interpretations": public.interpretations.get(view.item.path, [])},
        ))
    pages += [
        Page(url="guide/", template="guide.html", title="政府信息公开指南", kind="guide",
             column_name="政府信息公开指南", data={"columns": public.columns}),
        Page(url="apply/", template="apply.html", title="依申请公开", kind="apply",
             column_name="依申请公开"),
        Page(url="reports/", template="reports.html", title="政府信息公开工作年度报告",
             kind="reports", column_name="政府信息公开工作年度报告",
             data={"reports": [ReportEntry(f"reports/{r.year}/", _report_title(public, r.year),
                                           r.data.published if r.data else None)
                               for r in sorted(reports, key=lambda r: -r.year)]}),
        *(_report_page(public, report) for report in reports),
        *_standard_catalog_page(public),
        Page(url="search/", template="search.html", title="信息检索", kind="search",
             column_name="信息检索", data=_search_options(public)),
        Page(url="404.html", template="404.html", title="页面不存在", kind="not-found",
             column_name="页面不存在", in_sitemap=False),
    ]
    return pages


@dataclass(frozen=True, slots=True)
class ReportEntry:
    url: str
    title: str
    published: dt.date | None


def _search_options(public: PublicSite) -> dict[str, Any]:
    """What each search filter offers, as (word in the index, label): only values that some
    public item has, in a stable order (columns as configured, years newest first)."""
    present: dict[str, set[str]] = {}
    for view in public.items:
        for name, value in search_filters(view).items():
            present.setdefault(name, set()).add(value)
    order = {"column": [c.category.name for c in public.column_by_id.values()],
             "year": sorted(present.get("year", ()), reverse=True)}
    options = {}
    for name in ("column", "year", "kind", "validity"):
        values = [v for v in order.get(name, sorted(present.get(name, ())))
                  if v in present.get(name, ())]
        options[f"search_{name}"] = [(filter_token(name, v), v) for v in dict.fromkeys(values)]
    # the older half of the items is a second bundle, merged in by the page (see newer_count)
    options["search_older"] = newer_count(len(public.items)) < len(public.items)
    return options


def _report_title(public: PublicSite, year: int) -> str:
    return f"{public.config.agency.name}{year}年政府信息公开工作年度报告"


def _report_page(public: PublicSite, report: AnnualReport) -> Page:
    data = report.data
    return Page(
        url=f"reports/{report.year}/", template="report.html",
        title=_report_title(public, report.year), kind="report",
        column_name="政府信息公开工作年度报告",
        data={
            "report": report, "sections": national_format.SECTIONS,
            "table2": national_format.TABLE2, "table2_values": table2_values(report),
            "table3_note": national_format.TABLE3_NOTE,
            "applicant_header": national_format.APPLICANT_HEADER,
            "organisations_header": national_format.ORGANISATIONS_HEADER,
            "columns": national_format.COLUMNS, "table3_lines": table3_lines(report),
            "results_label": national_format.RESULTS_LABEL,
            "review_label": national_format.REVIEW[1],
            "litigation_label": national_format.LITIGATION,
            "litigation_groups": national_format.LITIGATION_GROUPS,
            "result_columns": national_format.RESULT_COLUMNS,
            "table4_values": table4_values(report),
            "overview_html": markdown.render(data.overview) if data else "",
            "problems_html": markdown.render(data.problems) if data else "",
            "other_html": markdown.render(data.other) if data else "",
            "processing_fee": amount_text(data.processing_fee) if data else "0",
        },
    )


def _standard_catalog_page(public: PublicSite) -> Iterator[Page]:
    """The 基层政务公开标准目录 as the official table, when the site has one."""
    catalog = public.standard_catalog
    if catalog is None:
        return
    columns = [(view.category.matter, view.category.name, view.url)
               for view in public.column_by_id.values()]
    yield Page(url=CATALOG_PAGE, template="standard_catalog.html",
               title=catalog_title(catalog, public.config.agency.name), kind="standard-catalog",
               column_name="基层政务公开标准目录",
               data={"rows": table_rows(catalog, columns), "levels": catalog.levels})


def _column_pages(column: ColumnView, size: int) -> Iterator[Page]:
    category = column.category
    for pagination, rows in _paginate(column.items, size,
                                      lambda n: column_url(category.id, n)):
        yield Page(
            url=pagination.urls[pagination.number - 1], template="column.html",
            title=category.name, kind="column", column_name=category.name,
            data={"column": column, "rows": rows, "pagination": pagination},
        )
