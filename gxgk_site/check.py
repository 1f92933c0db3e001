"""`gxgk check`: load the site, run every rule, and return the sorted findings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from gxgk_site.cache_store import Store
from gxgk_site.changed import changed_since as changed_since_ref
from gxgk_site.check_scope import limit_to_changes
from gxgk_site.findings import Finding, Severity
from gxgk_site.loader import load_site
from gxgk_site.rules import run_rules


@dataclass(frozen=True)
class ChangedScope:
    """With `--changed-since`: the revision, and the item files changed since it."""

    ref: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class CheckResult:
    today: dt.date
    items: int  # item files found, valid or not
    findings: list[Finding]
    changed: ChangedScope | None = None  # set when only changed items are reported

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)


def check_site(site_dir: Path, today: dt.date, changed_since: str | None = None) -> CheckResult:
    """Raises ConfigUnavailable when there is no site.yaml; everything else becomes findings.

    With ``changed_since`` (a Git revision) every rule still runs over the whole site, and only
    the findings gxgk_site.check_scope keeps are returned; raises ChangesUnavailable when Git
    cannot say what changed.
    """
    changes = None if changed_since is None else changed_since_ref(site_dir, changed_since)
    loaded = load_site(site_dir, today, cache=Store.open(site_dir))  # parsed items kept
    findings = list(loaded.findings)
    items = 0
    if loaded.site is not None:
        findings.extend(run_rules(loaded.site))
        items = len(loaded.site.files)
    scope = None
    if changes is not None:
        findings, kept = limit_to_changes(findings, site_dir, changes, loaded.site)
        scope = ChangedScope(kept.ref, kept.changed_items)
    findings.sort(key=lambda finding: finding.sort_key)
    return CheckResult(today=today, items=items, findings=findings, changed=scope)
