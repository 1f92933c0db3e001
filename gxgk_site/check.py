"""`gxgk check`: load the site, run every rule, and return the sorted findings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from gxgk_site.findings import Finding, Severity
from gxgk_site.loader import load_site
from gxgk_site.rules import run_rules


@dataclass(frozen=True)
class CheckResult:
    today: dt.date
    items: int  # item files found, valid or not
    findings: list[Finding]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)


def check_site(site_dir: Path, today: dt.date) -> CheckResult:
    """Raises ConfigUnavailable when there is no site.yaml; everything else becomes findings."""
    loaded = load_site(site_dir, today)
    findings = list(loaded.findings)
    items = 0
    if loaded.site is not None:
        findings.extend(run_rules(loaded.site))
        items = len(loaded.site.files)
    findings.sort(key=lambda finding: finding.sort_key)
    return CheckResult(today=today, items=items, findings=findings)
