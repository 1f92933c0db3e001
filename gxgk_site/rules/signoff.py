"""`signoff`: a 主动公开 item carries the three-tier review (三审: 初审 / 复审 / 终审).

Each tier has a name and a date, three different people sign, in order (first ≤ second ≤ final),
the final review comes no later than publication, and where site.yaml keeps a roster for a tier,
only the people on it sign that tier.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations, pairwise

from gxgk_site.config import TIER_NAMES, TIERS
from gxgk_site.findings import Finding, error
from gxgk_site.model import Attribute, Item, Site
from gxgk_site.rules import rule


def _label(tier: str) -> str:
    return f"{TIER_NAMES[tier]} ({tier})"


def _line(item: Item, tier: str) -> int | None:
    return item.line_of(f"reviewers.{tier}") or item.line_of("attribute")


def missing_tiers(item: Item) -> list[str]:
    """The tiers whose name or date is missing, in order."""
    return [tier for tier in TIERS
            if (signature := item.reviewers.get(tier)) is None or not signature.complete]


@rule("signoff", "complete, distinct and ordered three-tier sign-off on public items")
def check(site: Site) -> Iterator[Finding]:
    roster = site.config.rules.roster
    for item in site.items:
        if item.attribute is not Attribute.PROACTIVE:
            continue
        yield from _completeness(item)
        yield from _distinct_and_ordered(item)
        final = item.reviewers.get("final")
        release = item.release_date or site.today
        if final is not None and final.date is not None and final.date > release:
            yield error("signoff", item.path, _line(item, "final"),
                        f"{_label('final')} on {final.date} is after publication ({release}); "
                        "nothing is published before the final review")
        for tier, signature in item.reviewers.items():
            allowed = roster.get(tier)
            if allowed and signature.name and signature.name not in allowed:
                yield error("signoff", item.path, item.line_of(f"reviewers.{tier}.name"),
                            f"{signature.name} is not on the roster for {_label(tier)} "
                            f"(rules.roster.{tier} in site.yaml: {', '.join(allowed)})")


def _completeness(item: Item) -> Iterator[Finding]:
    missing = missing_tiers(item)
    if not missing:
        return
    parts = []
    for tier in missing:
        signature = item.reviewers.get(tier)
        if signature is None:
            parts.append(f"{_label(tier)} is missing")
        else:
            parts.append(f"{_label(tier)} has no {'name' if not signature.name else 'date'}")
    yield error("signoff", item.path, _line(item, missing[0]),
                f"sign-off incomplete: {'; '.join(parts)}; add reviewers.<tier> with "
                "name and date for 初审, 复审 and 终审")


def _distinct_and_ordered(item: Item) -> Iterator[Finding]:
    signed = item.reviewers
    for one, other in combinations(TIERS, 2):
        if one in signed and other in signed and signed[one].name and \
                signed[one].name == signed[other].name:
            yield error("signoff", item.path, _line(item, other),
                        f"{signed[one].name} signed both {_label(one)} and {_label(other)}; "
                        "the three tiers are three different people")
    dated = [(tier, signed[tier].date) for tier in TIERS
             if tier in signed and signed[tier].date is not None]
    for (one, first_day), (other, second_day) in pairwise(dated):
        if second_day < first_day:
            yield error("signoff", item.path, _line(item, other),
                        f"{_label(other)} on {second_day} is before {_label(one)} on "
                        f"{first_day}; the tiers sign in order 初审 → 复审 → 终审")
