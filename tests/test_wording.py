"""The `wording` rule: gxgk's list of serious misspellings, the site's leaders, wrong and banned
words under data/wording/, wording_allow, and broken lists; on real site folders."""

from __future__ import annotations

import datetime as dt
import json

from conftest import SiteDir, findings_of, line_in, run_gxgk

LEADERS = """\
- name: 张建国
  order: 1
  titles:
    - {title: 局长, from: 2021-06-01}
    - {title: 副局长, from: 2016-03-01, to: 2021-05-31}
- name: 李明华
  order: 2
  titles:
    - {title: 副局长, from: 2020-01-01, to: 2024-12-31}
- name: 欧阳晓
  order: 3
  titles:
    - {title: 副局长, from: 2019-01-01}
    - {title: 党组成员, from: 2019-01-01}
"""

# seed 002 (a 区政府's rules) and seed 000 (read in the Traditional view) make this mistake
SEED_002 = ("第一条 要认真学习国家法律法规和政策,学习《中华人民共和国政府信息公开工作条例》和政府"
            "信息公开工作的相关业务。\n")
SEED_000 = "依據《中華人民共和國信息公開工作條例》和《信息公開條例》制定本制度。\n"


def wording(site: SiteDir, today: str = "2025-12-31") -> list:
    return findings_of(site.check(today), "wording")


def test_the_regulation_misnamed_as_in_the_seeds(site: SiteDir) -> None:
    path = site.item("a", body="# 制度\n\n" + SEED_002 + "\n" + SEED_000)
    [simplified, traditional] = wording(site)
    assert simplified.severity == "error"
    assert simplified.line == line_in(path, "工作条例")
    assert simplified.message == (
        "body: serious misspelling '中华人民共和国政府信息公开工作条例' in \"…家法律法规和政策,学习"
        "《中华人民共和国政府信息公开工作条例》和政府信息公开工作的相…\": write "
        "中华人民共和国政府信息公开条例 (gxgk's list 2025.11-1); if it is right here, "
        "wording_allow: {中华人民共和国政府信息公开工作条例: 理由}")
    assert traditional.line == line_in(path, "工作條例")
    assert "write 中華人民共和國政府信息公開條例" in traditional.message


def test_right_names_and_short_forms_pass(site: SiteDir) -> None:
    site.item("a", body="根据《中华人民共和国政府信息公开条例》《政府信息公开条例》和"
                        "《中华人民共和国劳动合同法》，劳动合同发生变更的，国务院办公厅、"
                        "人力资源社会保障部另有规定。\n")
    assert wording(site) == []


def test_homophone_slips_of_national_names(site: SiteDir) -> None:
    path = site.item("a", title="中华人民共合国成立纪念", body=(
        "转发国务院办工厅通知。\n\n依据《中华人民共和国劳动合同发》。\n"))
    found = {f.line: f.message for f in wording(site)}
    assert "write 中华人民共和国" in found[line_in(path, "title:")]
    assert "write 国务院办公厅" in found[line_in(path, "办工厅")]
    assert "write 劳动合同法" in found[line_in(path, "劳动合同发")]


def test_leaders_names_titles_and_order(site: SiteDir) -> None:
    site.write("data/wording/leaders.yaml", LEADERS)
    path = site.item("a", formed=dt.date(2025, 3, 3), body=(
        "局长张建国主持会议。\n"  # right
        "张建果同志讲话。\n"  # sounds like 张建国
        "局长张建华出席。\n"  # one character from 张建国, with a title
        "张建华是市民代表。\n"  # one character from 张建国, but no title: another person
        "副局长张建国讲话。\n"  # no longer 副局长 on 2025-03-03
        "李明华副局长讲话。\n"  # left office on 2024-12-31
        "原副局长李明华退休。\n"  # a former title: right
        "党组成员、局长张建国讲话。\n"  # never 党组成员
        "副局长欧阳晓、局长张建国出席。\n"))  # out of order
    found = {f.line: f for f in wording(site)}
    assert all(f.severity == "error" for f in found.values())
    assert "leader's name misspelt: '张建果' sounds like 张建国" in found[
        line_in(path, "张建果")].message
    assert "'张建华' is one character from 张建国" in found[line_in(path, "局长张建华")].message
    assert line_in(path, "市民代表") not in found
    assert ("张建国 as 副局长: shown in office after their term as 副局长 ended on 2021-05-31; "
            "on 2025-03-03, the item's date, they were 局长") in found[
        line_in(path, "副局长张建国")].message
    assert "李明华 as 副局长: shown in office after their term as 副局长 ended on 2024-12-31" \
        in found[line_in(path, "李明华副局长")].message
    assert line_in(path, "原副局长") not in found
    assert "张建国 as 党组成员: never held this title" in found[line_in(path, "党组成员")].message
    order = found[line_in(path, "欧阳晓、")].message
    assert "leaders out of order: 张建国 (order 1) after 欧阳晓 (order 3)" in order
    assert "list them as 张建国、欧阳晓 (data/wording/leaders.yaml:1)" in order
    assert len(found) == 6


def test_a_title_before_it_was_held(site: SiteDir) -> None:
    site.write("data/wording/leaders.yaml", LEADERS)
    site.item("a", formed=dt.date(2019, 5, 6), published=dt.date(2019, 5, 10),
              body="局长张建国讲话。\n")
    [finding] = wording(site)
    assert "became 局长 only on 2021-06-01; on 2019-05-06, the item's date, they were 副局长" \
        in finding.message


def test_wrong_and_banned_words(site: SiteDir) -> None:
    site.write("data/wording/wrong.yaml", "秸杆: 秸秆\n帐户: {right: 账户, serious: true}\n"
                                          "公开: 政府公开\n")
    site.write("data/wording/banned.yaml", "- 绝对保密\n")
    path = site.item("a", body="禁止焚烧秸杆。\n\n社保帐户。\n\n此件绝对保密。\n\n政府公开。\n")
    found = {f.line: f for f in wording(site)}
    straw = found[line_in(path, "秸杆")]
    assert straw.severity == "warning"
    assert "wrong word '秸杆' in \"禁止焚烧秸杆。 社保帐户。 此件…\": write 秸秆 " \
           "(data/wording/wrong.yaml:1)" in straw.message
    account = found[line_in(path, "帐户")]
    assert account.severity == "error" and "write 账户" in account.message
    banned = found[line_in(path, "绝对保密")]
    assert banned.severity == "error"
    assert "banned word '绝对保密' (data/wording/banned.yaml:1)" in banned.message
    assert "remove or reword it" in banned.message
    assert line_in(path, "政府公开") not in found  # the right form holds the wrong word
    assert len(found) == 3


def test_wording_allow_with_a_reason(site: SiteDir) -> None:
    site.write("data/wording/wrong.yaml", "秸杆: 秸秆\n")
    path = site.item("a", body="原文照录：秸杆。\n",
                     wording_allow={"秸杆": "引用原文，保持原样", "帐户": "旧称"})
    [unused] = wording(site)
    assert unused.severity == "warning"
    assert unused.line == line_in(path, "帐户")
    assert "wording_allow: nothing the rule reports" in unused.message
    site.item("b", index_no="11990100MB0123456X/2025-00002", wording_allow=["秸杆"])
    [problem] = findings_of(site.check(), "front-matter")
    assert "wording_allow: expected a mapping of word: reason" in problem.message


def test_drafts_warn_and_non_public_items_are_not_checked(site: SiteDir) -> None:
    site.item("draft", body="中华人民共合国\n", draft=True)
    site.item("withheld", body="中华人民共合国\n", index_no="11990100MB0123456X/2025-00002",
              attribute="不予公开", exempt_ground="过程性信息")
    [finding] = wording(site)
    assert finding.path == "content/draft.md" and finding.severity == "warning"


def test_broken_lists_are_findings_at_their_line(site: SiteDir) -> None:
    leaders = site.write("data/wording/leaders.yaml", LEADERS.replace("2016-03-01", "2016年3月1日")
                         + "- name: 王\n  titles: []\n- name: 张建国\n  titles: []\n")
    site.write("data/wording/wrong.yaml", "- 秸杆\n")
    site.write("data/wording/banned.yaml", "绝: 一个字\n")
    site.write("data/wording/leader.yaml", "[]\n")
    site.item("a")
    found = sorted((f.path, f.line, f.message) for f in wording(site))
    assert ("data/wording/leader.yaml", None,
            "gxgk reads only leaders.yaml, wrong.yaml and banned.yaml in data/wording/; rename "
            "or remove 'leader.yaml'") in found
    assert any(path == "data/wording/leaders.yaml" and line == line_in(leaders, "2016年3月1日")
               for path, line, _ in found)
    assert any(line == line_in(leaders, "name: 王") and "one character" in message
               for _, line, message in found)
    assert any("张建国 is listed twice" in message for _, _, message in found)
    assert ("data/wording/wrong.yaml", 1, "expected wrong: right lines (秸杆: 秸秆)") in found
    assert any(path == "data/wording/banned.yaml" and "one character" in message
               for path, _, message in found)


def test_the_command_line_reports_and_exits_1(site: SiteDir) -> None:
    site.write("data/wording/leaders.yaml", LEADERS)
    site.item("a", body="局长张建果讲话。\n")
    result = run_gxgk("check", str(site.root), "--format", "json", "--today", "2025-12-31")
    assert result.returncode == 1, result.stderr
    [finding] = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "wording"]
    assert finding["path"] == "content/a.md" and finding["severity"] == "error"
    assert "write 张建国 (data/wording/leaders.yaml:1)" in finding["message"]
