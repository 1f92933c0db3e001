"""Working days on the official calendar: holidays off, make-up days on, start day not counted."""

from __future__ import annotations

import datetime as dt

from gxgk_site.workdays import WorkCalendar

D = dt.date


def test_spring_festival_2025_example_from_the_domain_notes() -> None:
    # formed Fri 2025-01-24: Sun 01-26 is a make-up workday, 01-28..02-04 are off, Sat 02-08 is on
    assert WorkCalendar().add(D(2025, 1, 24), 20) == D(2025, 2, 27)


def test_may_day_2025_with_make_up_sunday() -> None:
    # 04-27 (Sun) is a make-up day; 05-01..05-05 are off
    assert WorkCalendar().add(D(2025, 4, 25), 20) == D(2025, 5, 27)


def test_national_day_2025_with_two_make_up_days() -> None:
    # 09-28 (Sun) and 10-11 (Sat) are make-up days; 10-01..10-08 are off
    assert WorkCalendar().add(D(2025, 9, 26), 20) == D(2025, 10, 30)


def test_holidays_and_make_up_days() -> None:
    calendar = WorkCalendar()
    assert not calendar.is_workday(D(2025, 1, 29))  # 春节, a Wednesday
    assert calendar.is_workday(D(2025, 2, 8))  # make-up Saturday
    assert not calendar.is_workday(D(2025, 3, 8))  # an ordinary Saturday
    assert calendar.fallback_years == set()


def test_count_is_the_inverse_of_add() -> None:
    calendar = WorkCalendar()
    start = D(2025, 1, 24)
    assert calendar.count(start, D(2025, 2, 27)) == 20
    assert calendar.count(D(2025, 2, 27), start) == -20
    assert calendar.count(start, start) == 0


def test_unknown_year_falls_back_to_monday_to_friday_and_remembers_it() -> None:
    calendar = WorkCalendar()
    assert calendar.add(D(2027, 3, 1), 20) == D(2027, 3, 29)
    assert calendar.fallback_years == {2027}
    assert not calendar.covers(2027)


def test_site_overrides_cover_an_unknown_year() -> None:
    calendar = WorkCalendar(holidays=[D(2027, 3, 15)], workdays=[D(2027, 3, 20)])
    assert not calendar.is_workday(D(2027, 3, 15))
    assert calendar.is_workday(D(2027, 3, 20))  # a Saturday made a workday
    # 03-15 off and Sat 03-20 on cancel out over this span
    assert calendar.add(D(2027, 3, 1), 20) == D(2027, 3, 29)
    assert calendar.fallback_years == set()
    assert calendar.covers(2027)


def test_site_overrides_apply_on_top_of_the_official_schedule() -> None:
    calendar = WorkCalendar(holidays=[D(2025, 3, 4)])
    assert calendar.add(D(2025, 3, 3), 1) == D(2025, 3, 5)
