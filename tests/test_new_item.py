"""`gxgk new`: a draft item with the full front-matter, the next free index number, no overwrite."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from conftest import CODE, SiteDir, findings_of, run_gxgk

from gxgk_site.findings import DRAFT_NOTE
from gxgk_site.loader import load_item

TITLE = "关于做好2025年度社会保险缴费工作的通知"


def new(site: SiteDir, *args: str, today: str = "2025-03-03", title: str = TITLE,
        category: str = "shbx"):
    return run_gxgk("new", str(site.root), "--category", category, "--title", title,
                    "--today", today, *args)


def created_path(site: SiteDir, stdout: str) -> Path:
    match = re.match(r"created (\S+) ", stdout)
    assert match, stdout
    return site.root / match[1]


def fill_in(path: Path) -> None:
    """What the editor does before publishing: summary, 三审, 保密审查, and no more draft."""
    text = path.read_text(encoding="utf-8")
    for old, new_text in [
        ("summary:", "summary: 部署2025年度社会保险缴费工作。"),
        ("first: {name: , date: }", "first: {name: 王一, date: 2025-03-04}"),
        ("second: {name: , date: }", "second: {name: 李二, date: 2025-03-05}"),
        ("final: {name: , date: }", "final: {name: 赵三, date: 2025-03-06}"),
        ("secrecy_review: {name: , date: }", "secrecy_review: {name: 钱四, date: 2025-03-06}"),
    ]:
        assert old in text
        text = text.replace(old, new_text, 1)
    text = re.sub(r"\ndraft: true[^\n]*", "", text)
    path.write_text(text, encoding="utf-8")


def test_new_writes_the_skeleton_and_prints_path_and_deadline(site: SiteDir) -> None:
    result = new(site)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"created content/shbx/2025-00001.md (draft, index_no "
                                    f"{CODE}/2025-00001)\n")
    # formed 2025-03-03 → 20 working days → 2025-03-31
    assert "publish by 2025-03-31: 20 working days after formed 2025-03-03" in result.stdout
    path = created_path(site, result.stdout)
    item, findings = load_item(site.root, path)
    assert item is not None
    assert (item.title, item.attribute, item.category, item.formed, item.index_no, item.draft) \
        == (TITLE, "主动公开", "shbx", dt.date(2025, 3, 3), f"{CODE}/2025-00001", True)
    assert item.summary is None and item.secrecy_review is not None
    assert not item.secrecy_review.complete
    assert set(item.reviewers) == {"first", "second", "final"}
    assert not any(signature.complete for signature in item.reviewers.values())
    assert item.body.strip()  # a placeholder to write over
    # the summary is still missing: a warning, as for every problem of a draft
    assert [f.severity for f in findings] == ["warning"]


def test_the_draft_checks_with_draft_warnings_only(site: SiteDir) -> None:
    new(site)
    result = run_gxgk("check", str(site.root), "--today", "2025-03-03", "--format", "json")
    assert result.returncode == 0, result.stdout
    findings = json.loads(result.stdout)["findings"]
    assert {f["rule"] for f in findings} == {"front-matter", "signoff", "secrecy-review"}
    assert all(f["severity"] == "warning" and f["message"].endswith(f"({DRAFT_NOTE})")
               for f in findings)


def test_filled_in_and_undrafted_it_passes_clean(site: SiteDir) -> None:
    path = created_path(site, new(site).stdout)
    fill_in(path)
    assert site.check("2025-03-10").findings == []


def test_a_kind_with_validity_gets_it_and_passes_clean(site: SiteDir) -> None:
    path = created_path(site, new(site, "--kind", "规范性文件", category="gfxwj").stdout)
    assert path == site.root / "content/gfxwj/2025-00001.md"  # the folder did not exist
    item, _ = load_item(site.root, path)
    assert item is not None and (item.kind, item.validity) == ("规范性文件", "有效")
    fill_in(path)
    assert site.check("2025-03-10").findings == []


def test_a_title_yaml_would_misread_is_kept_exactly(site: SiteDir) -> None:
    title = '解读: "新规" #1 — [试行]'
    path = created_path(site, new(site, "--kind", "政策解读", title=title).stdout)
    item, _ = load_item(site.root, path)
    assert item is not None and item.title == title
    assert "interprets:" in path.read_text(encoding="utf-8")


def test_running_twice_gives_two_files_both_intact(site: SiteDir) -> None:
    first = created_path(site, new(site).stdout)
    before = first.read_text(encoding="utf-8")
    second = created_path(site, new(site).stdout)
    assert first != second
    assert first.read_text(encoding="utf-8") == before
    numbers = [load_item(site.root, path)[0].index_no for path in (first, second)]
    assert numbers == [f"{CODE}/2025-00001", f"{CODE}/2025-00002"]
    assert findings_of(site.check("2025-03-03"), "index-number") == []


def test_an_existing_file_of_the_same_name_is_never_overwritten(site: SiteDir) -> None:
    taken = site.write("content/shbx/2025-00001.md", "editor's notes, not an item yet\n")
    path = created_path(site, new(site).stdout)
    assert path == site.root / "content/shbx/2025-00001-2.md"
    assert taken.read_text(encoding="utf-8") == "editor's notes, not an item yet\n"


def test_next_index_number_counts_every_item_of_the_year(site: SiteDir) -> None:
    site.item("old", formed=dt.date(2024, 5, 6), published=dt.date(2024, 5, 7),
              index_no=f"{CODE}/2024-00031")
    site.item("public", index_no=f"{CODE}/2025-00004")
    site.item("request", attribute="依申请公开", exempt_ground="过程性信息",
              index_no=f"{CODE}/2025-00009")
    site.item("draft", draft=True, index_no=f"{CODE}/2025-00007")
    site.write("content/broken.md", f"---\ntitle: [\nindex_no: {CODE}/2025-00011\n---\n")
    site.item("other-agency", index_no="12100000400000624D/2025-00050")
    assert "index_no " + f"{CODE}/2025-00012" in new(site).stdout
    # a new year starts at 1; the years before do not count
    assert "index_no " + f"{CODE}/2026-00001" in new(site, today="2026-01-05").stdout
    assert "index_no " + f"{CODE}/2026-00002" in new(site, today="2026-01-06").stdout


def test_unknown_category_lists_the_valid_ids(site: SiteDir) -> None:
    result = new(site, category="nope")
    assert result.returncode == 2
    assert "--category 'nope' is not a category of site.yaml" in result.stderr
    assert "gfxwj (规范性文件), shbx (社会保险), ylbx (养老保险), gzdt (工作动态)" \
        in result.stderr
    assert not (site.root / "content").exists()
    assert "Traceback" not in result.stderr


def test_unknown_kind_lists_the_known_ones(site: SiteDir) -> None:
    result = new(site, "--kind", "通知")
    assert result.returncode == 2
    assert "--kind '通知' is not a known kind" in result.stderr and "通知公告" in result.stderr
    assert not (site.root / "content").exists()
    site.item("a", kind="局务公开")  # a kind the site already uses is known
    assert new(site, "--kind", "局务公开").returncode == 0


def test_bad_title_and_missing_site(site: SiteDir, tmp_path: Path) -> None:
    result = new(site, title="   ")
    assert result.returncode == 2 and "--title must not be empty" in result.stderr
    elsewhere = tmp_path / "empty"
    elsewhere.mkdir()
    result = run_gxgk("new", str(elsewhere), "--category", "shbx", "--title", TITLE)
    assert result.returncode == 2 and "no site.yaml" in result.stderr


def test_the_new_draft_is_listed_by_deadlines(site: SiteDir) -> None:
    new(site)
    result = run_gxgk("deadlines", str(site.root), "--today", "2025-03-25", "--format", "json")
    [entry] = json.loads(result.stdout)["due"]
    assert (entry["what"], entry["draft"], entry["deadline"], entry["working_days_left"]) == \
        (TITLE, True, "2025-03-31", 4)
    assert entry["missing"] == ["初审", "复审", "终审", "保密审查"]
