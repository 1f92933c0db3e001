"""Per-kind and per-column windows (site.yaml rules.windows): the `window` rule, `gxgk deadlines`
and `gxgk new` count each item's deadline with the most specific window, and name it."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from conftest import CODE, SiteDir, findings_of, line_in, run_gxgk

D = dt.date
PENALTY = {"days": 7, "unit": "working", "from": "decided"}
BUDGET = {"days": 20, "unit": "calendar", "from": "approved"}
INTERPRETATION = {"days": 3, "unit": "working", "from": "policy"}


def signed(day: dt.date) -> dict:
    return {"reviewers": {tier: {"name": name, "date": day}
                          for tier, name in (("first", "王一"), ("second", "李二"),
                                             ("final", "赵三"))},
            "secrecy_review": {"name": "钱四", "date": day}}


def with_windows(site: SiteDir, **windows: dict) -> SiteDir:
    site.config.setdefault("rules", {})["windows"] = windows
    site.config["categories"].append({"id": "xzzf", "name": "行政执法", "empty_note": "暂无。",
                                      "children": [{"id": "xzcf", "name": "行政处罚结果",
                                                    "empty_note": "暂无。"}]})
    site.config["categories"].append({"id": "czyjs", "name": "财政预决算", "empty_note": "暂无。"})
    site.write_config()
    return site


def window_findings(site: SiteDir, today: str = "2025-12-31") -> list:
    return findings_of(site.check(today), "window")


def penalty(site: SiteDir, name: str = "cf", **overrides: object):
    data = {"kind": "行政处罚", "category": "gzdt", "formed": D(2025, 3, 3),
            "decided": D(2025, 3, 3), "published": D(2025, 3, 12), **signed(D(2025, 3, 4))}
    data.update(overrides)
    return site.item(name, **data)


# --- the window rule ------------------------------------------------------------------------


def test_a_kind_window_counts_from_decided_and_is_named(site: SiteDir) -> None:
    with_windows(site, 行政处罚=PENALTY)
    penalty(site)  # 03-04 … 03-12 are the 7 working days after 03-03
    assert window_findings(site) == []
    path = penalty(site, published=D(2025, 3, 13))
    [late] = window_findings(site)
    assert (late.severity, late.path, late.line) == ("error", "content/cf.md",
                                                     line_in(path, "published:"))
    assert late.message == (
        "published 2025-03-13, 1 working day(s) after the deadline 2025-03-12 (7 working days "
        "after decided 2025-03-03 (行政处罚)); publish on time, or record why in delay_reason")


def test_the_default_window_is_unchanged_for_other_kinds(site: SiteDir) -> None:
    with_windows(site, 行政处罚=PENALTY)
    # not a 行政处罚: 20 working days after formed 03-03 is 03-31, whatever decided says
    site.item("notice", kind="通知公告", decided=D(2025, 3, 3), published=D(2025, 3, 31))
    assert window_findings(site) == []
    site.item("notice", kind="通知公告", published=D(2025, 4, 1))
    [late] = window_findings(site)
    assert "(20 working days after formed 2025-03-03);" in late.message


def test_rules_window_working_days_still_sets_the_default(site: SiteDir) -> None:
    site.config["rules"] = {"window_working_days": 15}
    site.write_config()
    site.item("a", published=D(2025, 3, 25))  # 15 working days after 03-03: 03-24
    [late] = window_findings(site)
    assert "deadline 2025-03-24 (15 working days after formed 2025-03-03)" in late.message


def test_a_missing_start_date_names_the_key_to_add(site: SiteDir) -> None:
    with_windows(site, 行政处罚=PENALTY)
    path = penalty(site, decided=None)
    [finding] = window_findings(site)
    assert (finding.severity, finding.line) == ("error", line_in(path, "kind:"))
    assert finding.message == (
        "its window is 7 working days after decided (行政处罚), but it has no decided; add "
        "decided: (作出决定日期) YYYY-MM-DD so that its deadline can be counted")


def test_a_column_window_wins_over_the_kind_and_applies_to_child_columns(
        site: SiteDir) -> None:
    with_windows(site, 行政处罚=PENALTY, xzzf={"days": 5, "from": "decided"})
    # in xzcf, a child of xzzf: 5 working days after decided 03-03 is 03-10
    penalty(site, category="xzcf", published=D(2025, 3, 11))
    [late] = window_findings(site)
    assert "deadline 2025-03-10 (5 working days after decided 2025-03-03 (column 行政执法))" \
        in late.message
    site.config["categories"] = site.config["categories"][:3]
    with_windows(site, 行政处罚=PENALTY, xzzf={"days": 5, "from": "decided"},
                 xzcf={"days": 6, "from": "decided"})  # the column's own beats its parent's
    assert window_findings(site) == []  # due 03-11
    penalty(site, category="xzcf", published=D(2025, 3, 12))
    [late] = window_findings(site)
    assert "deadline 2025-03-11 (6 working days after decided 2025-03-03 (column 行政处罚结果))" \
        in late.message


def test_a_calendar_day_window_is_plain_calendar_days_across_a_holiday(site: SiteDir) -> None:
    with_windows(site, czyjs=BUDGET)
    # approved 2025-01-15: 20 calendar days later is 2025-02-04, the last day of the Spring
    # Festival holiday; the deadline stays there (20 working days would give 2025-02-20)
    budget = {"category": "czyjs", "kind": "财政预决算", "formed": D(2025, 1, 15),
              "approved": D(2025, 1, 15), **signed(D(2025, 1, 20))}
    site.item("ys", published=D(2025, 2, 4), **budget)
    assert window_findings(site) == []
    site.item("ys", published=D(2025, 2, 5), **budget)  # the first working day after it
    [late] = window_findings(site)
    assert late.message.startswith(
        "published 2025-02-05, 1 day(s) after the deadline 2025-02-04 (20 calendar days after "
        "approved 2025-01-15 (column 财政预决算)); ")
    site.item("ys", published=None, **budget)
    [overdue] = window_findings(site, today="2025-02-10")
    assert overdue.message.startswith(
        "not published yet, and the deadline 2025-02-04 (20 calendar days after approved "
        "2025-01-15 (column 财政预决算)) passed 6 day(s) ago")


def test_a_calendar_window_across_national_day(site: SiteDir) -> None:
    with_windows(site, 财政预决算={"days": 5, "unit": "calendar", "from": "approved"})
    # approved Fri 2025-09-26: 5 calendar days → Wed 2025-10-01, a holiday
    data = {"kind": "财政预决算", "formed": D(2025, 9, 26), "approved": D(2025, 9, 26),
            **signed(D(2025, 9, 26))}
    site.item("ys", published=D(2025, 10, 1), **data)
    assert window_findings(site) == []
    site.item("ys", published=D(2025, 10, 9), **data)
    [late] = window_findings(site)
    assert "8 day(s) after the deadline 2025-10-01 (5 calendar days after approved 2025-09-26 " \
        "(财政预决算))" in late.message


def policy_and_interpretation(site: SiteDir, policy: dict, interpretation: dict) -> None:
    site.item("policy", kind="规范性文件", validity="有效", category="gfxwj",
              formed=D(2025, 9, 20), index_no=f"{CODE}/2025-00001", **{
                  "published": D(2025, 9, 26), **signed(D(2025, 9, 22)), **policy})
    site.item("jd", kind="政策解读", category="gzdt", formed=D(2025, 9, 20),
              index_no=f"{CODE}/2025-00002", **{
                  "interprets": f"{CODE}/2025-00001", **signed(D(2025, 9, 22)),
                  **interpretation})


def test_an_interpretation_counts_from_its_policys_publication(site: SiteDir) -> None:
    with_windows(site, 政策解读=INTERPRETATION)
    # policy published Fri 09-26; 09-28 (Sun) is a make-up working day: due 09-30
    policy_and_interpretation(site, {}, {"published": D(2025, 9, 30)})
    assert window_findings(site) == []
    policy_and_interpretation(site, {}, {"published": D(2025, 10, 9)})
    [late] = window_findings(site)
    assert late.path == "content/jd.md"
    assert "published 2025-10-09, 1 working day(s) after the deadline 2025-09-30 (3 working " \
        f"days after policy {CODE}/2025-00001 published 2025-09-26 (政策解读))" in late.message


def test_an_interpretation_without_interprets_or_with_an_unpublished_policy(
        site: SiteDir) -> None:
    with_windows(site, 政策解读=INTERPRETATION)
    policy_and_interpretation(site, {}, {"interprets": None, "published": D(2025, 9, 30)})
    [finding] = window_findings(site)
    assert "its window is 3 working days after its policy's publication (政策解读), but it " \
        "has no interprets; add interprets: (the index number of the policy it interprets)" \
        in finding.message
    # the policy is still a draft: the interpretation's window has not started
    policy_and_interpretation(site, {"draft": True, "published": None},
                              {"published": D(2025, 9, 30)})
    assert [f for f in window_findings(site) if f.path == "content/jd.md"] == []


def test_a_change_restarts_a_decided_window(site: SiteDir) -> None:
    with_windows(site, 行政处罚=PENALTY)
    # published on time in March, changed 2025-06-03, not published again
    penalty(site, changed=D(2025, 6, 3))
    [overdue] = window_findings(site, today="2025-06-16")
    assert "the deadline 2025-06-12 (7 working days after changed 2025-06-03 (行政处罚)) " \
        "passed 2 working day(s) ago" in overdue.message


def test_decided_after_today_and_published_before_decided(site: SiteDir) -> None:
    with_windows(site, 行政处罚=PENALTY)
    path = penalty(site, decided=D(2026, 1, 5), published=D(2026, 1, 6))
    messages = {f.message: f.line for f in window_findings(site, today="2025-12-31")}
    assert messages["decided 2026-01-05 is after today (2025-12-31); check the date"] == \
        line_in(path, "decided:")
    penalty(site, decided=D(2025, 3, 10), published=D(2025, 3, 5))
    [finding] = window_findings(site)
    assert finding.message == ("published 2025-03-05 is before decided 2025-03-10; a decision "
                               "is published after it is made")


def test_a_window_name_that_matches_nothing_is_a_warning(site: SiteDir) -> None:
    with_windows(site, 行政处法=PENALTY)
    site.item("a")
    [finding] = window_findings(site)
    assert (finding.severity, finding.path) == ("warning", "site.yaml")
    assert finding.line == line_in(site.root / "site.yaml", "行政处法:")
    assert "rules.windows names '行政处法', which is neither a category id of site.yaml nor " \
        "a kind any item has" in finding.message


@pytest.mark.parametrize(("window", "message"), [
    ({"days": -1}, "rules.windows.行政处罚.days: must be at least 0, got -1"),
    ({"days": 7, "from": "decison"}, "rules.windows.行政处罚.from: 'decison' is not allowed; "
                                     "use one of formed | decided | approved | policy; did you "
                                     "mean decided?"),
    ({"days": 7, "unit": "weeks"}, "rules.windows.行政处罚.unit: 'weeks' is not allowed; use "
                                   "one of working | calendar"),
    ({"unit": "working"}, "required key 'days' is missing under 'rules.windows.行政处罚'"),
    ({"days": 7, "form": "decided"}, "rules.windows.行政处罚.form: unknown key; did you mean "
                                     "'from'?"),
])
def test_a_bad_window_is_a_config_error_with_its_line(site: SiteDir, window: dict,
                                                      message: str) -> None:
    site.config["rules"] = {"windows": {"行政处罚": window}}
    site.write_config()
    result = run_gxgk("check", str(site.root), "--today", "2025-12-31")
    assert result.returncode == 1
    line = line_in(site.root / "site.yaml", "行政处罚:")
    finding = next(text for text in result.stdout.splitlines() if "error[config]" in text)
    assert finding.startswith("site.yaml:")
    assert int(finding.split(":")[1]) in (line, line + 1, line + 2)
    assert message in finding
    assert "Traceback" not in result.stderr


# --- gxgk deadlines -------------------------------------------------------------------------


def test_deadlines_use_and_name_the_window(site: SiteDir) -> None:
    with_windows(site, 行政处罚=PENALTY, 政策解读=INTERPRETATION)
    penalty(site, "cf", published=None, index_no=f"{CODE}/2025-00003")
    penalty(site, "cf-undated", published=None, decided=None, index_no=f"{CODE}/2025-00004")
    policy_and_interpretation(site, {"draft": True, "published": None}, {"published": None})
    result = run_gxgk("deadlines", str(site.root), "--today", "2025-03-10")
    lines = result.stdout.splitlines()
    assert lines[0] == ("due 2025-03-12, 2 working day(s) left: item 关于调整城乡居民基本养老保险"
                        "缴费档次的通知 (7 working days after decided 2025-03-03 (行政处罚)) "
                        f"content/cf.md:{line_in(site.root / 'content/cf.md', 'decided:')}")
    assert any(line.startswith("PAUSED: item ") and "(waiting for its policy content/policy.md "
               "to be published, then 3 working days after its policy's publication (政策解读)"
               in line for line in lines)
    assert any(line.startswith("UNDATED: item ") and "(its window is 7 working days after "
               "decided (行政处罚): add decided) content/cf-undated.md:" in line
               for line in lines)
    assert lines[-1] == ("4 due as of 2025-03-10: 0 overdue, 1 paused, 1 undated; 4 item(s) "
                         "(1 draft(s)), 0 application(s)")
    document = json.loads(run_gxgk("deadlines", str(site.root), "--today", "2025-03-10",
                                   "--format", "json").stdout)
    entries = {e["path"]: e for e in document["due"]}
    assert entries["content/cf.md"]["window"] == {"days": 7, "unit": "working",
                                                  "from": "decided", "named": "行政处罚"}
    assert (entries["content/cf.md"]["since"], entries["content/cf.md"]["since_what"]) == (
        "2025-03-03", "decided")
    undated = entries["content/cf-undated.md"]
    assert (undated["status"], undated["since"], undated["deadline"]) == ("undated", None, None)
    assert entries["content/jd.md"]["status"] == "paused"
    assert document["summary"]["undated"] == 1


# --- gxgk new -------------------------------------------------------------------------------


def test_new_asks_for_the_date_its_window_counts_from(site: SiteDir) -> None:
    with_windows(site, 行政处罚=PENALTY)
    result = run_gxgk("new", str(site.root), "--category", "xzcf", "--title", "行政处罚决定书",
                      "--kind", "行政处罚", "--today", "2025-03-03")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1] == (
        "publish within 7 working days after decided (行政处罚); fill in decided (作出决定日期), "
        "the summary, the sign-offs and the secrecy review, then delete 'draft: true'")
    path = site.root / re.match(r"created (\S+) ", result.stdout)[1]
    text = path.read_text(encoding="utf-8")
    assert re.search(r"(?m)^decided: +# 作出决定日期, YYYY-MM-DD: the 7-working-day window "
                     r"\(行政处罚\) starts here$", text)
    path.write_text(text.replace("decided:", "decided: 2025-03-03", 1), encoding="utf-8")
    listed = json.loads(run_gxgk("deadlines", str(site.root), "--today", "2025-03-10",
                                 "--format", "json").stdout)["due"]
    assert [(e["deadline"], e["since_what"]) for e in listed] == [("2025-03-12", "decided")]


def test_new_in_a_column_with_a_calendar_window(site: SiteDir) -> None:
    with_windows(site, czyjs=BUDGET)
    result = run_gxgk("new", str(site.root), "--category", "czyjs", "--title", "2025年部门预算",
                      "--today", "2025-01-15")
    assert "publish within 20 calendar days after approved (column 财政预决算); fill in " \
        "approved (批复日期), the summary" in result.stdout
    assert result.returncode == 0
    assert run_gxgk("new", str(site.root), "--category", "gzdt", "--title", "工作动态",
                    "--today", "2025-03-03").stdout.splitlines()[1].startswith(
        "publish by 2025-03-31: 20 working days after formed 2025-03-03; fill in the summary")


def test_a_kind_named_in_windows_is_known_to_new(site: SiteDir) -> None:
    with_windows(site, 劳动保障监察结果={"days": 7, "from": "decided"})
    result = run_gxgk("new", str(site.root), "--category", "gzdt", "--title", "监察结果",
                      "--kind", "劳动保障监察结果", "--today", "2025-03-03")
    assert result.returncode == 0, result.stderr
