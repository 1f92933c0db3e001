"""`gxgk build`: the pages a user relies on, both scripts, and what never reaches the output."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
import zxingcpp
from build_support import build, item_page, read, tree_digest
from conftest import CODE, SiteDir, run_gxgk

D = dt.date


@pytest.fixture
def column_site(site: SiteDir) -> SiteDir:
    """A policy, its interpretation, a repealed document with an attachment."""
    site.config["categories"][0]["empty_note"] = None
    site.config["categories"].append({"id": "yjzj", "name": "意见征集",
                                      "empty_note": "目前暂无正在征集意见的事项。"})
    site.write_config()
    site.write("content/gfxwj/files/附件1.pdf", b"%PDF-1.4 public attachment")
    site.item("gfxwj/policy", title="示例市失业保险稳岗返还办法", category="gfxwj",
              kind="规范性文件", validity="有效", doc_number="示人社规〔2025〕1号",
              keywords=["失业保险", "稳岗返还"],
              body="# 第一章 总则\n\n正文见[附件](files/附件1.pdf)。<script>alert(1)</script>\n")
    site.item("gfxwj/old", title="示例市旧办法", category="gfxwj", kind="规范性文件",
              validity="废止", repealed=D(2025, 6, 30), index_no=f"{CODE}/2025-00002")
    site.item("reading", title="《示例市失业保险稳岗返还办法》政策解读", category="shbx",
              kind="政策解读", index_no=f"{CODE}/2025-00003", interprets=f"{CODE}/2025-00001",
              body="原文：[办法](gfxwj/policy.md#第一章-总则)\n")
    return site


def test_item_page_carries_the_metadata_and_notes(column_site: SiteDir) -> None:
    build(column_site)
    page = read(column_site.root / "_site", item_page(1))
    for label in ("索引号", "主题分类", "发布机构", "成文日期", "发布日期", "文号", "有效性",
                  "公开方式"):
        assert f'<th scope="row">{label}</th>' in page
    assert f"<td>{CODE}/2025-00001</td>" in page
    assert "示人社规〔2025〕1号" in page
    assert "时间：" in page and "来源：测试市人力资源和社会保障局" in page
    assert "（此件主动公开）" in page
    assert "初审：王一　复审：李二　终审：赵三" in page
    assert "data-print" in page
    assert '<meta name="ArticleTitle" content="示例市失业保险稳岗返还办法">' in page
    assert '<meta name="PubDate" content="2025-03-10 00:00">' in page
    assert '<meta name="ColumnName" content="规范性文件">' in page
    assert '<meta name="SiteName" content="测试市人社局政府信息公开">' in page
    assert '<meta name="ContentSource" content="测试市人力资源和社会保障局">' in page
    assert '<html lang="zh-Hans">' in page


def test_raw_html_is_escaped_and_headings_stay_below_the_title(column_site: SiteDir) -> None:
    build(column_site)
    page = read(column_site.root / "_site", item_page(1))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<h1") == 1
    assert '<h2 id="第一章-总则">第一章 总则</h2>' in page


def test_qr_code_is_inline_svg_of_the_page_url(column_site: SiteDir) -> None:
    build(column_site)
    page = read(column_site.root / "_site", item_page(1))
    svg = re.search(r"<svg[^>]*class=\"qr\".*?</svg>", page, re.S)
    assert svg is not None and "扫一扫在手机打开当前页" in page
    assert decode_qr(svg.group()) == f"https://example.gov.cn/xxgk/items/{CODE}-2025-00001.html"
    hant = read(column_site.root / "_site", "zh-hant/" + item_page(1))
    hant_svg = re.search(r"<svg[^>]*class=\"qr\".*?</svg>", hant, re.S)
    assert hant_svg is not None
    assert decode_qr(hant_svg.group()).endswith(f"/xxgk/zh-hant/items/{CODE}-2025-00001.html")


def decode_qr(svg: str) -> str:
    """Rasterise the SVG's rows (dash patterns) and read it back with a real decoder."""
    size = int(re.search(r'viewBox="0 0 (\d+)', svg)[1])
    scale = 4
    pixels = bytearray([255]) * (size * scale) ** 2
    for x, y, dashes in re.findall(r'd="M(\d+) (\d+)\.5h\d+" stroke-dasharray="([\d,]+)"', svg):
        x, y = int(x), int(y)
        dark = True
        for length in map(int, dashes.split(",")):
            if dark:
                for row in range(y * scale, (y + 1) * scale):
                    start = row * size * scale
                    pixels[start + x * scale:start + (x + length) * scale] = bytes(length * scale)
            x += length
            dark = not dark
    image = memoryview(pixels).cast("B", shape=[size * scale, size * scale])
    [found] = zxingcpp.read_barcodes(image)
    assert found.ec_level == "M"  # medium error correction: the code survives a smudge or crease
    return found.text


def test_policy_and_interpretation_link_both_ways(column_site: SiteDir) -> None:
    build(column_site)
    out = column_site.root / "_site"
    policy, reading = read(out, item_page(1)), read(out, item_page(3))
    assert f'href="{CODE}-2025-00003.html">《示例市失业保险稳岗返还办法》政策解读</a>' in policy
    assert f'href="{CODE}-2025-00001.html">示例市失业保险稳岗返还办法</a>' in reading
    # a link to the policy's .md file in the body became the policy's page
    assert f'href="{CODE}-2025-00001.html#{quote("第一章-总则")}"' in reading


def test_repealed_item_has_a_banner(column_site: SiteDir) -> None:
    build(column_site)
    page = read(column_site.root / "_site", item_page(2))
    assert "本文件已废止" in page and "2025-06-30" in page
    assert "本文件已" not in read(column_site.root / "_site", item_page(1))


def test_attachment_is_copied_and_listed(column_site: SiteDir) -> None:
    build(column_site)
    out = column_site.root / "_site"
    assert (out / "files/gfxwj/files/附件1.pdf").read_bytes() == b"%PDF-1.4 public attachment"
    page = read(out, item_page(1))
    assert 'href="../files/gfxwj/files/%E9%99%84%E4%BB%B61.pdf"' in page
    assert "附件1.pdf" in page


def test_home_catalog_and_columns(column_site: SiteDir) -> None:
    build(column_site)
    out = column_site.root / "_site"
    home = read(out, "index.html")
    for entry in ("guide/", "catalog/", "reports/", "apply/", "search/"):
        assert f'href="{entry}"' in home
    assert "示例市失业保险稳岗返还办法" in home
    catalog = read(out, "catalog/index.html")
    for label in ("索引号", "名称", "内容概述", "生成日期", "发布日期", "文号"):
        assert f'<th scope="col">{label}</th>' in catalog
    assert read(out, "catalog/2025/index.html").count("<tr>") == 4  # header + 3 items
    column = read(out, "columns/gfxwj/index.html")
    assert "示例市旧办法" in column and "政策解读" not in column
    empty = read(out, "columns/yjzj/index.html")
    assert "目前暂无正在征集意见的事项。" in empty
    # a parent column lists its children's items
    assert "政策解读" in read(out, "columns/shbx/index.html")


def test_pagination(site: SiteDir) -> None:
    site.config["catalog"] = {"page_size": 5}
    site.write_config()
    for n in range(1, 13):
        site.item(f"i{n}", index_no=f"{CODE}/2025-{n:05d}", title=f"通知第{n}号")
    build(site)
    out = site.root / "_site"
    assert (out / "catalog/index_3.html").is_file()
    assert not (out / "catalog/index_4.html").exists()
    assert (out / "columns/shbx/index_2.html").is_file()
    assert 'aria-current="page">2</a>' in read(out, "catalog/index_2.html")


def test_guide_apply_and_statutory_files(column_site: SiteDir) -> None:
    column_site.write("content/guide.md", "本机关政府信息公开工作由办公室负责。\n")
    build(column_site)
    out = column_site.root / "_site"
    guide = read(out, "guide/index.html")
    for text in ("测试市人民路1号", "工作日 8:30-17:30", "0599-12345678", "0599-12345679",
                 "xxgk@example.gov.cn", "20个工作日", "行政复议",
                 "本机关政府信息公开工作由办公室负责。"):
        assert text in guide, text
    apply = read(out, "apply/index.html")
    assert "政府信息公开申请表" in apply and "data-print" in apply
    not_found = read(out, "404.html")
    assert 'href="/xxgk/static/css/site.css"' in not_found  # served at any depth


def test_robots_txt_only_at_the_host_root(site: SiteDir) -> None:
    """Crawlers read /robots.txt only: a site under a path (the test sites are at /xxgk/) has
    none (README says which line to add to the host's); a site at the host root has one."""
    site.item("a")
    build(site)
    out = site.root / "_site"
    assert not (out / "robots.txt").exists()
    assert (out / "sitemap.xml").is_file()
    site.config["site"]["base_url"] = "https://xxgk.example.gov.cn"
    site.write_config()
    build(site)
    assert read(out, "robots.txt") == ("User-agent: *\nAllow: /\n"
                                       "Sitemap: https://xxgk.example.gov.cn/sitemap.xml\n")
    assert "https://xxgk.example.gov.cn/items/" in read(out, "sitemap.xml")
    site.config["site"]["base_url"] = "https://example.gov.cn/xxgk/"
    site.write_config()
    build(site)
    assert not (out / "robots.txt").exists()  # gone from the output again


def test_feed_sitemap_and_exports(column_site: SiteDir) -> None:
    build(column_site)
    out = column_site.root / "_site"
    feed = read(out, "feed.xml")
    assert feed.count("<entry>") == 3
    assert "<updated>2025-03-10T00:00:00+08:00</updated>" in feed
    sitemap = read(out, "sitemap.xml")
    assert f"https://example.gov.cn/xxgk/items/{CODE}-2025-00001.html" in sitemap
    assert f"https://example.gov.cn/xxgk/zh-hant/items/{CODE}-2025-00001.html" in sitemap
    assert "404" not in sitemap
    document = json.loads(read(out, "catalog.json"))
    assert [row["index_no"] for row in document["items"]] == [
        f"{CODE}/2025-00001", f"{CODE}/2025-00002", f"{CODE}/2025-00003"]
    csv_text = (out / "catalog.csv").read_bytes().decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("索引号,名称,内容概述,生成日期,发布日期,文号")
    assert len(csv_text.splitlines()) == 4


def test_traditional_mirror(column_site: SiteDir) -> None:
    build(column_site)
    out = column_site.root / "_site"
    hans, hant = read(out, item_page(1)), read(out, "zh-hant/" + item_page(1))
    assert '<html lang="zh-Hant">' in hant
    assert "示例市失業保險穩崗返還辦法" in hant
    assert "規範性文件" in hant
    # s2t, not s2twp: 信息 stays 信息 (s2twp would rewrite it to 資訊)
    assert "政府信息公開" in hant and "資訊" not in hant
    # the switch links each page to its twin
    assert f'href="../zh-hant/items/{CODE}-2025-00001.html"' in hans
    assert f'href="../../items/{CODE}-2025-00001.html"' in hant
    assert (out / "zh-hant/index.html").is_file()
    assert (out / "zh-hant/catalog/index.html").is_file()


def test_repeated_headings_get_numbered_anchors(column_site: SiteDir) -> None:
    """As mdit-py-plugins' anchors plugin numbers them (links written for it still work), in
    linear time: a heading of a text already taken gets the first free -N."""
    column_site.item("gfxwj/policy", title="示例市失业保险稳岗返还办法", category="gfxwj",
                     kind="规范性文件", validity="有效", doc_number="示人社规〔2025〕1号",
                     body="# 说明\n\n# 说明\n\n# 说明-1\n\n# 说明\n\n# 附则\n\n# 说明\n")
    build(column_site)
    ids = re.findall(r'<h2 id="([^"]+)">', read(column_site.root / "_site", item_page(1)))
    assert [i for i in ids if not i.isascii()] == ["说明", "说明-1", "说明-1-1", "说明-2", "附则",
                                                   "说明-3"]


def _anchors(html: str) -> tuple[set[str], set[str]]:
    """The ids of a page, and the fragments its links to itself ask for (decoded)."""
    ids = set(re.findall(r' id="([^"]+)"', html))
    return ids, {unquote(f) for f in re.findall(r'href="#([^"]+)"', html)}


def test_mirror_anchors_meet_their_links(column_site: SiteDir) -> None:
    """A heading's anchor and the links to it stay as written in the mirror (OpenCC would
    turn the id into Traditional characters and leave the percent-encoded link as it was), while
    the heading's text is converted."""
    column_site.item("gfxwj/policy", title="示例市失业保险稳岗返还办法", category="gfxwj",
                     kind="规范性文件", validity="有效", doc_number="示人社规〔2025〕1号",
                     body="# 第一章 总则\n\n见[发展目标](#二发展目标)。\n\n"
                          "## 二、发展目标\n\n正文。\n")
    build(column_site)
    out = column_site.root / "_site"
    for prefix in ("", "zh-hant/"):
        ids, wanted = _anchors(read(out, prefix + item_page(1)))
        assert wanted and wanted <= ids, prefix
        reading = read(out, prefix + item_page(3))
        [target] = re.findall(rf'href="[^"]*{CODE}-2025-00001\.html#([^"]+)"', reading)
        assert unquote(target) in ids, prefix
    assert ">二、發展目標</h3>" in read(out, "zh-hant/" + item_page(1))


def test_rebuilds_are_byte_identical_whatever_the_job_count(column_site: SiteDir,
                                                           tmp_path: Path) -> None:
    for n in range(4, 140):  # enough pages for the process pool to be used
        column_site.item(f"many/i{n}", index_no=f"{CODE}/2025-{n:05d}", title=f"通知{n}")
    build(column_site, tmp_path / "one", jobs=1)
    build(column_site, tmp_path / "two", jobs=2)
    build(column_site, tmp_path / "again", jobs=2)
    first = tree_digest(tmp_path / "one")
    assert first == tree_digest(tmp_path / "two") == tree_digest(tmp_path / "again")
    assert len(first) > 300


def test_no_build_time_in_the_output(column_site: SiteDir) -> None:
    build(column_site, today="2025-12-31")
    first = tree_digest(column_site.root / "_site")
    build(column_site, today="2025-12-31")
    assert tree_digest(column_site.root / "_site") == first


def test_site_templates_override_the_theme(column_site: SiteDir) -> None:
    column_site.write("templates/404.html",
                      '{% extends "base.html" %}{% block content %}<h1>走丢了</h1>{% endblock %}')
    build(column_site)
    assert "走丢了" in read(column_site.root / "_site", "404.html")


def test_template_errors_name_template_and_line(column_site: SiteDir) -> None:
    column_site.write("templates/404.html", "{% extends \"base.html\" %}\n{% block content %}\n"
                      "{{ page.no_such_thing }}\n{% endblock %}\n")
    result = run_gxgk("build", str(column_site.root), "--today", "2025-12-31")
    assert result.returncode == 1
    assert "templates/404.html:3" in result.stderr
    assert "Traceback" not in result.stderr
    column_site.write("templates/404.html", "{% block content %}\n{% endblok %}\n")
    result = run_gxgk("build", str(column_site.root), "--today", "2025-12-31")
    assert result.returncode == 1 and "templates/404.html:2" in result.stderr
    assert not (column_site.root / "_site").exists()


def test_bodies_converted_on_their_own_read_as_in_the_whole_page() -> None:
    """The mirror converts an item's body apart from its page (so that the build cache can
    keep it; the page keeps a marker in its place while it is converted, see
    templates.Environment.keeping_final): every demo body, set in a page with Chinese text
    around it, converts the same."""
    from gxgk_site.frontmatter import split
    from gxgk_site.render import markdown
    from gxgk_site.render.traditional import html_to_traditional

    bodies = [split(path.read_text(encoding="utf-8")).body
              for path in sorted((Path(__file__).parent.parent / "content").rglob("*.md"))]
    assert len(bodies) > 30
    marker = "\0gxgk-kept-0\0"
    for body in [*bodies, "发展", "头发", "干部"]:
        html = markdown.render(body)
        page = f"<title>头</title>理发{marker}干净<p>此件主动公开</p>"
        apart = html_to_traditional(page).replace(marker, html_to_traditional(html))
        assert apart == html_to_traditional(page.replace(marker, html))


def test_mirror_pages_load_the_root_assets_and_files(column_site: SiteDir) -> None:
    build(column_site)
    out = column_site.root / "_site"
    for page in ("index.html", "catalog/index.html", item_page(1), "search/index.html"):
        for prefix in ("", "zh-hant/"):
            html = read(out, prefix + page)
            base = (out / (prefix + page)).parent
            links = re.findall(r'(?:href|src)="([^"#?]+)"', html)
            local = [link for link in links if "://" not in link and not link.startswith("mailto:")]
            assert any("static/css/site.css" in link for link in local)
            for link in local:  # every relative link resolves to something in the output
                target = (base / unquote(link)).resolve()
                assert target.is_file() or (target / "index.html").is_file(), (prefix + page, link)
    hans, hant = read(out, "index.html"), read(out, "zh-hant/index.html")
    assert 'lang="zh-Hant" hreflang="zh-Hant">繁體</a>' in hans
    assert 'lang="zh-Hans" hreflang="zh-Hans">简体</a>' in hant
    not_found = read(out, "zh-hant/404.html")
    assert 'href="/xxgk/static/css/site.css"' in not_found
    assert 'href="/xxgk/zh-hant/catalog/"' in not_found


def test_pager_links_a_window_of_pages(site: SiteDir) -> None:
    site.config["catalog"] = {"page_size": 5}
    site.write_config()
    for n in range(1, 61):  # 12 catalog pages
        site.item(f"i{n}", index_no=f"{CODE}/2025-{n:05d}", title=f"通知第{n}号")
    build(site)
    pager = read(site.root / "_site", "catalog/index_6.html").split('class="pager"')[1]
    numbers = re.findall(r">(\d+)</a>", pager)
    assert numbers == ["1", "3", "4", "5", "6", "7", "8", "9", "12"]
    assert pager.count("…") == 2


def test_guide_states_the_configured_request_periods(column_site: SiteDir) -> None:
    column_site.config["rules"] = {"request_days": 15, "request_extension_days": 15}
    column_site.config["site"]["id_code"] = "9999000001"
    column_site.write_config()
    build(column_site)
    out = column_site.root / "_site"
    guide = read(out, "guide/index.html")
    assert "自收到申请之日起15个工作日内予以答复" in guide
    assert "最长不超过15个工作日" in guide
    assert '<meta name="SiteIDCode" content="9999000001">' in read(out, item_page(1))


def test_two_clean_builds_of_a_realistic_site_are_byte_identical(tmp_path: Path) -> None:
    """1,000 realistic items (benchmarks/corpus.py), built twice from scratch, on two cores and
    with the search index: every file is the same, Pagefind's bundles included (they were not,
    when Pagefind read its sources in the order a file system listed them)."""
    import shutil
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from corpus import generate

    site = generate(tmp_path / "site", 1000)
    digests = []
    for attempt in range(2):
        shutil.rmtree(site / ".gxgk", ignore_errors=True)  # no cache: a clean build each time
        out = tmp_path / f"out-{attempt}"
        result = run_gxgk("build", str(site), "--out", str(out), "--today", "2026-11-20",
                          "--jobs", "2")
        assert result.returncode == 0, result.stdout + result.stderr
        digests.append(tree_digest(out))
    assert any(name.startswith("pagefind-older/index/") for name in digests[0])
    assert digests[0] == digests[1]
