"""`request`: applications are answered in time (条例第三十条、第三十三条, with the site's periods).

A decided application was decided by its deadline; an open one is not past it (due within the
warning period: a warning); an extension was approved before the first deadline; a correction was
asked for within 7 working days of receipt, all at once; no two records share an id.
Malformed records are reported when the ledger is read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from gxgk_site.findings import Finding, error, warning
from gxgk_site.model import Site
from gxgk_site.report.ledger import Application
from gxgk_site.rules import rule

CORRECTION_NOTICE_DAYS = 7  # 条例第三十条: 一次性告知补正, within 7 working days


def explain_deadline(site: Site, application: Application) -> str:
    rules = site.config.rules
    start = application.clock_start
    parts = [f"{rules.request_days} working days after "
             + (f"the corrected application arrived ({start})" if application.correction_requested
                else f"receipt ({start})")]
    if application.extended is not None:
        parts.append(f"{rules.request_extension_days} days' extension")
    if application.paused_days:
        parts.append(f"{application.paused_days} days paused for third-party opinions")
    return " + ".join(parts)


@rule("request", "applications answered within the statutory period")
def check(site: Site) -> Iterator[Finding]:
    calendar, rules, today = site.calendar, site.config.rules, site.today
    seen: dict[str, list[Application]] = defaultdict(list)
    for application in site.applications:
        seen[application.id].append(application)
        label = f"application {application.id}"
        if application.correction_requested is not None:
            notice_by = calendar.add(application.received, CORRECTION_NOTICE_DAYS)
            if application.correction_requested > notice_by:
                yield error("request", application.path,
                            application.line_of("correction_requested"),
                            f"{label}: the correction was asked for on "
                            f"{application.correction_requested}, after {notice_by} (7 working "
                            "days after receipt, 条例第三十条)")
        first = application.first_deadline(calendar, rules)
        deadline = application.deadline(calendar, rules)
        if first is None or deadline is None:  # waiting for the correction: the clock stands
            continue
        if application.extended is not None and application.extended > first:
            yield error("request", application.path, application.line_of("extended"),
                        f"{label}: the extension was approved on {application.extended}, after "
                        f"the deadline {first}; an extension is approved before it runs out")
        why = explain_deadline(site, application)
        if application.decided is not None:
            if application.decided > deadline:
                late = calendar.count(deadline, application.decided)
                yield error("request", application.path, application.line_of("decided"),
                            f"{label}: decided on {application.decided}, {late} working day(s) "
                            f"after the deadline {deadline} ({why})")
        elif today > deadline:
            yield error("request", application.path, application.line,
                        f"{label}: still open and past its deadline {deadline} ({why}), "
                        f"{calendar.count(deadline, today)} working day(s) ago")
        elif calendar.count(today, deadline) <= rules.due_warning_days:
            yield warning("request", application.path, application.line,
                          f"{label}: due by {deadline} ({why}), "
                          f"{calendar.count(today, deadline)} working day(s) left")
    for identifier, records in sorted(seen.items()):
        if len(records) > 1:
            places = ", ".join(f"{r.path}:{r.line}" for r in records)
            for record in records:
                yield error("request", record.path, record.line,
                            f"application id {identifier} is used {len(records)} times "
                            f"({places}); ids are unique")
