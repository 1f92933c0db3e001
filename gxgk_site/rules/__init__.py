"""The disclosure rules: each a function over the loaded site, registered under its rule id.

A rule module declares its checks with ``@rule("id")``; ``run_rules`` runs them all over the model
and returns the findings sorted. Rule ids are part of the interface (output, CI annotations, docs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from gxgk_site.findings import DRAFT_NOTE, Finding, Severity
from gxgk_site.model import Site

RuleCheck = Callable[[Site], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    summary: str
    check: RuleCheck
    runs_last: bool = False  # it reports on what the other rules did (the calendar rule)


REGISTRY: dict[str, Rule] = {}


def rule(rule_id: str, summary: str, *,
         runs_last: bool = False) -> Callable[[RuleCheck], RuleCheck]:
    def register(check: RuleCheck) -> RuleCheck:
        REGISTRY[rule_id] = Rule(rule_id, summary, check, runs_last)
        return check

    return register


# Importing the rule modules registers their rules.
from gxgk_site.rules import (  # noqa: E402, F401
    attachment,
    attribute,
    calendar,
    category,
    empty_column,
    image_alt,
    index_number,
    link,
    privacy,
    report,
    request,
    secrecy_review,
    signoff,
    stale_column,
    standard_catalog,
    window,
    wording,
)


def run_rules(site: Site) -> list[Finding]:
    drafts = {item.path for item in site.items if item.draft}
    findings: list[Finding] = []
    for registered in sorted(REGISTRY.values(), key=lambda r: r.runs_last):
        for finding in registered.check(site):
            if finding.path in drafts and finding.severity is Severity.ERROR:
                finding = finding.as_warning(DRAFT_NOTE)
            findings.append(finding)
    return findings
