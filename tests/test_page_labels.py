"""Page labels (`<meta name=…>`), the footer's filings, 发布机构 and the guide's date and
查阅场所 (issue 15, points 2 and 6): built pages parsed, in both scripts."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from pathlib import Path

import pytest
from build_support import build, item_page, read
from conftest import CODE, SiteDir

ICP = "闽ICP备12345678号-1"
PSB = "闽公网安备 35010202000001号"
DZJG = "https://bszs.conac.cn/sitename?method=show&id=0123456789ABCDEF"


class _Labels(HTMLParser):
    """The page's `<meta name=… content=…>` labels, and the footer's links."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.links: list[tuple[str, str]] = []  # (href, text) of the footer's filings
        self._in_filings = False
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and values.get("name"):
            self.meta.setdefault(values["name"] or "", []).append(values.get("content") or "")
        if tag == "p" and values.get("class") == "filings":
            self._in_filings = True
        if tag == "a" and self._in_filings:
            self._href = values.get("href")
            self.links.append((self._href or "", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self._in_filings = False
        if tag == "a":
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            href, text = self.links[-1]
            self.links[-1] = (href, text + data)


def labels(out: Path, relative: str) -> _Labels:
    parser = _Labels()
    parser.feed(read(out, relative))
    return parser


def meta(out: Path, relative: str) -> dict[str, str]:
    found = labels(out, relative).meta
    assert all(len(values) == 1 for values in found.values()), found  # each label once
    return {name: values[0] for name, values in found.items()}


@pytest.fixture
def labelled_site(site: SiteDir) -> SiteDir:
    site.config["site"].update({"id_code": "9999000002", "icp": ICP, "psb": PSB, "dzjg": DZJG,
                                "guide_updated": dt.date(2025, 4, 1)})
    site.config["agency"]["reading_rooms"] = [
        {"name": "测试市人社局政府信息查阅室", "address": "测试市人民路1号102室",
         "hours": "工作日9:00—17:00"},
        {"name": "测试市档案馆", "address": "测试市文昌路2号"},
    ]
    shbx = site.config["categories"][1]
    shbx.update({"description": "社会保险政策与<经办>信息", "keywords": ["养老保险", "失业保险"],
                 "column_type": "社会保险"})
    site.write_config()
    site.item("policy", title="关于调整养老保险缴费档次的通知", category="shbx",
              department="养老保险科", keywords=["养老保险", "缴费档次"],
              published=dt.datetime(2025, 3, 10, 9, 30))
    site.item("joint", title="关于联合开展劳动保障监察的通知", category="gzdt",
              index_no=f"{CODE}/2025-00002", summary="联合开展劳动保障监察。",
              publisher="测试市人力资源和社会保障局　测试市市场监督管理局")
    return site


def test_every_page_carries_the_site_labels_in_both_scripts(labelled_site: SiteDir) -> None:
    build(labelled_site)
    out = labelled_site.root / "_site"
    for prefix in ("", "zh-hant/"):
        for page in ("index.html", "columns/shbx/index.html", item_page(1), "guide/index.html"):
            labels_of = meta(out, prefix + page)
            assert labels_of["SiteDomain"] == "example.gov.cn", page
            assert labels_of["SiteIDCode"] == "9999000002", page
    assert meta(out, "index.html")["SiteName"] == "测试市人社局政府信息公开"
    assert meta(out, "zh-hant/index.html")["SiteName"] == "測試市人社局政府信息公開"


def test_column_labels_come_from_the_category_or_its_defaults(labelled_site: SiteDir) -> None:
    build(labelled_site)
    out = labelled_site.root / "_site"
    shbx = meta(out, "columns/shbx/index.html")
    assert shbx["ColumnName"] == "社会保险"
    assert shbx["ColumnDescription"] == "社会保险政策与<经办>信息"  # escaped, read back as text
    assert "&lt;经办&gt;" in read(out, "columns/shbx/index.html")
    assert shbx["ColumnKeywords"] == "养老保险,失业保险"
    assert shbx["ColumnType"] == "社会保险"
    # a column that sets none: its name, and the type of 条例第二十条's content
    gzdt = meta(out, "columns/gzdt/index.html")
    assert (gzdt["ColumnDescription"], gzdt["ColumnKeywords"], gzdt["ColumnType"]) == (
        "工作动态", "工作动态", "法定主动公开内容")
    assert meta(out, "zh-hant/columns/shbx/index.html")["ColumnType"] == "社會保險"
    assert meta(out, "guide/index.html")["ColumnType"] == "信息公开指南"
    assert meta(out, "apply/index.html")["ColumnType"] == "依申请公开"
    # an item page carries its column's labels
    item = meta(out, item_page(1))
    assert (item["ColumnName"], item["ColumnKeywords"], item["ColumnType"]) == (
        "社会保险", "养老保险,失业保险", "社会保险")


def test_item_page_labels(labelled_site: SiteDir) -> None:
    build(labelled_site)
    out = labelled_site.root / "_site"
    item = meta(out, item_page(1))
    assert item["ArticleTitle"] == "关于调整养老保险缴费档次的通知"
    assert item["PubDate"] == "2025-03-10 09:30"
    assert item["ContentSource"] == "测试市人力资源和社会保障局"
    assert item["Keywords"] == "养老保险,缴费档次"
    assert item["Description"] == "调整城乡居民基本养老保险缴费档次。"
    assert item["Author"] == "养老保险科"
    assert item["Url"] == f"https://example.gov.cn/xxgk/items/{CODE}-2025-00001.html"
    hant = meta(out, "zh-hant/" + item_page(1))
    assert hant["ArticleTitle"] == "關於調整養老保險繳費檔次的通知"
    assert hant["PubDate"] == "2025-03-10 09:30"
    assert hant["Url"] == f"https://example.gov.cn/xxgk/zh-hant/items/{CODE}-2025-00001.html"
    joint = meta(out, item_page(2))
    assert joint["ContentSource"] == "测试市人力资源和社会保障局　测试市市场监督管理局"
    assert joint["Description"] == "联合开展劳动保障监察。"
    assert joint["Keywords"] == "工作动态"  # no keywords: the column's


def test_publisher_is_the_issuing_organ_and_the_department_is_shown_as_such(
        labelled_site: SiteDir) -> None:
    build(labelled_site)
    out = labelled_site.root / "_site"
    page = read(out, item_page(1))
    assert '<th scope="row">发布机构</th><td>测试市人力资源和社会保障局</td>' in page
    assert '<th scope="row">承办科室</th><td colspan="3">养老保险科</td>' in page
    assert "<td>养老保险科</td>" not in page.split("承办科室")[0]
    assert "来源：测试市人力资源和社会保障局" in page
    joint = read(out, item_page(2))
    assert ('<th scope="row">发布机构</th><td>测试市人力资源和社会保障局　测试市市场监督管理局'
            '</td>') in joint
    assert "承办科室" not in joint  # no department given


def test_footer_shows_the_filings_as_written_in_both_scripts(labelled_site: SiteDir) -> None:
    build(labelled_site)
    out = labelled_site.root / "_site"
    for page in ("index.html", "zh-hant/index.html", "zh-hant/" + item_page(1)):
        assert labels(out, page).links == [
            ("https://beian.miit.gov.cn/", ICP),
            ("https://www.beian.gov.cn/portal/registerSystemInfo?recordcode=35010202000001",
             PSB),
            (DZJG, "党政机关网站标识" if "zh-hant" not in page else "黨政機關網站標識"),
        ], page
        assert "网站标识码：9999000002" in read(out, page).replace("網站標識碼", "网站标识码")


def test_footer_without_filings_has_none(site: SiteDir) -> None:
    build(site)
    page = read(site.root / "_site", "index.html")
    assert 'class="filings"' not in page
    assert "网站标识码：9999000002" in page


def test_guide_shows_its_date_and_reading_rooms(labelled_site: SiteDir) -> None:
    build(labelled_site)
    out = labelled_site.root / "_site"
    guide = read(out, "guide/index.html")
    assert '更新日期：<time datetime="2025-04-01">2025-04-01</time>' in guide
    assert "<h3>（二）查阅场所</h3>" in guide
    assert "<li>测试市人社局政府信息查阅室：测试市人民路1号102室（工作日9:00—17:00）</li>" in guide
    assert "<li>测试市档案馆：测试市文昌路2号</li>" in guide
    assert "<h3>（三）申请方式</h3>" in guide and "<h3>（五）收费</h3>" in guide
    hant = read(out, "zh-hant/guide/index.html")
    assert "更新日期" in hant and "測試市檔案館：測試市文昌路2號" in hant


def test_guide_without_date_or_rooms(site: SiteDir) -> None:
    build(site)
    guide = read(site.root / "_site", "guide/index.html")
    assert "更新日期" not in guide and "查阅场所" not in guide
    assert "<h3>（二）申请方式</h3>" in guide and "<h3>（四）收费</h3>" in guide


def test_a_missing_id_code_is_a_warning_naming_the_line_and_the_fix(site: SiteDir) -> None:
    """A warning, not an error: the site still builds (the inspection fails it)."""
    del site.config["site"]["id_code"]
    site.write_config()
    [finding] = site.check().findings
    assert (finding.rule, finding.severity.value, finding.path) == ("config", "warning",
                                                                      "site.yaml")
    lines = (site.root / "site.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[finding.line - 1] == "site:"
    assert "site.id_code" in finding.message and "网站标识码" in finding.message
    assert 'id_code: "1234567890"' in finding.message


@pytest.mark.parametrize(("key", "value", "expected"), [
    ("icp", "ICP12345678", "ICP备案号"),
    ("psb", "闽公网安备 123号", "公安机关备案号"),
    ("dzjg", "https://example.com/badge", "conac.cn"),
    ("guide_updated", "2025-13-01", "site.guide_updated"),
])
def test_malformed_filings_are_config_errors(site: SiteDir, key: str, value: str,
                                             expected: str) -> None:
    site.config["site"][key] = value
    site.write_config()
    [finding] = site.check().findings
    assert finding.rule == "config" and expected in finding.message
    lines = (site.root / "site.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[finding.line - 1].strip().startswith(f"{key}:")


def test_a_reading_room_needs_an_address(site: SiteDir) -> None:
    site.config["agency"]["reading_rooms"] = [{"name": "查阅室"}]
    site.write_config()
    [finding] = site.check().findings
    assert finding.rule == "config" and "address" in finding.message
