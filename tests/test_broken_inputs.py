"""Broken files of every kind give findings with file, line and fix; never a traceback."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import SiteDir, findings_of, front_matter, item_data, line_in, run_gxgk


def test_yaml_syntax_error_names_the_file_line(site: SiteDir) -> None:
    text = "---\ntitle: 通知\nattribute: [主动公开\ncategory: shbx\n---\n"
    path = site.write("content/a.md", text)
    [finding] = site.check().findings
    assert (finding.rule, finding.path) == ("front-matter", "content/a.md")
    assert finding.line is not None and 3 <= finding.line <= 5
    assert "invalid YAML" in finding.message
    assert path.exists()


def test_full_width_colon_gets_a_hint(site: SiteDir) -> None:
    site.write("content/a.md", "---\ntitle: 通知\nattribute：主动公开\ncategory: shbx\n---\n")
    [finding] = site.check().findings
    assert finding.rule == "front-matter"
    assert "'：'" in finding.message or "is required" in finding.message


def test_no_front_matter(site: SiteDir) -> None:
    site.write("content/a.md", "# 只有正文\n")
    [finding] = site.check().findings
    assert (finding.rule, finding.line) == ("front-matter", 1)
    assert "must start with a line '---'" in finding.message


def test_unclosed_front_matter(site: SiteDir) -> None:
    site.write("content/a.md", "---\ntitle: 通知\n")
    [finding] = site.check().findings
    assert "not closed" in finding.message


def test_empty_file(site: SiteDir) -> None:
    site.write("content/a.md", "")
    [finding] = site.check().findings
    assert "the file is empty" in finding.message


def test_binary_file(site: SiteDir) -> None:
    site.write("content/a.md", b"%PDF-1.7\x00\x01\x02\xff\xfe")
    [finding] = site.check().findings
    assert finding.rule == "front-matter"
    assert "not a UTF-8 text file" in finding.message


def test_front_matter_that_is_a_list(site: SiteDir) -> None:
    site.write("content/a.md", "---\n- 一\n- 二\n---\n")
    [finding] = site.check().findings
    assert "expected a front-matter of keys, got a list" in finding.message


def test_missing_required_keys_are_all_listed(site: SiteDir) -> None:
    site.write("content/a.md", "---\ntitle: 通知\n---\n正文\n")
    messages = {f.message for f in site.check().findings}
    assert messages == {f"required key {key!r} is missing"
                        for key in ("attribute", "category", "formed")}


def test_unknown_key_suggests_the_near_one(site: SiteDir) -> None:
    data = item_data()
    data["publised"] = data.pop("published")
    path = site.write("content/a.md", front_matter(data))
    [finding] = findings_of(site.check(), "front-matter")
    assert finding.line == line_in(path, "publised:")
    assert "did you mean 'published'?" in finding.message


def test_unknown_nested_key(site: SiteDir) -> None:
    data = item_data()
    data["reviewers"]["frist"] = data["reviewers"].pop("first")
    site.write("content/a.md", front_matter(data))
    [finding] = findings_of(site.check(), "front-matter")
    assert "reviewers.frist: unknown key; did you mean 'first'?" in finding.message


@pytest.mark.parametrize(("key", "value", "expected"), [
    ("formed", "2025年3月3日", "write 2025-03-03"),
    ("formed", "2025/3/3", "write 2025-03-03"),
    ("formed", 20250303, "expected a date YYYY-MM-DD, got a number"),
    ("published", "next week", "not a date"),
    ("title", 2025, "expected text, got a number (put it in quotes)"),
    ("draft", "yes please", "expected true or false"),
    ("summary", "概" * 301, "301 characters long; at most 300"),
    ("validity", "有效的", "did you mean 有效?"),
    ("reviewers", "王一", "expected a tier of keys, got text"),
])
def test_wrong_types_and_date_formats(site: SiteDir, key: str, value: object,
                                      expected: str) -> None:
    path = site.item("a", **{key: value})
    [finding] = findings_of(site.check(), "front-matter")
    assert expected in finding.message
    assert finding.line == line_in(path, f"{key}:")


def test_impossible_date_names_its_line(site: SiteDir) -> None:
    path = site.write("content/a.md", front_matter(item_data()).replace(
        "formed: 2025-03-03", "formed: 2025-02-30"))
    [finding] = site.check().findings
    assert finding.rule == "front-matter"
    assert finding.line == line_in(path, "formed:")
    assert finding.message == "invalid value: formed: day is out of range for month"


def test_published_with_a_time_of_day(site: SiteDir) -> None:
    path = site.item("a")
    path.write_text(path.read_text(encoding="utf-8").replace(
        "published: 2025-03-10", "published: 2025-03-10 09:30"), encoding="utf-8")
    assert site.check().findings == []


def test_summary_and_validity_required_when_the_item_needs_them(site: SiteDir) -> None:
    site.item("a", summary=None, kind="规范性文件")
    messages = [f.message for f in findings_of(site.check(), "front-matter")]
    assert any("'summary'" in m for m in messages)
    assert any("'validity'" in m for m in messages)


def test_broken_item_does_not_hide_the_others(site: SiteDir) -> None:
    site.write("content/bad.md", "---\n: :\n---\n")
    site.item("good", reviewers=None)
    result = site.check()
    assert {f.path for f in result.findings} == {"content/bad.md", "content/good.md"}
    assert result.items == 2


def test_a_broken_draft_does_not_block(site: SiteDir) -> None:
    site.item("a", draft=True, secrecy_review=None, formed=dt.date(2025, 3, 3), published=None)
    result = site.check()
    assert result.errors == 0
    assert {f.rule for f in result.findings} == {"secrecy-review", "window"}


def test_every_broken_input_exits_1_without_traceback(site: SiteDir) -> None:
    site.write("content/a.md", b"\xff\xfe\x00binary")
    site.write("content/b.md", "")
    site.write("content/c.md", "---\ntitle: [\n---\n")
    site.write("content/d.md", "---\n42\n---\n")
    site.write("content/e.md", "---\ntitle: 通知\nformed: 2025-13-45\n---\n")
    result = run_gxgk("check", str(site.root), "--today", "2025-12-31")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    for name in "abcde":
        assert f"content/{name}.md" in result.stdout


def test_missing_site_yaml_exits_2(tmp_path) -> None:
    result = run_gxgk("check", str(tmp_path))
    assert result.returncode == 2
    assert "no site.yaml" in result.stderr


def test_missing_site_dir_exits_2(tmp_path) -> None:
    result = run_gxgk("check", str(tmp_path / "nowhere"))
    assert result.returncode == 2


@pytest.mark.parametrize(("text", "expected"), [
    ("agency: [\n", "invalid YAML"),
    ("", "required key 'agency' is missing"),
    ("- a list\n", "expected a site configuration of keys"),
])
def test_unreadable_site_yaml(site: SiteDir, text: str, expected: str) -> None:
    site.write("site.yaml", text)
    result = site.check()
    assert result.findings and all(f.rule == "config" for f in result.findings)
    assert any(expected in f.message for f in result.findings)


def test_bad_site_yaml_values_name_key_and_line(site: SiteDir) -> None:
    site.config["agency"]["code"] = "11990100MB01234560"
    site.config["agency"]["email"] = "not-an-email"
    site.config["site"]["base_url"] = "example.gov.cn"
    site.config["categories"].append({"id": "gzdt", "name": "重复"})
    site.config["categories"].append({"id": "Bad Id", "name": "坏"})
    site.config["rules"] = {"window_working_days": "twenty", "roster": {"finale": ["王一"]}}
    site.config["calendar"] = {"holidays": ["2027-02-08", "2027/02/09"]}
    site.config["unknown"] = 1
    site.write_config()
    result = run_gxgk("check", str(site.root), "--format", "json")
    assert result.returncode == 1
    text = result.stdout
    for expected in ("agency.code", "should be 'X'", "agency.email", "site.base_url",
                     "'gzdt' is defined twice", "categories.4.id", "rules.window_working_days",
                     "did you mean 'final'", "calendar.holidays.1", "write 2027-02-09",
                     "unknown: unknown key"):
        assert expected in text, expected


def test_config_problems_are_located(site: SiteDir) -> None:
    site.config["agency"]["email"] = "not-an-email"
    site.write_config()
    [finding] = site.check().findings
    assert finding.path == "site.yaml"
    assert finding.line == line_in(site.root / "site.yaml", "email:")


def test_a_day_both_holiday_and_workday(site: SiteDir) -> None:
    site.config["calendar"] = {"holidays": [dt.date(2027, 2, 8)], "workdays": [dt.date(2027, 2, 8)]}
    site.write_config()
    [finding] = site.check().findings
    assert "both as holiday and as workday" in finding.message
