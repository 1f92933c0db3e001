"""Working days on the Chinese official calendar, with a site's own overrides.

The State Council's yearly schedule (holidays off even on weekdays, make-up days on even at
the weekend) comes from the ``chinese-calendar`` package. A year it does not know is counted
Monday to Friday; the years where that happened are remembered so the ``calendar`` rule can say
so once per year. A site can add holidays and make-up workdays in site.yaml, for a year the
package does not know yet or for local days off; a year the site overrides counts as covered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache

import chinese_calendar

_ONE_DAY = dt.timedelta(days=1)
# Dates of the column are Beijing dates, whatever the time zone of the machine that runs gxgk.
CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "CST")


def china_today() -> dt.date:
    return dt.datetime.now(CHINA_TZ).date()


def china_date(timestamp: int) -> dt.date:
    """The Beijing date of a Unix timestamp (e.g. a commit's)."""
    return dt.datetime.fromtimestamp(timestamp, CHINA_TZ).date()


@cache
def official_year_known(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def official_years() -> tuple[int, int]:
    """The first and last year of the official schedule the installed package knows."""
    known = [year for year in range(1990, 2100) if official_year_known(year)]
    return known[0], known[-1]


class WorkCalendar:
    """Answers 'is this a working day' and counts working days, remembering uncovered years."""

    def __init__(self, holidays: Iterable[dt.date] = (), workdays: Iterable[dt.date] = ()) -> None:
        self._holidays = frozenset(holidays)
        self._workdays = frozenset(workdays)
        self._overridden_years = {day.year for day in self._holidays | self._workdays}
        self._cache: dict[dt.date, bool] = {}
        self._added: dict[tuple[dt.date, int], dt.date] = {}
        self.fallback_years: set[int] = set()  # years counted Monday-Friday without any override

    def covers(self, year: int) -> bool:
        return official_year_known(year) or year in self._overridden_years

    def is_workday(self, day: dt.date) -> bool:
        known = self._cache.get(day)
        if known is None:
            known = self._cache[day] = self._compute(day)
        return known

    def _compute(self, day: dt.date) -> bool:
        if day in self._holidays:
            return False
        if day in self._workdays:
            return True
        if official_year_known(day.year):
            return chinese_calendar.is_workday(day)
        if day.year not in self._overridden_years:
            self.fallback_years.add(day.year)
        return day.weekday() < 5

    def add(self, start: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``start`` (the start day itself is not counted)."""
        key = (start, count)
        found = self._added.get(key)  # many items share a day: 0.15 s at 10,000 items
        if found is None:
            day = start
            while count > 0:
                day += _ONE_DAY
                if self.is_workday(day):
                    count -= 1
            found = self._added[key] = day
        return found

    def count(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end``; negative when end < start."""
        if end < start:
            return -self.count(end, start)
        days = 0
        day = start
        while day < end:
            day += _ONE_DAY
            if self.is_workday(day):
                days += 1
        return days
