"""`signoff` (初审 / 复审 / 终审) and `secrecy-review` (保密审查) on public items."""

from __future__ import annotations

import datetime as dt

from conftest import SiteDir, findings_of

D = dt.date


FIRST, SECOND, FINAL = ("王一", D(2025, 3, 4)), ("李二", D(2025, 3, 5)), ("赵三", D(2025, 3, 6))


def reviewers(first=FIRST, second=SECOND, final=FINAL) -> dict:
    tiers = {}
    for tier, value in (("first", first), ("second", second), ("final", final)):
        if value is not None:
            name, date = value
            tiers[tier] = {key: v for key, v in (("name", name), ("date", date)) if v is not None}
    return tiers


def signoff(site: SiteDir) -> list:
    return findings_of(site.check(), "signoff")


def test_a_complete_ordered_distinct_signoff_passes(site: SiteDir) -> None:
    site.item("ok")
    result = site.check()
    assert result.findings == []


def test_a_missing_tier_is_named(site: SiteDir) -> None:
    site.item("a", reviewers=reviewers(second=None))
    [finding] = signoff(site)
    assert finding.severity == "error"
    assert "复审 (second) is missing" in finding.message


def test_a_tier_without_name_or_date(site: SiteDir) -> None:
    site.item("a", reviewers=reviewers(first=("王一", None), final=(None, D(2025, 3, 6))))
    [finding] = signoff(site)
    assert "初审 (first) has no date" in finding.message
    assert "终审 (final) has no name" in finding.message


def test_no_signoff_at_all(site: SiteDir) -> None:
    site.item("a", reviewers=None)
    [finding] = signoff(site)
    assert "初审 (first) is missing" in finding.message
    assert "终审 (final) is missing" in finding.message


def test_the_same_person_on_two_tiers(site: SiteDir) -> None:
    site.item("a", reviewers=reviewers(final=("王一", D(2025, 3, 6))))
    [finding] = signoff(site)
    assert "王一 signed both 初审 (first) and 终审 (final)" in finding.message


def test_dates_out_of_order(site: SiteDir) -> None:
    site.item("a", reviewers=reviewers(second=("李二", D(2025, 3, 3))))
    [finding] = signoff(site)
    assert "复审 (second) on 2025-03-03 is before 初审 (first) on 2025-03-04" in finding.message


def test_same_day_tiers_are_in_order(site: SiteDir) -> None:
    day = D(2025, 3, 5)
    site.item("a", reviewers=reviewers(("王一", day), ("李二", day), ("赵三", day)))
    assert signoff(site) == []


def test_final_review_after_publication(site: SiteDir) -> None:
    site.item("a", reviewers=reviewers(final=("赵三", D(2025, 3, 11))))  # published 03-10
    [finding] = signoff(site)
    assert "after publication (2025-03-10)" in finding.message


def test_roster_limits_who_signs_each_tier(site: SiteDir) -> None:
    site.config["rules"] = {"roster": {"final": ["赵三", "孙五"], "first": ["王一"]}}
    site.write_config()
    site.item("ok")
    site.item("b", index_no="11990100MB0123456X/2025-00002",
              reviewers=reviewers(final=("周六", D(2025, 3, 6))))
    [finding] = signoff(site)
    assert finding.path == "content/b.md"
    assert "周六 is not on the roster for 终审 (final)" in finding.message
    assert "赵三, 孙五" in finding.message


def test_non_public_items_need_no_signoff(site: SiteDir) -> None:
    site.item("a", attribute="依申请公开", exempt_ground="不属于主动公开范围", reviewers=None,
              secrecy_review=None, summary=None)
    assert site.check().findings == []


def test_missing_secrecy_review(site: SiteDir) -> None:
    site.item("a", secrecy_review=None)
    [finding] = findings_of(site.check(), "secrecy-review")
    assert finding.severity == "error" and "保密审查" in finding.message


def test_secrecy_review_without_date(site: SiteDir) -> None:
    site.item("a", secrecy_review={"name": "钱四"})
    [finding] = findings_of(site.check(), "secrecy-review")
    assert "has no date" in finding.message


def test_secrecy_review_after_publication(site: SiteDir) -> None:
    site.item("a", secrecy_review={"name": "钱四", "date": D(2025, 3, 12)})
    [finding] = findings_of(site.check(), "secrecy-review")
    assert "after publication (2025-03-10)" in finding.message
