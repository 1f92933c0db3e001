"""The application ledger (依申请公开台账), ``data/requests/*.yaml``: one record per application.

A file holds one record (a mapping) or several (a list). The ledger holds personal data (the
applicant's name, what was asked): it is read to count and to check deadlines, and nothing of it
is ever published.

Deadline (条例第三十三条, with the site's periods): ``request_days`` working days after receipt,
or after the corrected application arrived when a correction was asked for; plus
``request_extension_days`` when an extension was approved (before the first deadline); plus the
working days paused for third-party opinions. While a requested correction has not arrived, the
clock does not run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gxgk_site import site_files
from gxgk_site.config import Rules
from gxgk_site.findings import Finding, error, quoted
from gxgk_site.report.labels import OUTCOME_NAMES
from gxgk_site.report.national_format import APPLICANT_TYPES, OUTCOME_ROWS, Row
from gxgk_site.report.yaml_files import read_each
from gxgk_site.schema import (
    Choice,
    Context,
    Day,
    Field,
    Integer,
    Invalid,
    Record,
    Text,
    validate,
)
from gxgk_site.workdays import WorkCalendar

LEDGER_DIR = "data/requests"
OUTCOME_BY_KEY = {row.key: row for row in OUTCOME_ROWS}


@dataclass(frozen=True, slots=True)
class Application:
    id: str
    path: str  # site-relative file
    line: int | None
    received: dt.date
    applicant: str  # one of APPLICANT_TYPES
    correction_requested: dt.date | None = None
    correction_received: dt.date | None = None
    extended: dt.date | None = None  # the day the extension was approved and notified
    paused_days: int = 0  # working days waiting for third-party opinions
    decided: dt.date | None = None
    outcome: Row | None = None
    lines: dict[str, int] = field(default_factory=dict, compare=False)

    def line_of(self, key: str) -> int | None:
        return self.lines.get(key, self.line)

    @property
    def clock_start(self) -> dt.date | None:
        """The day the answer period starts; None while a requested correction is awaited."""
        if self.correction_requested is not None:
            return self.correction_received
        return self.received

    def first_deadline(self, calendar: WorkCalendar, rules: Rules) -> dt.date | None:
        start = self.clock_start
        if start is None:
            return None
        return calendar.add(start, rules.request_days)

    def deadline(self, calendar: WorkCalendar, rules: Rules) -> dt.date | None:
        first = self.first_deadline(calendar, rules)
        if first is None:
            return None
        extension = rules.request_extension_days if self.extended is not None else 0
        return calendar.add(first, extension + self.paused_days)

    def undecided_on(self, day: dt.date) -> bool:
        """Received by ``day`` and not decided by then."""
        return self.received <= day and (self.decided is None or self.decided > day)


class _Outcome(Text):
    """An outcome, named as table 三 prints the row (with or without its number or group; in
    any of the spellings real reports print, see labels.normalise)."""

    def convert(self, value: Any, key: str, ctx: Context) -> Row:  # type: ignore[override]
        text = super().convert(value, key, ctx)
        row = OUTCOME_NAMES.find(text)
        if row is None:
            raise Invalid(f"{quoted(text)} is not an outcome of table 三"
                          f"{OUTCOME_NAMES.hint(text)} (write the row "
                          "as the table prints it, e.g. 予以公开, 部分公开, 属于国家秘密, "
                          "本机关不掌握相关政府信息, 重复申请)")
        return OUTCOME_BY_KEY[row]


RECORD = Record(
    {
        "id": Field(Text(max_len=60), required=True),
        "received": Field(Day(), required=True),
        "applicant": Field(Choice(APPLICANT_TYPES), required=True),
        "correction_requested": Field(Day()),
        "correction_received": Field(Day()),
        "extended": Field(Day()),
        "paused_days": Field(Integer(minimum=0, maximum=250), default=0),
        "decided": Field(Day()),
        "outcome": Field(_Outcome()),
        # personal data and notes: read, never published
        "name": Field(Text(max_len=200)),
        "contact": Field(Text(max_len=200)),
        "subject": Field(Text(max_len=2000)),
        "notes": Field(Text(max_len=5000)),
    },
    what="application record",
)


def ledger_files(site_dir: Path) -> list[Path]:
    """The ledger's YAML files, never through a symbolic link (see site_files)."""
    return [site_dir / relative for relative in site_files.listing(site_dir, LEDGER_DIR).files
            if relative.endswith((".yaml", ".yml"))]


def load_ledger(site_dir: Path) -> tuple[list[Application], list[Finding]]:
    applications: list[Application] = []
    findings: list[Finding] = []
    files = ((path, path) for path in ledger_files(site_dir))
    for _, relative, data, lines in read_each(site_dir, files, "request", findings):
        records = data if isinstance(data, list) else [data] if data is not None else []
        for index, record in enumerate(records):
            prefix = f"{index}." if isinstance(data, list) else ""
            record_lines = {key[len(prefix):]: line for key, line in lines.items()
                            if key.startswith(prefix)}
            ctx = Context(lines=record_lines, rule="request")
            values = validate(RECORD, record, ctx)
            line = lines.get(f"{index}") if isinstance(data, list) else 1
            label = f"record {values['id'] if values else index + 1}: "
            findings += [error("request", relative, p.line or line, label + p.message)
                         for p in ctx.problems]
            if values is None:
                continue
            application = Application(
                id=values["id"], path=relative, line=line, received=values["received"],
                applicant=values["applicant"],
                correction_requested=values["correction_requested"],
                correction_received=values["correction_received"], extended=values["extended"],
                paused_days=values["paused_days"], decided=values["decided"],
                outcome=values["outcome"], lines=record_lines,
            )
            problem = _inconsistency(application)
            if problem:
                key, message = problem
                findings.append(error("request", relative, application.line_of(key),
                                      f"record {application.id}: {message}"))
                continue
            applications.append(application)
    return applications, findings


def _inconsistency(a: Application) -> tuple[str, str] | None:
    if a.decided is not None and a.decided < a.received:
        return "decided", f"decided {a.decided} before it was received ({a.received})"
    if a.decided is not None and a.outcome is None:
        return "decided", "a decided application needs its outcome (a row of table 三)"
    if a.outcome is not None and a.decided is None:
        return "outcome", "an outcome without the day it was decided (decided: YYYY-MM-DD)"
    if a.correction_received is not None and a.correction_requested is None:
        return "correction_received", "correction_received without correction_requested"
    if a.correction_requested is not None and a.correction_requested < a.received:
        return "correction_requested", "correction requested before the application was received"
    if (a.correction_received is not None and a.correction_requested is not None
            and a.correction_received < a.correction_requested):
        return "correction_received", "the correction arrived before it was asked for"
    if a.extended is not None and a.extended < a.received:
        return "extended", "extended before the application was received"
    return None
