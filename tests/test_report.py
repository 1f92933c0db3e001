"""The annual report: every cell of the three tables against numbers worked out by hand.

Fixture ledger (2025 unless said; working days on the official calendar):
  A 自然人       received 2024-12-20, decided 2025-01-08 予以公开            carried in from 2024
  B 商业企业     received 2025-01-13, decided 2025-01-24 部分公开
  C 自然人       received 2025-03-03, correction asked 03-05, arrived 03-12, decided 04-08
                 本机关不掌握相关政府信息: on time, since the clock restarts on 03-12
                 (20 working days → 04-10; from 03-03 it would have been 03-31)
  D 法律服务机构 received 2025-04-01, extended 04-25, decided 05-30 属于四类过程性信息:
                 first deadline 04-29 (Qingming 04-04 off, Sunday 04-27 a make-up day),
                 + 20 → 05-30 (May Day 05-01..05-05 off)
  E 科研机构     received 2025-06-03, 3 days paused, decided 07-04 予以公开 (07-01 + 3)
  F 自然人       received 2025-12-24, decided 2026-01-15 重复申请           carried into 2026
  G 其他         received 2025-09-01, correction asked 09-03, never came, decided 10-20
                 申请人无正当理由逾期不补正…
  H 社会公益组织 received 2025-11-03, decided 11-05 信访举报投诉类申请
  I 自然人       received 2026-01-05, open
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from build_support import build, read
from conftest import CODE, SiteDir, findings_of, line_in, run_gxgk

from gxgk_site.loader import load_site
from gxgk_site.report.compute import compute

D = dt.date
#            自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计
EXPECTED_2025 = {
    "new":              (2, 1, 1, 1, 1, 1, 7),
    "carried_in":       (1, 0, 0, 0, 0, 0, 1),
    "disclosed":        (1, 0, 1, 0, 0, 0, 2),
    "partly_disclosed": (0, 1, 0, 0, 0, 0, 1),
    "withheld_6":       (0, 0, 0, 0, 1, 0, 1),
    "unavailable_1":    (1, 0, 0, 0, 0, 0, 1),
    "not_handled_1":    (0, 0, 0, 1, 0, 0, 1),
    "not_handled_2":    (0, 0, 0, 0, 0, 0, 0),
    "other_handling_1": (0, 0, 0, 0, 0, 1, 1),
    "results_total":    (2, 1, 1, 1, 1, 1, 7),
    "carried_out":      (1, 0, 0, 0, 0, 0, 1),
}

LEDGER = """\
- {id: A, received: 2024-12-20, applicant: 自然人, decided: 2025-01-08, outcome: 予以公开,
   name: 张金丝雀, subject: LEDGER-CANARY-SUBJECT-1}
- {id: B, received: 2025-01-13, applicant: 商业企业, decided: 2025-01-24, outcome: 部分公开}
- {id: C, received: 2025-03-03, applicant: 自然人, correction_requested: 2025-03-05,
   correction_received: 2025-03-12, decided: 2025-04-08, outcome: 本机关不掌握相关政府信息}
- {id: D, received: 2025-04-01, applicant: 法律服务机构, extended: 2025-04-25,
   decided: 2025-05-30, outcome: 不予公开/属于四类过程性信息}
- {id: E, received: 2025-06-03, applicant: 科研机构, paused_days: 3, decided: 2025-07-04,
   outcome: 1.属于国家秘密}
- {id: F, received: 2025-12-24, applicant: 自然人, decided: 2026-01-15, outcome: 重复申请,
   notes: LEDGER-CANARY-NOTES-2 联系电话139****0000}
- {id: G, received: 2025-09-01, applicant: 其他, correction_requested: 2025-09-03,
   decided: 2025-10-20,
   outcome: 申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请}
- {id: H, received: 2025-11-03, applicant: 社会公益组织, decided: 2025-11-05,
   outcome: 信访举报投诉类申请}
- {id: I, received: 2026-01-05, applicant: 自然人, name: 李金丝雀}
"""

REPORT_2025 = """\
overview: 全年主动公开政府信息。
administrative: {licensing: 10, penalty: 5, coercion: 1, fees: 2.5}
review_litigation:
  review: [1, 1, 0, 0, 2]
  litigation_direct: {结果维持: 0, 结果纠正: 0, 其他结果: 1, 尚未审结: 0, 总计: 1}
  litigation_after_review: [0, 0, 0, 1, 1]
processing_fee: 0
problems: 栏目更新不均衡。
other: 无。
"""


@pytest.fixture
def report_site(site: SiteDir) -> SiteDir:
    site.write("data/requests/ledger.yaml", LEDGER.replace("outcome: 1.属于国家秘密",
                                                           "outcome: 予以公开"))
    site.write("data/reports/2025.yaml", REPORT_2025)
    regulation = dict(category="gfxwj", kind="规范性文件")
    site.item("r1", formed=D(2023, 5, 1), validity="有效", index_no=None, **regulation)
    site.item("r2", formed=D(2025, 3, 3), validity="有效",
              index_no="11990100MB0123456X/2025-00002", **regulation)
    site.item("r3", formed=D(2022, 1, 1), validity="废止", repealed=D(2025, 7, 1),
              index_no="11990100MB0123456X/2022-00003", **regulation)
    site.item("r4", formed=D(2025, 2, 1), validity="失效", repealed=D(2026, 2, 1),
              index_no="11990100MB0123456X/2025-00004", **regulation)
    site.item("r5", formed=D(2025, 8, 8), kind="规章", validity="有效", category="gfxwj",
              index_no="11990100MB0123456X/2025-00005")
    site.item("r6", formed=D(2025, 9, 9), validity="有效", draft=True,
              index_no="11990100MB0123456X/2025-00006", **regulation)
    return site


def report_for(site: SiteDir, year: int, today: str = "2026-01-20"):
    loaded = load_site(site.root, dt.date.fromisoformat(today))
    assert loaded.site is not None
    return compute(loaded.site, year)


def test_table3_every_cell(report_site: SiteDir) -> None:
    report = report_for(report_site, 2025)
    assert report.applications_source == "ledger"
    for key, values in report.applications.items():
        assert values == EXPECTED_2025.get(key, (0,) * 7), key
    assert report.problems == []


def test_carry_over_links_the_years(report_site: SiteDir) -> None:
    assert report_for(report_site, 2024).applications["new"] == (1, 0, 0, 0, 0, 0, 1)
    assert report_for(report_site, 2024).applications["carried_out"] == (1, 0, 0, 0, 0, 0, 1)
    in_2026 = report_for(report_site, 2026).applications
    assert in_2026["carried_in"] == (1, 0, 0, 0, 0, 0, 1)  # F
    assert in_2026["new"] == (1, 0, 0, 0, 0, 0, 1)  # I
    assert in_2026["not_handled_2"] == (1, 0, 0, 0, 0, 0, 1)  # F decided in 2026
    assert in_2026["carried_out"] == (1, 0, 0, 0, 0, 0, 1)  # I still open


def test_table2_regulations_and_decisions(report_site: SiteDir) -> None:
    report = report_for(report_site, 2025)
    assert report.regulations == {"rules": (1, 0, 1), "normative": (2, 1, 3)}
    assert report.decisions == {"licensing": 10, "penalty": 5, "coercion": 1, "fees": 2.5}
    assert report.review_litigation == {"review": (1, 1, 0, 0, 2),
                                        "litigation_direct": (0, 0, 1, 0, 1),
                                        "litigation_after_review": (0, 0, 0, 1, 1)}


def test_deadlines_restart_extend_pause_and_cross_holidays(report_site: SiteDir) -> None:
    assert findings_of(report_site.check("2026-01-20"), "request") == []
    # one working day later each would be late
    late = (LEDGER.replace("decided: 2025-04-08", "decided: 2025-04-11")  # C: due 04-10
            .replace("decided: 2025-05-30", "decided: 2025-06-03")  # D: 05-31..06-02 off
            .replace("decided: 2025-07-04", "decided: 2025-07-07"))  # E
    report_site.write("data/requests/ledger.yaml", late)
    findings = findings_of(report_site.check("2026-01-20"), "request")
    messages = sorted(f.message for f in findings if "decided on" in f.message)
    assert len(messages) == 3
    assert "application C: decided on 2025-04-11, 1 working day(s) after the deadline " \
           "2025-04-10 (20 working days after the corrected application arrived (2025-03-12))" \
        in messages[0]
    assert "application D: decided on 2025-06-03, 1 working day(s) after the deadline " \
           "2025-05-30 (20 working days after receipt (2025-04-01) + 20 days' extension)" \
        in messages[1]
    assert "deadline 2025-07-04" in messages[2] and "3 days paused" in messages[2]


def test_without_the_extension_d_is_late(report_site: SiteDir) -> None:
    report_site.write("data/requests/ledger.yaml",
                      LEDGER.replace(" extended: 2025-04-25,", ""))
    [finding] = findings_of(report_site.check("2026-01-20"), "request")
    assert "deadline 2025-04-29" in finding.message  # Qingming off, Sunday 04-27 on


def test_open_applications_past_or_near_their_deadline(report_site: SiteDir) -> None:
    # I (received Mon 2026-01-05) is due 20 working days later: 2026-02-02
    [due] = findings_of(report_site.check("2026-01-28"), "request")
    assert due.severity == "warning" and "due by 2026-02-02" in due.message
    [over] = findings_of(report_site.check("2026-02-03"), "request")
    assert over.severity == "error" and "past its deadline 2026-02-02" in over.message
    result = run_gxgk("deadlines", str(report_site.root), "--today", "2026-02-03",
                      "--format", "json")
    [entry] = [e for e in json.loads(result.stdout)["due"] if e["kind"] == "application"]
    assert entry["what"] == "I" and entry["deadline"] == "2026-02-02"
    assert entry["working_days_left"] == -1
    assert "金丝雀" not in result.stdout  # the deadlines list shows no personal data


def test_malformed_ledger_records(site: SiteDir) -> None:
    path = site.write("data/requests/bad.yaml", """\
- {id: X1, received: 2025-03-03, applicant: 个人, decided: 2025-03-05, outcome: 予以公开}
- {id: X2, received: 2025-03-03, applicant: 自然人, decided: 2025-03-05, outcome: 部份公开}
- {id: X3, received: 2025-03-10, applicant: 自然人, decided: 2025-03-05, outcome: 予以公开}
- {id: X3, received: 2025-03-10, applicant: 自然人, decided: 2025-03-12, outcome: 予以公开}
- {id: X4, received: 2025-03-10, applicant: 自然人, decided: 2025-03-12}
""")
    messages = [(f.line, f.message) for f in findings_of(site.check("2025-12-31"), "request")]
    text = "\n".join(m for _, m in messages)
    assert "'个人' is not allowed" in text and "自然人" in text
    assert "'部份公开' is not an outcome of table 三; did you mean 部分公开?" in text
    assert "decided 2025-03-05 before it was received (2025-03-10)" in text
    assert "needs its outcome" in text
    assert (line_in(path, "id: X1"), ) == tuple(line for line, m in messages if "个人" in m)


def test_hand_entered_table3_errors_are_named(site: SiteDir) -> None:
    path = site.write("data/reports/2023.yaml", """\
applications:
  本年新收: [3, 1, 0, 0, 0, 0, 4]
  上年结转: [0, 0, 0, 0, 0, 0, 0]
  予以公开: [2, 1, 0, 0, 0, 0, 3]
  （三）不予公开 5.属于三类内部事务信息: [1, 0, 0, 0, 0, 0, 2]
  （七）总计: [3, 1, 0, 0, 0, 0, 5]
  结转下年度继续办理: [1, 0, 0, 0, 0, 0, 1]
review_litigation:
  review: [1, 0, 0, 0, 2]
""")
    result = site.check("2024-06-01")
    messages = [f.message for f in findings_of(result, "report")]
    assert ("2023 表三, row 5.属于三类内部事务信息, column 总计: 总计 is 2 but the six applicant "
            "columns add up to 1 (1 too many)") in messages
    assert ("2023 表三, row 四、结转下年度继续办理, column 自然人: 一 + 二 = 3 but "
            "（七）总计 + 四 = 4 (1 apart): every application received or carried in is either "
            "decided or carried out") in messages
    assert ("2023 表三, row （七）总计, column 总计: 总计 is 5 but the six applicant columns add "
            "up to 4 (1 too many)") in messages
    assert ("2023 表四, row 行政复议, column 总计: 总计 is 2 but the four results add up to 1 "
            "(1 too many)") in messages
    wrong_total = [f for f in findings_of(result, "report")
                   if "5.属于三类内部事务信息" in f.message]
    assert wrong_total[0].line == line_in(path, "5.属于三类内部事务信息")
    cli = run_gxgk("report", "2023", str(site.root), "--today", "2024-06-01")
    assert cli.returncode == 1
    assert "cross-checks: 5 failed" in cli.stdout


def test_bad_numbers_in_report_data(site: SiteDir) -> None:
    site.write("data/reports/2025.yaml", """\
administrative: {licensing: -3, penalty: 2.5, coercion: 一}
applications:
  本年新收: [1, 0, 0]
  不存在的行: [0, 0, 0, 0, 0, 0, 0]
""")
    messages = " | ".join(f.message for f in findings_of(site.check("2026-03-01"), "report"))
    assert "-3 is negative" in messages
    assert "2.5 is not a whole number" in messages
    assert "expected a whole number, got '一'" in messages
    assert "expected 7 numbers" in messages
    assert "not a row of table 三" in messages


def test_repealed_documents_need_their_date(site: SiteDir) -> None:
    path = site.item("a", category="gfxwj", kind="规范性文件", validity="废止")
    [finding] = findings_of(site.check(), "report")
    assert finding.line == line_in(path, "validity:")
    assert "needs repealed: YYYY-MM-DD" in finding.message


def test_missing_report_for_the_previous_year(report_site: SiteDir) -> None:
    assert not [f for f in findings_of(report_site.check("2026-01-31"), "report")]
    [late] = findings_of(report_site.check("2027-02-01"), "report")
    assert late.severity == "warning" and "no annual report for 2026" in late.message
    assert "it was due by 2027-01-31" in late.message
    report_site.config.setdefault("rules", {})["report_due"] = "03-31"  # a government's own
    report_site.write_config()
    assert not findings_of(report_site.check("2027-03-31"), "report")
    [late] = findings_of(report_site.check("2027-04-01"), "report")
    assert "no annual report for 2026: it was due by 2027-03-31" in late.message


def test_report_cli_formats(report_site: SiteDir) -> None:
    text = run_gxgk("report", "2025", str(report_site.root), "--today", "2026-01-20")
    assert text.returncode == 0, text.stderr
    assert "cross-checks: all hold" in text.stdout
    data = json.loads(run_gxgk("report", "2025", str(report_site.root), "--format", "json",
                               "--today", "2026-01-20").stdout)
    rows = {row["key"]: tuple(row["values"]) for row in data["table3"]["rows"]}
    assert rows["carried_out"] == EXPECTED_2025["carried_out"]
    assert data["table2"]["normative"] == [2, 1, 3]
    table = list(csv.reader(io.StringIO(run_gxgk(
        "report", "2025", str(report_site.root), "--format", "csv",
        "--today", "2026-01-20").stdout.lstrip("\ufeff"))))
    assert table[0] == ["表", "项目", "列", "数值"]
    assert ["表三", "一、本年新收政府信息公开申请数量", "总计", "7"] in table
    assert ["表二", "第二十条第（一）项 行政规范性文件", "现行有效件数", "3"] in table
    assert ["表四", "行政复议", "结果纠正", "1"] in table


def test_report_pages_lay_out_the_national_format(report_site: SiteDir) -> None:
    build(report_site, today="2026-01-20", withhold=True)
    out = report_site.root / "_site"
    page = read(out, "reports/2025/index.html")
    for section in ("一、总体情况", "二、主动公开政府信息情况",
                    "三、收到和处理政府信息公开申请情况",
                    "四、政府信息公开行政复议、行政诉讼情况",
                    "五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
        assert f"<h2>{section}</h2>" in page
    assert ('<td colspan="3" rowspan="3" class="note">（本列数据的勾稽关系为：第一项加第二项之和，'
            '等于第三项加第四项之和）</td>') in page
    assert '<th scope="colgroup" colspan="7">申请人情况</th>' in page
    assert '<th scope="col" rowspan="2">自然人</th>' in page
    assert '<th scope="colgroup" colspan="5">法人或其他组织</th>' in page
    assert '<th scope="rowgroup" rowspan="22" class="vertical">三、本年度办理结果</th>' in page
    assert '<th scope="rowgroup" rowspan="8">（三）不予公开</th>' in page
    assert '<th scope="colgroup" colspan="10">行政诉讼</th>' in page
    assert '<th scope="colgroup" colspan="4" class="block-title">第二十条第（八）项</th>' in page
    assert '<th scope="col" colspan="3">本年收费金额（单位：万元）</th>' in page
    assert '<td colspan="3">2.5</td>' in page
    # rows in the format's order, each with its seven numbers
    body = page.split("三、收到和处理政府信息公开申请情况</h2>")[1].split("</table>")[0]
    cells = [line for line in body.split("<tr>")[1:]]
    assert "一、本年新收政府信息公开申请数量" in cells[3]
    assert "<td>2</td><td>1</td><td>1</td><td>1</td><td>1</td><td>1</td><td>7</td>" in cells[3]
    assert "四、结转下年度继续办理" in cells[-1]
    assert len(cells) == 3 + 25
    listing = read(out, "reports/index.html")
    assert 'href="2025/"' in listing
    assert (out / "reports/2025.csv").is_file() and (out / "reports/2025.json").is_file()
    assert (out / "zh-hant/reports/2025/index.html").is_file()
    # the download links resolve on both scripts' pages (the files exist once, at the root)
    for prefix in ("", "zh-hant/"):
        html = read(out, f"{prefix}reports/2025/index.html")
        for name in ("2025.csv", "2025.json"):
            [link] = [h for h in re.findall(r'href="([^"]+)"', html) if h.endswith(name)]
            assert (out / prefix / "reports/2025" / link).resolve() == (out / "reports" / name)


def test_no_ledger_content_anywhere_in_the_output(report_site: SiteDir) -> None:
    build(report_site, today="2026-01-20", withhold=True)
    out = report_site.root / "_site"
    needles = ["金丝雀", "LEDGER-CANARY", "139****0000", "金絲雀"]
    for path in sorted(out.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            for needle in needles:
                assert needle.encode() not in data, f"{needle} in {path}"
    assert not list(out.rglob("*.yaml"))


def test_carry_over_must_match_the_previous_report(site: SiteDir) -> None:
    site.write("data/reports/2023.yaml", """\
applications:
  本年新收: [2, 0, 0, 0, 0, 0, 2]
  予以公开: [1, 0, 0, 0, 0, 0, 1]
  总计: [1, 0, 0, 0, 0, 0, 1]
  结转下年度继续办理: [1, 0, 0, 0, 0, 0, 1]
""")
    site.write("data/reports/2024.yaml", """\
applications:
  本年新收: [1, 0, 0, 0, 0, 0, 1]
  上年结转: [0, 0, 0, 0, 0, 0, 0]
  予以公开: [1, 0, 0, 0, 0, 0, 1]
  总计: [1, 0, 0, 0, 0, 0, 1]
""")
    messages = [f.message for f in findings_of(site.check("2025-01-10"), "report")]
    assert ("2024 表三, row 二、上年结转政府信息公开申请数量, column 自然人: 0, but the 2023 "
            "report carried 1 into 2024 (四、结转下年度继续办理)") in messages


@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
def test_a_year_without_data_is_refused(report_site: SiteDir, fmt: str) -> None:
    """Nothing formed, published, repealed, received or decided in 2027, no 2027.yaml: the
    report says so (the ledger's open application I only carries over) instead of printing
    an all-zero report whose cross-checks hold."""
    result = run_gxgk("report", "2027", str(report_site.root), "--format", fmt,
                      "--today", "2026-01-20")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "gxgk report: no data for 2027" in result.stderr
    assert "data/reports/2027.yaml" in result.stderr
    assert "the site has data for 2022, 2023, 2024, 2025, 2026" in result.stderr


def test_any_data_makes_a_report(site: SiteDir) -> None:
    site.item("a", category="gfxwj", kind="规范性文件", validity="废止",
              formed=D(2025, 3, 3), repealed=D(2027, 6, 1))
    site.write("data/requests/ledger.yaml",
               "- {id: A, received: 2028-03-03, applicant: 自然人}\n"
               "- {id: B, received: 2028-03-03, applicant: 自然人, decided: 2029-01-08,"
               " outcome: 予以公开}\n")
    site.write("data/reports/2031.yaml", "processing_fee: 0\n")
    site.item("draft", draft=True, formed=D(2030, 1, 6), published=None,
              index_no=f"{CODE}/2030-00001")
    for year in (2025, 2027, 2028, 2029, 2031):
        result = run_gxgk("report", str(year), str(site.root), "--today", "2031-01-20")
        assert result.returncode == 0, (year, result.stderr)
        assert "cross-checks: all hold" in result.stdout
    for year in (2026, 2030):  # only a carried-over application; only a draft
        result = run_gxgk("report", str(year), str(site.root), "--today", "2031-01-20")
        assert result.returncode == 1 and result.stdout == ""
        assert f"no data for {year}" in result.stderr
