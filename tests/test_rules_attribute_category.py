"""`attribute` (grounds for not disclosing) and `category` (columns defined in site.yaml)."""

from __future__ import annotations

import pytest
from conftest import SiteDir, findings_of


def only(site: SiteDir, rule: str) -> list:
    return findings_of(site.check(), rule)


def test_a_bad_attribute_value_is_named_with_the_allowed_ones(site: SiteDir) -> None:
    site.item("a", attribute="公开")
    [finding] = only(site, "attribute")
    assert finding.line == 3
    assert "主动公开 | 依申请公开 | 不予公开" in finding.message


def test_withheld_item_without_a_ground(site: SiteDir) -> None:
    site.item("a", attribute="不予公开")
    [finding] = only(site, "attribute")
    assert "exempt_ground" in finding.message and "过程性信息" in finding.message


@pytest.mark.parametrize("ground", ["国家秘密", "过程性信息", "行政执法案卷", "危及“三安全一稳定”",
                                    "法律、行政法规禁止公开"])
def test_withheld_item_with_a_legal_ground(site: SiteDir, ground: str) -> None:
    site.item("a", attribute="不予公开", exempt_ground=ground)
    assert only(site, "attribute") == []


def test_withheld_item_cannot_use_the_on_request_ground(site: SiteDir) -> None:
    site.item("a", attribute="不予公开", exempt_ground="不属于主动公开范围")
    [finding] = only(site, "attribute")
    assert "not a ground for 不予公开" in finding.message


def test_on_request_item_grounds(site: SiteDir) -> None:
    site.item("a", attribute="依申请公开", exempt_ground="不属于主动公开范围")
    site.item("b", attribute="依申请公开", exempt_ground="商业秘密",
              index_no="11990100MB0123456X/2025-00002")
    site.item("c", attribute="依申请公开", exempt_ground="领导说不公开",
              index_no="11990100MB0123456X/2025-00003")
    site.item("d", attribute="依申请公开", index_no="11990100MB0123456X/2025-00004")
    assert [f.path for f in only(site, "attribute")] == ["content/c.md", "content/d.md"]


def test_a_ground_on_a_proactive_item_is_a_warning(site: SiteDir) -> None:
    site.item("a", exempt_ground="过程性信息")
    [finding] = only(site, "attribute")
    assert finding.severity == "warning"


def test_unknown_category_suggests_the_near_id(site: SiteDir) -> None:
    site.item("a", category="shbxx")
    [finding] = only(site, "category")
    assert finding.line == 4
    assert "did you mean 'shbx'?" in finding.message


def test_category_given_by_its_name_suggests_the_id(site: SiteDir) -> None:
    site.item("a", category="规范性文件")
    [finding] = only(site, "category")
    assert "has the id 'gfxwj'" in finding.message


def test_nested_categories_are_defined(site: SiteDir) -> None:
    site.item("a", category="ylbx")
    assert only(site, "category") == []
