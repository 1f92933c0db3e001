"""`privacy`, `index-number` and `link`."""

from __future__ import annotations

import pytest
from conftest import CODE, SiteDir, findings_of, line_in

VALID_ID = "320102198507211237"  # check digit 7 for born 1985-07-21
STANDARD_EXAMPLE_ID = "11010519491231002X"  # the example of GB 11643 itself


def only(site: SiteDir, rule: str) -> list:
    return findings_of(site.check(), rule)


@pytest.mark.parametrize("text", [VALID_ID, STANDARD_EXAMPLE_ID, STANDARD_EXAMPLE_ID.lower(),
                                  "13912345678", "+86 139-1234-5678", "手机13912345678。"])
def test_leaks_in_the_body_are_errors_on_their_line(site: SiteDir, text: str) -> None:
    path = site.item("a", body=f"第一行。\n\n联系人：张某，{text}\n")
    [finding] = only(site, "privacy")
    assert finding.severity == "error"
    assert finding.line == line_in(path, "联系人")
    assert text not in finding.message  # the number is never echoed in full


@pytest.mark.parametrize("text", [
    "139****5678",  # masked mobile
    "3201**********1237",  # masked ID
    "咨询电话：12333",  # hotline
    "0599-12345678",  # landline
    "320102198507211238",  # 18 digits, wrong check digit
    "320102198513211235",  # month 13
    "订单号 1234567890123456789",  # 19 digits
    "索引号 11990100MB0123456X/2025-00001",
])
def test_masked_numbers_hotlines_and_non_ids_are_not_reported(site: SiteDir, text: str) -> None:
    site.item("a", body=f"{text}\n")
    assert only(site, "privacy") == []


def test_leaks_in_title_and_summary(site: SiteDir) -> None:
    path = site.item("a", title=f"关于{VALID_ID}的公示", summary="联系13812345678")
    findings = only(site, "privacy")
    assert sorted(f.line for f in findings) == [line_in(path, "title:"), line_in(path, "summary:")]


def test_non_public_items_are_not_published_so_not_scanned(site: SiteDir) -> None:
    site.item("a", attribute="不予公开", exempt_ground="个人隐私", body=f"{VALID_ID}\n")
    assert only(site, "privacy") == []


def test_missing_index_number_on_a_public_item(site: SiteDir) -> None:
    site.item("a", index_no=None)
    [finding] = only(site, "index-number")
    assert f"{CODE}/2025-00001" in finding.message


@pytest.mark.parametrize("number", [f"{CODE}/2025-0001", f"{CODE}-2025-00001", "2025-00001",
                                    f"{CODE}/25-00001"])
def test_malformed_index_numbers(site: SiteDir, number: str) -> None:
    site.item("a", index_no=number)
    [finding] = only(site, "index-number")
    assert "malformed" in finding.message


def test_index_number_of_another_agency(site: SiteDir) -> None:
    site.item("a", index_no="11320183014160001K/2025-00001")
    [finding] = only(site, "index-number")
    assert f"agency code in site.yaml is {CODE}" in finding.message


def test_duplicate_index_numbers_name_both_files(site: SiteDir) -> None:
    site.item("a")
    site.item("sub/b", attribute="不予公开", exempt_ground="过程性信息")
    findings = only(site, "index-number")
    assert {f.path for f in findings} == {"content/a.md", "content/sub/b.md"}
    assert all("content/a.md" in f.message or "content/sub/b.md" in f.message for f in findings)


def test_relative_links_to_missing_files(site: SiteDir) -> None:
    site.write("content/files/table.pdf", b"%PDF-1.4")
    site.item("b", index_no=f"{CODE}/2025-00002")
    body = ("见[附件](files/table.pdf)、[另一文件](b.md#part)、[外链](https://example.com/x)、"
            "[邮件](mailto:a@b.cn)、[锚点](#top)。\n\n"
            "[缺失](files/missing.pdf)\n\n![图](img/none.png)\n\n"
            "`[代码](not/a/link.md)`\n\n```\n[代码块](also/not.md)\n```\n\n"
            "[ref]: ../nowhere.md\n")
    path = site.item("a", body=body)
    findings = only(site, "link")
    assert [(f.path, f.line) for f in findings] == [
        ("content/a.md", line_in(path, "[缺失]")), ("content/a.md", line_in(path, "![图]")),
        ("content/a.md", line_in(path, "[ref]:"))]
    assert "content/files/missing.pdf, which does not exist" in findings[0].message


def test_links_outside_the_site(site: SiteDir) -> None:
    site.item("a", body="[密件](../../secret.pdf)\n")
    [finding] = only(site, "link")
    assert "outside the site" in finding.message


def test_public_item_linking_a_non_public_item(site: SiteDir) -> None:
    site.item("hidden", attribute="不予公开", exempt_ground="过程性信息",
              index_no=f"{CODE}/2025-00002")
    site.item("a", body="详见[会议纪要](hidden.md)。\n")
    [finding] = only(site, "link")
    assert finding.path == "content/a.md"
    assert "不予公开 and not published" in finding.message


def test_interprets_names_an_existing_public_policy(site: SiteDir) -> None:
    site.item("policy", kind="规范性文件", validity="有效")
    site.item("reading", kind="政策解读", index_no=f"{CODE}/2025-00002",
              interprets=f"{CODE}/2025-00001")
    assert only(site, "link") == []
    site.item("reading", kind="政策解读", index_no=f"{CODE}/2025-00002",
              interprets=f"{CODE}/2025-00009")
    [finding] = only(site, "link")
    assert "no item has this index number" in finding.message


def test_interprets_a_draft_policy_is_an_error(site: SiteDir) -> None:
    site.item("policy", kind="规范性文件", validity="有效", draft=True)
    site.item("reading", kind="政策解读", index_no=f"{CODE}/2025-00002",
              interprets=f"{CODE}/2025-00001")
    [finding] = only(site, "link")
    assert finding.path == "content/reading.md"
    assert "content/policy.md is a draft; an interpretation is published together" \
        in finding.message


def test_images_without_alternative_text_are_warned_about(site: SiteDir) -> None:
    site.write("content/files/a.png", b"\x89PNG")
    path = site.item("a", body="![缴费档次表](files/a.png)\n\n![](files/a.png)\n\n"
                               "`![](not/an/image.png)`\n")
    [finding] = only(site, "image-alt")
    assert finding.severity == "warning"
    assert finding.line == line_in(path, "![](files/a.png)")
