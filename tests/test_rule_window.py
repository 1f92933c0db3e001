"""The `window` rule: 主动公开 within 20 working days of formation or change (条例第二十六条)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import SiteDir, findings_of

D = dt.date


def window(site: SiteDir, today: str = "2025-12-31") -> list:
    return findings_of(site.check(today), "window")


@pytest.mark.parametrize(
    ("formed", "deadline"),
    [
        (D(2025, 1, 24), D(2025, 2, 27)),  # Spring Festival, make-up days 01-26 and 02-08
        (D(2025, 4, 25), D(2025, 5, 27)),  # May Day, make-up day 04-27
        (D(2025, 9, 26), D(2025, 10, 30)),  # National Day, make-up days 09-28 and 10-11
    ],
)
def test_publishing_on_the_20th_working_day_is_on_time_and_the_day_after_is_late(
        site: SiteDir, formed: dt.date, deadline: dt.date) -> None:
    signed = {
        "reviewers": {
            "first": {"name": "王一", "date": formed},
            "second": {"name": "李二", "date": formed},
            "final": {"name": "赵三", "date": formed},
        },
        "secrecy_review": {"name": "钱四", "date": formed},
    }
    site.item("on-time", formed=formed, published=deadline, **signed)
    assert window(site) == []

    next_workday = deadline + dt.timedelta(days=1)
    while next_workday.weekday() >= 5:
        next_workday += dt.timedelta(days=1)
    site.item("on-time", formed=formed, published=next_workday, **signed)
    [late] = window(site)
    assert late.severity == "error"
    assert f"deadline {deadline}" in late.message
    assert "1 working day(s) after" in late.message
    assert late.line == 6  # the line of the published key


def test_plain_weekday_counting_would_be_wrong_across_spring_festival(site: SiteDir) -> None:
    # Monday-Friday counting gives 2025-02-21; the official calendar gives 02-27
    site.item("a", formed=D(2025, 1, 24), published=D(2025, 2, 26))
    assert window(site) == []


def test_delay_reason_turns_a_late_publication_into_a_warning(site: SiteDir) -> None:
    site.item("late", formed=D(2025, 1, 24), published=D(2025, 3, 3),
              delay_reason="等待上级批复")
    [finding] = window(site)
    assert finding.severity == "warning"
    assert "等待上级批复" in finding.message


def test_a_change_restarts_the_window(site: SiteDir) -> None:
    # changed Tue 2025-06-03 (after the Dragon Boat holiday): the deadline is 2025-07-01
    site.item("changed", formed=D(2025, 3, 3), changed=D(2025, 6, 3), published=D(2025, 7, 1))
    assert window(site) == []
    site.item("changed", formed=D(2025, 3, 3), changed=D(2025, 6, 3), published=D(2025, 7, 2))
    [late] = window(site)
    assert "changed 2025-06-03" in late.message and "deadline 2025-07-01" in late.message


def test_a_change_not_yet_republished_is_pending(site: SiteDir) -> None:
    # published in March, changed in June, no later publication: the change is still due
    site.item("changed", formed=D(2025, 3, 3), changed=D(2025, 6, 3), published=D(2025, 3, 10))
    [overdue] = window(site, today="2025-07-03")
    assert overdue.severity == "error"
    assert "not published yet" in overdue.message and "2025-07-01" in overdue.message
    [due_soon] = window(site, today="2025-06-25")
    assert due_soon.severity == "warning"
    assert "4 working day(s) left" in due_soon.message
    assert window(site, today="2025-06-10") == []


def test_an_unpublished_item_past_its_deadline_is_an_error(site: SiteDir) -> None:
    site.item("pending", published=None)  # not in Git, no published date: it would go out today
    [finding] = window(site, today="2025-04-15")
    assert finding.severity == "error"
    assert "not published yet" in finding.message
    assert "2025-03-31" in finding.message


def test_an_unpublished_item_due_within_5_working_days_is_a_warning(site: SiteDir) -> None:
    site.item("pending", published=None)  # formed 2025-03-03: deadline 2025-03-31
    [finding] = window(site, today="2025-03-24")
    assert finding.severity == "warning"
    assert "5 working day(s) left" in finding.message
    assert window(site, today="2025-03-21") == []  # 6 working days left


def test_published_before_formed_and_formed_after_today(site: SiteDir) -> None:
    site.item("backwards", formed=D(2025, 3, 3), published=D(2025, 3, 1))
    [finding] = window(site)
    assert "before formed" in finding.message
    site.item("backwards", formed=D(2026, 1, 5), published=D(2026, 1, 6))
    messages = [f.message for f in window(site, today="2025-12-31")]
    assert any("formed 2026-01-05 is after today (2025-12-31)" in m for m in messages)


def test_non_public_items_have_no_window(site: SiteDir) -> None:
    site.item("internal", attribute="不予公开", exempt_ground="内部事务信息",
              formed=D(2025, 1, 2), published=None)
    assert window(site, today="2025-12-31") == []


def test_unknown_year_warns_once_and_counts_monday_to_friday(site: SiteDir) -> None:
    # formed Mon 2027-03-01: Monday-Friday counting gives the deadline 2027-03-29
    signed = dict(
        reviewers={t: {"name": n, "date": D(2027, 3, 2)}
                   for t, n in (("first", "王一"), ("second", "李二"), ("final", "赵三"))},
        secrecy_review={"name": "钱四", "date": D(2027, 3, 2)},
    )
    site.item("a", formed=D(2027, 3, 1), published=D(2027, 3, 29), index_no=None, **signed)
    site.item("b", formed=D(2027, 3, 1), published=D(2027, 3, 30),
              index_no="11990100MB0123456X/2027-00002", **signed)
    result = site.check("2027-06-01")
    assert [f.path for f in findings_of(result, "window")] == ["content/b.md"]
    [calendar] = findings_of(result, "calendar")
    assert calendar.severity == "warning"
    assert "2027" in calendar.message and "Monday to Friday" in calendar.message


def test_site_overrides_cover_an_unknown_year(site: SiteDir) -> None:
    site.config["calendar"] = {"holidays": [D(2027, 3, 15)]}
    site.write_config()
    signed = dict(
        reviewers={t: {"name": n, "date": D(2027, 3, 2)}
                   for t, n in (("first", "王一"), ("second", "李二"), ("final", "赵三"))},
        secrecy_review={"name": "钱四", "date": D(2027, 3, 2)},
    )
    # with 03-15 off, the deadline moves from 03-29 to 03-30
    site.item("a", formed=D(2027, 3, 1), published=D(2027, 3, 30), **signed)
    result = site.check("2027-06-01")
    assert findings_of(result, "window") == []
    assert findings_of(result, "calendar") == []


def test_a_calendar_gap_never_crashes_and_is_reported_once_per_year(site: SiteDir) -> None:
    for n in range(3):
        site.item(f"x{n}", formed=D(2028, 5, 8), published=None,
                  index_no=f"11990100MB0123456X/2028-0000{n + 1}")
    result = site.check("2029-02-01")
    assert sorted(f.message.split()[5] for f in findings_of(result, "calendar")) == [
        "2028", "2029"]
