"""Public search in a real browser: exact for Chinese, on both scripts, filtered, and blind to
everything that is not public.

A fixture site is built with the Pagefind index, served on 127.0.0.1 and searched through the
search page in Debian's Chromium (Playwright). Every query's results are compared with the items
whose title or text contains the query, worked out in Python.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from browser_support import launched_browser
from build_support import build, tree_digest
from conftest import CODE, SiteDir

from gxgk_site.public_search.representation import (
    SEPARATOR,
    contains,
    filter_token,
    plain_text,
)
from gxgk_site.render.traditional import to_traditional

D = dt.date

TEXTS = {  # name: (title, body, category, year)
    "p1": ("关于调整社会保险费缴费基数的通知",
           "社会保险费缴费基数调整办法。城乡居民养老保险同步调整。", "shbx", 2025),
    "p2": ("社会组织登记工作动态", "社会组织与保险公司开展合作，优化营商环境。", "gzdt", 2025),
    "p3": ("会议通知", "社会，会保持稳定运行。本次会议讨论营商环境。", "gzdt", 2024),
    "p4": ("城乡居民养老保险缴费档次", "城乡居民养老保险缴费档次，咨询电话12333，分为12档。",
           "shbx", 2024),
    "p5": ("优化营商环境若干措施", "进一步优化营商环境，降低社会保险费率。", "gfxwj", 2025),
    "p6": ("就业补贴发放公示", "2025年度就业补贴发放情况公示，涉及社会保险补贴。", "gzdt", 2025),
}
CANARY = "金丝雀机密事项"
ATTACHED = "稳岗返还名册甲乙丙"  # only in an attachment of p6 (no query of QUERIES matches it)

QUERIES = ["社会", "会保", "保险", "社会保险", "营商环境", "社会保险费", "城乡居民养老",
           "缴费基数调整", "会会", "会保持稳定", "险费", "补贴", "12333", "2025年度",
           "社会 补贴", "不存在的词语",
           # one unit: a character (also at the end of a run), a number, not part of a number
           "会", "险", "档", "12", "123", "2025"]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, SiteDir]]:
    site = SiteDir(tmp_path_factory.mktemp("search") / "site")
    site.root.mkdir()
    site.write_config()
    site.write("content/files/名册.csv", f"名称,备注\n{ATTACHED},无\n")
    site.write("content/files/机密.csv", f"名称\n{CANARY}附件\n")
    links = {"p6": "\n附件：[名册](files/名册.csv)", "p1": ""}
    for number, (name, (title, body, category, year)) in enumerate(TEXTS.items(), start=1):
        formed = D(year, 3, 3)
        site.item(name, title=title, body=body + links.get(name, "") + "\n", category=category,
                  formed=formed,
                  published=D(year, 3, 10), index_no=f"{CODE}/{year}-{number:05d}",
                  kind="规范性文件" if category == "gfxwj" else "工作动态",
                  validity="有效" if category == "gfxwj" else None,
                  reviewers={t: {"name": n, "date": formed} for t, n
                             in (("first", "王一"), ("second", "李二"), ("final", "赵三"))},
                  secrecy_review={"name": "钱四", "date": formed})
    site.item("secret", title=f"{CANARY}会议纪要",
              body=f"{CANARY}，社会保险。[附件](files/机密.csv)\n",
              attribute="不予公开", exempt_ground="过程性信息", index_no=f"{CODE}/2025-00090")
    site.item("request", title=f"{CANARY}依申请", body="社会保险\n", attribute="依申请公开",
              exempt_ground="不属于主动公开范围", index_no=f"{CODE}/2025-00091")
    site.item("draft", title=f"{CANARY}草稿", body="社会保险\n", draft=True,
              index_no=f"{CODE}/2025-00092")
    build(site, today="2025-12-31", search=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler,
                                directory=str(site.root / "_site"))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", site
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    yield from launched_browser()


def search(browser, base: str, query: str, prefix: str = "", **filters: str) -> list[str]:
    """The titles the search page lists for ``query`` (all fit on one page here)."""
    page = browser.new_page()
    try:
        tokens = {name: filter_token(name, value) for name, value in filters.items()}
        params = "&".join(f"{k}={quote(v)}" for k, v in {"q": query, **tokens}.items())
        page.goto(f"{base}{prefix}search/?{params}")
        page.wait_for_function("window.gxgkSearchDone !== undefined")
        page.evaluate("() => window.gxgkSearchDone")
        titles = page.locator("#search-results .result-title a").all_inner_texts()
        status = page.locator("#search-status").inner_text()
        if titles:
            assert str(len(titles)) in status
        return sorted(titles)
    finally:
        page.close()


def expected(query: str, traditional: bool = False) -> list[str]:
    found = []
    for title, body, _, _ in TEXTS.values():
        if contains(title + "\n" + plain_text(body), query):
            found.append(to_traditional(title) if traditional else title)
    return sorted(found)


@pytest.mark.parametrize("query", QUERIES)
def test_every_item_containing_the_query_and_no_other(browser, served, query: str) -> None:
    base, _ = served
    assert search(browser, base, query) == expected(query)


def test_ground_truth_is_plain_substring_for_chinese_queries() -> None:
    for query in ("社会保险", "会保", "会会", "营商环境", "城乡居民养老"):
        direct = sorted(title for title, body, _, _ in TEXTS.values() if query in title + body)
        assert expected(query) == direct, query


def test_words_apart_are_not_a_match(browser, served) -> None:
    base, _ = served
    titles = search(browser, base, "社会保险")
    assert "社会组织登记工作动态" not in titles  # has 社会 and 保险, apart
    assert "会议通知" not in search(browser, base, "会会")  # 社会，会保持: across punctuation


@pytest.mark.parametrize("query", ["社会保险", "营商环境", "城乡居民养老", "会保"])
def test_traditional_queries_on_the_mirror(browser, served, query: str) -> None:
    base, _ = served
    assert search(browser, base, to_traditional(query), prefix="zh-hant/") == \
        expected(query, traditional=True)


def test_filters_and_result_details(browser, served) -> None:
    base, _ = served
    assert search(browser, base, "社会保险", column="社会保险") == [
        "关于调整社会保险费缴费基数的通知"]
    assert search(browser, base, "营商环境", year="2024") == ["会议通知"]
    assert search(browser, base, "营商环境", kind="规范性文件", validity="有效") == \
        ["优化营商环境若干措施"]
    page = browser.new_page()
    page.goto(f"{base}search/?q={quote('缴费基数')}")
    page.wait_for_function("window.gxgkSearchDone !== undefined")
    page.evaluate("() => window.gxgkSearchDone")
    first = page.locator("#search-results li").first
    assert first.locator("mark").first.inner_text() == "缴费基数"
    assert "2025-03-10" in first.inner_text() and "社会保险" in first.inner_text()
    assert SEPARATOR not in first.inner_text()
    href = first.locator("a").get_attribute("href")
    assert href is not None and href.startswith("../items/")
    page.close()


def test_the_excerpt_marks_letters_and_digits_as_whole_runs(browser, served) -> None:
    base, _ = served
    page = browser.new_page()
    page.goto(f"{base}search/?q=12")
    page.wait_for_function("window.gxgkSearchDone !== undefined")
    page.evaluate("() => window.gxgkSearchDone")
    excerpt = page.locator("#search-results .result-excerpt").first.inner_html()
    assert "<mark>12</mark>档" in excerpt  # not the 12 of the hotline 12333 before it
    page.close()


def result_dates(browser, base: str, query: str, sort: str = "") -> list[str]:
    page = browser.new_page()
    try:
        page.goto(f"{base}search/?q={quote(query)}" + (f"&sort={sort}" if sort else ""))
        page.wait_for_function("window.gxgkSearchDone !== undefined")
        page.evaluate("() => window.gxgkSearchDone")
        return page.locator("#search-results li time").all_inner_texts()
    finally:
        page.close()


def test_results_are_newest_first_across_both_halves_of_the_index(browser, served) -> None:
    """The newer and the older half of the items are separate Pagefind bundles (half the memory
    to build), merged in the page: the list must still be newest first."""
    base, site = served
    assert (site.root / "_site" / "pagefind-older" / "pagefind-entry.json").is_file()
    dates = result_dates(browser, base, "营商环境")  # two 2025 items (newer half), one 2024
    assert dates == ["2025-03-10", "2025-03-10", "2024-03-10"]
    assert sorted(result_dates(browser, base, "营商环境", "relevance")) == sorted(dates)
    dates = result_dates(browser, base, "保险")  # in both halves, both years
    assert len(dates) >= 4 and dates == sorted(dates, reverse=True)


def test_an_attachments_text_finds_the_item_that_links_it(browser, served) -> None:
    base, _ = served
    assert search(browser, base, ATTACHED) == [TEXTS["p6"][0]]
    assert search(browser, base, "返还名册") == [TEXTS["p6"][0]]
    assert search(browser, base, to_traditional("返还名册"), prefix="zh-hant/") == [
        to_traditional(TEXTS["p6"][0])]
    assert search(browser, base, f"{CANARY}附件") == []  # a non-public item's attachment


def test_an_edited_attachment_is_searched_after_an_incremental_build(
        browser, served, tmp_path: Path) -> None:
    """Only the attachment changes: the incremental build indexes its new text, and its
    output (search index included) is that of a clean build."""
    _, site = served
    edited = SiteDir(tmp_path / "site", site.config)
    shutil.copytree(site.root, edited.root, ignore=shutil.ignore_patterns("_site", ".gxgk"))
    build(edited, today="2025-12-31", search=True)
    edited.write("content/files/名册.csv", "名称,备注\n就业见习基地名单,无\n")
    build(edited, today="2025-12-31", search=True)
    clean = SiteDir(tmp_path / "clean", site.config)  # no build cache, no previous output
    shutil.copytree(edited.root, clean.root, ignore=shutil.ignore_patterns("_site", ".gxgk"))
    build(clean, today="2025-12-31", search=True)
    assert tree_digest(edited.root / "_site") == tree_digest(clean.root / "_site")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler,
                                directory=str(edited.root / "_site"))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        assert search(browser, base, "就业见习基地") == [TEXTS["p6"][0]]
        assert search(browser, base, ATTACHED) == []
    finally:
        server.shutdown()
        server.server_close()


def test_nothing_non_public_is_found_or_indexed(browser, served) -> None:
    base, site = served
    assert search(browser, base, CANARY) == []
    assert search(browser, base, "依申请") == []
    needles = {CANARY, " ".join(CANARY), to_traditional(CANARY), "会议纪要", "草稿"}
    bundles = [site.root / "_site" / name for name in ("pagefind", "pagefind-older")]
    assert all(bundle.is_dir() for bundle in bundles)
    checked = 0
    for path in (path for bundle in bundles for path in bundle.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        try:
            data = gzip.decompress(data)
            checked += 1
        except OSError:
            pass
        text = data.decode("utf-8", errors="ignore")
        for needle in needles:
            assert needle not in text, f"{needle} in {path}"
    assert checked >= 5  # the index, fragment, filter and meta files were read decompressed


def test_a_build_with_the_index_is_byte_identical(served, tmp_path: Path) -> None:
    _, site = served
    build(site, out=tmp_path / "again", today="2025-12-31", search=True, jobs=2)
    assert tree_digest(tmp_path / "again") == tree_digest(site.root / "_site")
    assert (tmp_path / "again" / "pagefind" / "pagefind.js").is_file()
    assert not list((tmp_path / "again").glob(".search-sources-*"))  # scratch removed
