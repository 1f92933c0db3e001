"""Update periods of columns (``update_every`` in site.yaml): ``30d``, ``2w``, ``6m``, ``1y``.

Days and weeks are counted plainly; months and years by the calendar, a day the target month
does not have clamped to its last day (6m from 2026-05-31 is 2026-11-30; 1y from 2024-02-29 is
2025-02-28).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from gxgk_site.findings import quoted

PERIOD_PATTERN = re.compile(r"([1-9][0-9]*)([dwmy])")
PERIOD_HINT = "a period such as 2w, 6m, 30d or 1y"

_UNIT_WORDS = {"d": "day", "w": "week", "m": "month", "y": "year"}


@dataclass(frozen=True, slots=True)
class Period:
    count: int  # at least 1
    unit: str  # "d", "w", "m" or "y"

    def __str__(self) -> str:
        """As written in site.yaml, e.g. ``6m``."""
        return f"{self.count}{self.unit}"

    def describe(self) -> str:
        """For people, e.g. ``6 months``."""
        word = _UNIT_WORDS[self.unit]
        return f"{self.count} {word}{'s' if self.count > 1 else ''}"


def parse_period(text: str) -> Period:
    """Read ``2w``-style text; raises ValueError for anything else."""
    match = PERIOD_PATTERN.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{quoted(text)} is not {PERIOD_HINT}")
    return Period(int(match[1]), match[2])


def add_period(day: dt.date, period: Period) -> dt.date:
    """The day one period after ``day``; dt.date.max when that is past the calendar's end."""
    try:
        if period.unit == "d":
            return day + dt.timedelta(days=period.count)
        if period.unit == "w":
            return day + dt.timedelta(weeks=period.count)
        months = period.count * (12 if period.unit == "y" else 1)
        year, month_index = divmod(day.month - 1 + months, 12)
        year += day.year
        month = month_index + 1
        if year > dt.MAXYEAR:
            return dt.date.max
        last = calendar.monthrange(year, month)[1]
        return dt.date(year, month, min(day.day, last))
    except OverflowError:
        return dt.date.max
