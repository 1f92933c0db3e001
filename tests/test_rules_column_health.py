"""`stale-column` and `empty-column`: columns updated within their period, none left blank."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from conftest import CODE, SiteDir, apply, findings_of, line_in, run_gxgk

from gxgk_site.periods import Period, add_period, parse_period

D = dt.date


def column(site: SiteDir, column_id: str, **settings: Any) -> None:
    """Change a column of the test site (None removes a key) and write site.yaml."""

    def walk(nodes: list[dict[str, Any]]) -> bool:
        for node in nodes:
            if node["id"] == column_id:
                apply(node, settings)
                return True
            if walk(node.get("children", [])):
                return True
        return False

    assert walk(site.config["categories"]), column_id
    site.write_config()


def health(site: SiteDir, today: str) -> list[Any]:
    result = site.check(today)
    return findings_of(result, "stale-column") + findings_of(result, "empty-column")


def entry_line(site: SiteDir, column_id: str) -> int:
    return line_in(site.root / "site.yaml", f"id: {column_id}")


# -- the period arithmetic ------------------------------------------------------------------

@pytest.mark.parametrize(("start", "period", "due"), [
    (D(2026, 5, 31), "6m", D(2026, 11, 30)),  # November has no 31st: its last day
    (D(2026, 1, 31), "1m", D(2026, 2, 28)),
    (D(2028, 1, 31), "1m", D(2028, 2, 29)),  # leap year
    (D(2024, 2, 29), "1y", D(2025, 2, 28)),
    (D(2024, 2, 29), "4y", D(2028, 2, 29)),
    (D(2025, 11, 30), "3m", D(2026, 2, 28)),  # across the year end
    (D(2025, 3, 10), "12m", D(2026, 3, 10)),
    (D(2025, 3, 10), "2w", D(2025, 3, 24)),  # weeks and days plainly
    (D(2025, 12, 20), "30d", D(2026, 1, 19)),
    (D(9999, 6, 1), "1y", dt.date.max),  # past the calendar's end: never due
    (D(9999, 12, 1), "5w", dt.date.max),
])
def test_a_period_is_added_by_the_calendar(start: dt.date, period: str, due: dt.date) -> None:
    assert add_period(start, parse_period(period)) == due


def test_a_period_reads_as_written_and_for_people() -> None:
    assert parse_period("6m") == Period(6, "m")
    assert str(parse_period("2w")) == "2w"
    assert parse_period("1y").describe() == "1 year"
    assert parse_period("30d").describe() == "30 days"
    with pytest.raises(ValueError):
        parse_period("0m")


def test_a_malformed_update_every_is_a_config_error_on_its_line(site: SiteDir) -> None:
    column(site, "gzdt", update_every="2 weeks")
    [problem] = findings_of(site.check(), "config")
    assert problem.path == "site.yaml"
    assert problem.line == line_in(site.root / "site.yaml", "update_every: 2 weeks")
    assert "2w, 6m, 30d or 1y" in problem.message


# -- stale-column -----------------------------------------------------------------------------

def test_a_column_is_fresh_on_the_due_day_and_stale_the_day_after(site: SiteDir) -> None:
    column(site, "shbx", update_every="2w")
    site.item("a")  # published 2025-03-10: due 2025-03-24
    assert health(site, "2025-03-24") == []
    [stale] = health(site, "2025-03-25")
    assert stale.rule == "stale-column" and stale.severity == "warning"
    assert stale.path == "site.yaml" and stale.line == entry_line(site, "shbx")
    assert "社会保险 (shbx)" in stale.message
    assert "2025-03-10" in stale.message and "due by 2025-03-24" in stale.message
    assert "publish an update, or change update_every" in stale.message


def test_months_are_counted_by_the_calendar_to_the_month_end(site: SiteDir) -> None:
    column(site, "shbx", update_every="6m")
    site.item("a", published=D(2025, 3, 31))  # 6m: 2025-09-31 does not exist
    assert health(site, "2025-09-30") == []
    [stale] = health(site, "2025-10-01")
    assert "due by 2025-09-30" in stale.message and "1 day(s) ago" in stale.message


def test_the_newest_public_item_counts(site: SiteDir) -> None:
    column(site, "shbx", update_every="6m")
    site.item("old", published=D(2025, 3, 10))
    site.item("new", index_no=f"{CODE}/2025-00002", formed=D(2025, 6, 2),
              published=D(2025, 6, 9))
    assert health(site, "2025-12-09") == []
    [stale] = health(site, "2025-12-10")
    assert "2025-06-09" in stale.message


def test_a_parent_column_counts_its_childrens_items(site: SiteDir) -> None:
    column(site, "shbx", update_every="6m", empty_note=None)
    column(site, "ylbx", update_every="2w")
    site.item("a", category="ylbx", published=D(2025, 6, 9))
    site.item("old", category="shbx", index_no=f"{CODE}/2025-00002", published=D(2025, 3, 10))
    # the parent lists the child's item of 2025-06-09: fresh; the child itself is stale
    [stale] = health(site, "2025-10-01")
    assert stale.rule == "stale-column" and stale.line == entry_line(site, "ylbx")
    assert "养老保险 (ylbx)" in stale.message
    later = {finding.line: finding for finding in health(site, "2025-12-10")}
    assert sorted(later) == [entry_line(site, "shbx"), entry_line(site, "ylbx")]
    assert "went public on 2025-06-09" in later[entry_line(site, "shbx")].message


def test_items_that_are_not_public_or_not_published_are_no_update(site: SiteDir) -> None:
    column(site, "shbx", update_every="6m")
    site.item("public", published=D(2025, 3, 10))
    recent = {"formed": D(2025, 11, 3), "published": D(2025, 11, 10)}
    site.item("request", index_no=f"{CODE}/2025-00002", attribute="依申请公开",
              exempt_ground="不属于主动公开范围", **recent)
    site.item("withheld", index_no=f"{CODE}/2025-00003", attribute="不予公开",
              exempt_ground="内部事务信息", **recent)
    site.item("draft", index_no=f"{CODE}/2025-00004", draft=True, **recent)
    # no published date and no commit (the folder is no Git repository): not published yet
    site.item("pending", index_no=f"{CODE}/2025-00005", formed=D(2025, 12, 22), published=None)
    [stale] = health(site, "2025-12-31")
    assert stale.rule == "stale-column"
    assert "went public on 2025-03-10" in stale.message


def test_a_column_without_update_every_is_never_stale(site: SiteDir) -> None:
    site.item("a")
    assert health(site, "2030-01-01") == []


# -- empty-column -----------------------------------------------------------------------------

def test_an_empty_column_without_a_note_is_reported_once(site: SiteDir) -> None:
    column(site, "gzdt", empty_note=None, update_every="2w")
    site.item("a")
    [empty] = health(site, "2025-12-31")  # not also stale-column
    assert empty.rule == "empty-column" and empty.severity == "warning"
    assert empty.path == "site.yaml" and empty.line == entry_line(site, "gzdt")
    assert "工作动态 (gzdt)" in empty.message and "empty_note" in empty.message


def test_an_empty_column_with_a_note_is_fine(site: SiteDir) -> None:
    column(site, "gzdt", update_every="2w")  # keeps its empty_note
    site.item("a")
    assert health(site, "2025-12-31") == []


def test_a_column_with_only_non_public_items_is_empty(site: SiteDir) -> None:
    column(site, "gzdt", empty_note=None)
    site.item("a")
    site.item("draft", category="gzdt", index_no=f"{CODE}/2025-00002", draft=True)
    site.item("request", category="gzdt", index_no=f"{CODE}/2025-00003",
              attribute="依申请公开", exempt_ground="不属于主动公开范围")
    [empty] = health(site, "2025-12-31")
    assert empty.rule == "empty-column" and empty.line == entry_line(site, "gzdt")


def test_a_parent_with_items_only_in_a_child_is_not_empty(site: SiteDir) -> None:
    column(site, "shbx", empty_note=None)
    column(site, "ylbx", empty_note=None)
    site.item("a", category="ylbx")
    assert health(site, "2025-12-31") == []


# -- the command line -------------------------------------------------------------------------

def test_gxgk_check_prints_the_column_findings_and_exits_0(site: SiteDir) -> None:
    column(site, "shbx", update_every="6m")
    column(site, "gzdt", empty_note=None)
    site.item("a")  # published 2025-03-10: due 2025-09-10
    result = run_gxgk("check", str(site.root), "--today", "2025-12-31")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    shbx, gzdt = entry_line(site, "shbx"), entry_line(site, "gzdt")
    assert lines[0].startswith(f"site.yaml:{shbx}: warning[stale-column] column 社会保险 (shbx)")
    assert lines[1].startswith(f"site.yaml:{gzdt}: warning[empty-column] column 工作动态 (gzdt)")
    assert lines[-1] == "checked 1 item(s) on 2025-12-31: 0 error(s), 2 warning(s)"

    document = json.loads(run_gxgk("check", str(site.root), "--format", "json",
                                   "--today", "2025-12-31").stdout)
    assert [(f["rule"], f["path"], f["line"]) for f in document["findings"]] == [
        ("stale-column", "site.yaml", shbx), ("empty-column", "site.yaml", gzdt)]
