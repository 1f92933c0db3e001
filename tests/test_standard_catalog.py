"""基层政务公开标准目录 (data/standard_catalog.yaml): the file's schema, `matter:` references,
the website channel, the windows a 事项's 公开时限 gives, and the published table and CSV."""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

import pytest
import yaml
from build_support import build, read
from conftest import CODE, SiteDir, findings_of, line_in, run_gxgk

from gxgk_site.loader import load_site

D = dt.date
CATALOG = "data/standard_catalog.yaml"

PENALTY = {
    "id": "xzcf", "group": "行政执法", "name": "行政处罚结果",
    "content": "行政处罚决定书文号、当事人、违法事实、处罚依据、处罚内容",
    "basis": "《中华人民共和国行政处罚法》第四十八条",
    "deadline": "自作出行政处罚决定之日起7个工作日内",
    "subject": "测试市人力资源和社会保障局", "channels": ["政府网站"],
    "audience": "全社会", "manner": "主动", "level": ["县级"],
}
POLICY = {
    "id": "zcwj", "group": "政策文件", "name": "规范性文件",
    "content": "本机关制发的规范性文件", "basis": "《中华人民共和国政府信息公开条例》第二十条",
    "deadline": "信息形成或者变更之日起20个工作日内", "subject": "测试市人力资源和社会保障局",
    "channels": ["政府网站", "政务服务大厅"], "audience": ["全社会"], "manner": ["主动"],
    "level": ["县级", "乡级"],
}
HALL_ONLY = {
    "id": "bszn", "group": "社会保险", "name": "社会保险经办服务指南",
    "content": "办理条件、材料、流程", "basis": "《社会保险经办条例》",
    "deadline": "常态化公开", "subject": "测试市社会保险事业管理中心",
    "channels": ["政务服务大厅"], "audience": ["特定群体"], "manner": ["依申请"],
    "level": ["乡级"],
}


def write_catalog(site: SiteDir, *matters: dict[str, Any], title: str | None = None) -> None:
    document: dict[str, Any] = {"title": title} if title else {}
    document["matters"] = [copy.deepcopy(m) for m in matters]
    site.write(CATALOG, yaml.safe_dump(document, allow_unicode=True, sort_keys=False))


def name_matters(site: SiteDir, **columns: str) -> None:
    """Give site.yaml's columns (by id) a matter: each."""
    def walk(nodes: list[dict[str, Any]]) -> None:
        for node in nodes:
            if node["id"] in columns:
                node["matter"] = columns[node["id"]]
            walk(node.get("children", []))

    walk(site.config["categories"])
    site.write_config()


def catalog_findings(site: SiteDir, today: str = "2025-12-31") -> list:
    return findings_of(site.check(today), "standard-catalog")


def signed(day: dt.date) -> dict:
    return {"reviewers": {tier: {"name": name, "date": day}
                          for tier, name in (("first", "王一"), ("second", "李二"),
                                             ("final", "赵三"))},
            "secrecy_review": {"name": "钱四", "date": day}}


# --- the file -------------------------------------------------------------------------------


@pytest.mark.parametrize(("change", "at", "message"), [
    ({"basis": None}, "id: xzcf", "required key 'basis' is missing under 'matters.0'"),
    ({"audience": "全体"}, "audience:", "matters.0.audience.0: '全体' is not allowed; use one of "
                                       "全社会 | 特定群体; did you mean 全社会?"),
    ({"level": ["区级"]}, "- 区级", "matters.0.level.0: '区级' is not allowed; use one of 省级 | "
                                   "市级 | 县级 | 乡级; did you mean 省级?"),
    ({"chanels": ["政府网站"]}, "chanels:", "matters.0.chanels: unknown key; did you mean "
                                         "'channels'? (known keys: id, group, name, content, "
                                         "basis, deadline, window, subject, channels, audience, "
                                         "manner, level)"),
    ({"window": {"days": 7, "from": "decison"}}, "from: decison",
     "matters.0.window.from: 'decison' is not allowed; use one of formed | decided | approved | "
     "policy; did you mean decided?"),
    ({"deadline": 7}, "deadline:", "matters.0.deadline: expected text, got a number (put it in "
                                   "quotes)"),
])
def test_a_bad_matter_is_an_error_naming_file_line_and_fix(site: SiteDir, change: dict,
                                                           at: str, message: str) -> None:
    matter = {**PENALTY, **change}
    write_catalog(site, {k: v for k, v in matter.items() if v is not None})
    site.item("a")
    result = run_gxgk("check", str(site.root), "--today", "2025-12-31")
    assert result.returncode == 1
    [line] = [text for text in result.stdout.splitlines() if "[standard-catalog]" in text]
    assert line == (f"{CATALOG}:{line_in(site.root / CATALOG, at)}: "
                    f"error[standard-catalog] {message}")
    assert "Traceback" not in result.stderr


def test_a_file_that_is_not_yaml_or_not_text(site: SiteDir) -> None:
    site.write(CATALOG, "matters:\n  - name: [unclosed\n")
    [finding] = catalog_findings(site)
    assert finding.path == CATALOG and finding.line == 3 and finding.severity == "error"
    site.write(CATALOG, "title: 标准目录\nmatters: []\n".encode("gbk"))
    [finding] = catalog_findings(site)
    assert (finding.path, finding.severity) == (CATALOG, "error")
    assert "not a UTF-8 text file (it looks like GBK (GB18030) text)" in finding.message
    site.item("a", matter="xzcf")  # the reference is not judged against a broken file
    assert len(catalog_findings(site)) == 1


def test_an_id_or_a_matter_listed_twice(site: SiteDir) -> None:
    write_catalog(site, PENALTY, POLICY, {**POLICY, "name": "其他文件"})
    [finding] = [f for f in catalog_findings(site) if f.severity == "error"]
    first = line_in(site.root / CATALOG, "id: zcwj")
    assert finding.message == f"id 'zcwj' is listed twice (first on line {first}); each " \
        "公开事项 is listed once"
    assert finding.line == line_in(site.root / CATALOG, "id: zcwj", occurrence=2)


def test_the_tables_chinese_labels_are_keys_too(site: SiteDir) -> None:
    write_catalog(site, PENALTY)
    english = load_site(site.root, D(2025, 12, 31)).site.standard_catalog
    site.write(CATALOG, """\
- 编号: xzcf
  一级事项: 行政执法
  二级事项: 行政处罚结果
  公开内容（要素）: 行政处罚决定书文号、当事人、违法事实、处罚依据、处罚内容
  公开依据: 《中华人民共和国行政处罚法》第四十八条
  公开时限: 自作出行政处罚决定之日起7个工作日内
  公开主体: 测试市人力资源和社会保障局
  公开渠道和载体: 政府网站
  公开对象: 全社会
  公开方式: 主动公开
  公开层级: 县级
""")
    loaded = load_site(site.root, D(2025, 12, 31))
    assert loaded.findings == []
    assert loaded.site.standard_catalog == english
    site.write(CATALOG, re.sub("(?m)^  公开依据: .*\n", "", read(site.root, CATALOG)))
    [finding] = catalog_findings(site)
    assert (finding.line, finding.message) == (1, "required key 'basis' is missing under "
                                                  "'matters.0'")


def test_several_values_may_be_one_text(site: SiteDir) -> None:
    write_catalog(site, {**POLICY, "channels": "政府网站、政务服务大厅",
                         "audience": "全社会，特定群体", "manner": "主动公开、依申请公开",
                         "level": "县级、乡镇级"})
    loaded = load_site(site.root, D(2025, 12, 31))
    assert loaded.findings == []
    [matter] = loaded.site.standard_catalog.matters
    assert (matter.channels, matter.audience, matter.manner, matter.level) == (
        ("政府网站", "政务服务大厅"), ("全社会", "特定群体"), ("主动", "依申请"), ("县级", "乡级"))


# --- matter: references ---------------------------------------------------------------------


def test_matter_names_a_matter_by_id_name_or_group_and_name(site: SiteDir) -> None:
    write_catalog(site, PENALTY, POLICY)
    name_matters(site, gfxwj="规范性文件", gzdt="行政执法/行政处罚结果")
    site.item("a", category="gfxwj", matter="zcwj")
    site.item("b", category="gzdt", matter="行政处罚结果", index_no=f"{CODE}/2025-00002")
    assert catalog_findings(site) == []


def test_an_unknown_matter_is_an_error_where_it_is_named(site: SiteDir) -> None:
    write_catalog(site, PENALTY, POLICY)
    name_matters(site, gzdt="行政处罚决定")
    path = site.item("a", matter="xzcff")
    findings = {f.path: f for f in catalog_findings(site)}
    item = findings["content/a.md"]
    assert (item.severity, item.line) == ("error", line_in(path, "matter:"))
    assert item.message == (f"matter 'xzcff' is not a 公开事项 of {CATALOG} (did you mean "
                            "xzcf?); use the id, the 事项名称 or 一级事项/事项名称 of one")
    column = findings["site.yaml"]
    assert column.line == line_in(site.root / "site.yaml", "id: gzdt")
    assert column.message.startswith("column 工作动态 (gzdt): matter '行政处罚决定' is not a "
                                     f"公开事项 of {CATALOG} (did you mean 行政处罚结果?)")


def test_matter_without_a_catalogue_and_an_ambiguous_name(site: SiteDir) -> None:
    site.item("a", matter="xzcf")
    [finding] = catalog_findings(site)
    assert finding.message == (f"matter 'xzcf' names a 公开事项, but the site has no {CATALOG}; "
                               "add the catalogue, or remove matter")
    write_catalog(site, POLICY, {**PENALTY, "name": "规范性文件", "channels": ["政务服务大厅"]})
    name_matters(site, gfxwj="zcwj")
    assert catalog_findings(site) == []  # xzcf: an id
    site.item("a", matter="规范性文件")
    [finding] = catalog_findings(site)
    assert finding.message == (f"matter '规范性文件' more than one 公开事项 of {CATALOG} is named "
                               "'规范性文件'; name it by its id or as 一级事项/事项名称")


# --- the website channel --------------------------------------------------------------------


def test_a_website_matter_with_no_column_is_a_warning(site: SiteDir) -> None:
    write_catalog(site, PENALTY, HALL_ONLY)
    [finding] = catalog_findings(site)
    assert (finding.severity, finding.path) == ("warning", CATALOG)
    assert finding.line == line_in(site.root / CATALOG, "id: xzcf")
    assert finding.message == (
        "公开事项 行政执法/行政处罚结果 is published on the website (政府网站), but no column "
        "names it (matter: in site.yaml) and no published item does; add matter: xzcf to the "
        "column that carries it (with items, or an empty_note saying why there are none)")


def test_a_website_matter_whose_column_is_empty_without_a_note(site: SiteDir) -> None:
    write_catalog(site, PENALTY)
    del site.config["categories"][2]["empty_note"]
    name_matters(site, gzdt="xzcf")
    [finding] = catalog_findings(site)
    assert "its column 工作动态 (gzdt) has no published public item and no empty_note; " \
        "publish its items, or say in the column's empty_note why there are none" \
        in finding.message
    site.config["categories"][2]["empty_note"] = "本栏目暂无行政处罚结果。"
    site.write_config()
    assert catalog_findings(site) == []  # the column says why it is empty


def test_a_column_with_items_or_an_item_carries_the_matter(site: SiteDir) -> None:
    write_catalog(site, PENALTY, POLICY)
    for category in site.config["categories"]:
        category.pop("empty_note", None)
    name_matters(site, shbx="zcwj")
    site.item("a", category="ylbx")  # in a child column: its parent's page lists it
    site.item("b", category="gzdt", matter="xzcf", index_no=f"{CODE}/2025-00002")
    assert catalog_findings(site) == []
    site.item("b", category="gzdt", matter="xzcf", index_no=f"{CODE}/2025-00002", draft=True)
    assert [f.message.split(" is ")[0] for f in catalog_findings(site)] == [
        "公开事项 行政执法/行政处罚结果"]  # a draft is not on the website


# --- windows from the 公开时限 --------------------------------------------------------------


def test_a_matters_deadline_text_is_the_window_of_its_items(site: SiteDir) -> None:
    write_catalog(site, PENALTY)
    path = site.item("cf", category="gzdt", matter="xzcf", kind="通知公告",
                     decided=D(2025, 3, 3), published=D(2025, 3, 13), **signed(D(2025, 3, 4)))
    [late] = findings_of(site.check(), "window")
    assert late.line == line_in(path, "published:")
    assert "1 working day(s) after the deadline 2025-03-12 (7 working days after decided " \
        "2025-03-03 (事项 行政处罚结果))" in late.message


def test_a_columns_matter_gives_its_items_the_window_and_rules_windows_wins(
        site: SiteDir) -> None:
    write_catalog(site, PENALTY)
    name_matters(site, gzdt="xzcf")
    site.item("cf", category="gzdt", decided=D(2025, 3, 3), published=D(2025, 3, 13),
              **signed(D(2025, 3, 4)))
    [late] = findings_of(site.check(), "window")
    assert "(7 working days after decided 2025-03-03 (column 工作动态: 事项 行政处罚结果))" \
        in late.message
    site.config["rules"] = {"windows": {"gzdt": {"days": 8, "from": "decided"}}}
    site.write_config()
    assert findings_of(site.check(), "window") == []  # 8 working days: due 03-13


def test_an_explicit_window_beats_the_text_and_unreadable_text_gives_none(
        site: SiteDir) -> None:
    write_catalog(site, {**PENALTY, "window": {"days": 5, "unit": "calendar",
                                               "from": "decided"}})
    site.item("cf", category="gzdt", matter="xzcf", decided=D(2025, 3, 3),
              published=D(2025, 3, 9), **signed(D(2025, 3, 4)))
    [late] = findings_of(site.check(), "window")
    assert "1 day(s) after the deadline 2025-03-08 (5 calendar days after decided 2025-03-03 " \
        "(事项 行政处罚结果))" in late.message
    write_catalog(site, {**PENALTY, "deadline": "常态化公开"})  # no period: the default window
    assert findings_of(site.check(), "window") == []


# --- the published table and CSV ------------------------------------------------------------


def test_the_build_publishes_the_official_table_and_csv(site: SiteDir) -> None:
    formula = '=HYPERLINK("https://evil.example","点击")'
    write_catalog(site, PENALTY, POLICY, {**POLICY, "id": "qtwj", "name": "其他文件",
                                          "content": formula}, HALL_ONLY,
                  title="测试市人社局基层政务公开标准目录")
    name_matters(site, gfxwj="zcwj", gzdt="xzcf")
    site.item("a", category="gfxwj")
    build(site)
    out = site.root / "_site"
    html = read(out, "standard-catalog/index.html")
    assert "<h1>测试市人社局基层政务公开标准目录</h1>" in html
    header = re.sub(r"\s+", "", html[html.index("<thead>"):html.index("</thead>")])
    groups = [f'<thscope="colgroup"colspan="2">{name}' for name in ("公开事项", "公开对象",
                                                                   "公开方式", "公开层级")]
    for cell in ('<thscope="col"rowspan="2">序号</th>', *groups,
                 "公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开渠道和载体",
                 ">一级事项<", ">二级事项<", ">全社会<",
                 ">特定群体<", ">主动<", ">依申请<", ">县级<", ">乡级<"):
        assert cell in header, cell
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html[html.index("<tbody>"):], re.S)
    assert len(rows) == 4
    first = re.sub(r"\s+", "", rows[1])  # 政策文件 spans its two 事项
    assert '<tdrowspan="2">政策文件</td>' in first
    assert '<ahref="../columns/gfxwj/">规范性文件</a>' in first
    assert "政策文件" not in rows[2]  # inside the cell above
    assert "=HYPERLINK(&#34;https://evil.example&#34;,&#34;点击&#34;)" in rows[2]  # text
    assert re.findall(r"<td>(√?)</td>", rows[3]) == ["", "√", "", "√", "", "√"]
    assert (out / "zh-hant/standard-catalog/index.html").is_file()
    assert 'href="../standard-catalog/">标准目录</a>' in read(out, "guide/index.html")
    csv_text = (out / "standard-catalog.csv").read_bytes().decode("utf-8")
    assert csv_text.startswith("\ufeff序号,一级事项,二级事项,公开内容（要素）,公开依据,公开时限,"
                               "公开主体,公开渠道和载体,公开对象（全社会）,公开对象（特定群体）,"
                               "公开方式（主动）,公开方式（依申请）,公开层级（县级）,公开层级（乡级）\r\n")
    assert ("\r\n4,社会保险,社会保险经办服务指南,办理条件、材料、流程,《社会保险经办条例》,"
            "常态化公开,测试市社会保险事业管理中心,政务服务大厅,,√,,√,,√\r\n") in csv_text
    assert ',"\'=HYPERLINK(""https://evil.example"",""点击"")",' in csv_text


def test_a_site_without_a_catalogue_has_no_page_and_no_link(site: SiteDir) -> None:
    site.item("a")
    build(site)
    out = site.root / "_site"
    assert not (out / "standard-catalog").exists()
    assert not (out / "standard-catalog.csv").exists()
    assert "standard-catalog" not in read(out, "index.html")
    assert "标准目录" not in read(out, "guide/index.html")
