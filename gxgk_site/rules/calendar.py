"""`calendar`: dates in years without an official holiday schedule, counted Monday to Friday.

Reported once per year, after the other rules have counted. A site covers such a year by adding
its holidays and make-up workdays under ``calendar`` in site.yaml (once the State Council
publishes them).
"""

from __future__ import annotations

from collections.abc import Iterator

from gxgk_site.findings import Finding, warning
from gxgk_site.model import Site
from gxgk_site.rules import rule
from gxgk_site.workdays import official_years


@rule("calendar", "years the official schedule does not cover", runs_last=True)
def check(site: Site) -> Iterator[Finding]:
    first, last = official_years()
    for year in sorted(site.calendar.fallback_years):
        yield warning("calendar", "site.yaml", None,
                      f"no official holiday schedule for {year} (the installed chinese-calendar "
                      f"knows {first}–{last}); working days in {year} were counted Monday to "
                      f"Friday. Add the {year} holidays and make-up workdays under calendar: "
                      "holidays/workdays in site.yaml, or upgrade chinese-calendar")
