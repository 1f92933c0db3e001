"""Public search (Pagefind) on generated sites of 1,000 and 10,000 items.

Reports, per size: the time to write the search sources and build the index, the Pagefind
process's peak memory, the index size on disk, and the bytes a first query downloads in Chromium
(everything under the two Pagefind bundles and search/ fetched from opening the search page
with a query to the results being listed). Needs Debian's chromium and Playwright, as the tests do.

Each query also prints how many results the page listed and how many items contain it (the
representation's ``contains``): the two must be equal at every size.

Usage: python benchmarks/bench_search.py [--sizes 1000 10000] [--queries 社会保险 会 营商环境]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import http.server
import re
import resource
import shutil
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).parent))
from corpus import generate

from gxgk_site.loader import load_site
from gxgk_site.public_search.index import BUNDLES, SearchIndexer
from gxgk_site.public_search.representation import contains, plain_text
from gxgk_site.publish.public import PublicSite, public_site


def build_index(site_dir: Path, out: Path) -> tuple[float, float, float, PublicSite]:
    loaded = load_site(site_dir, dt.date(2026, 11, 20))
    assert loaded.site is not None
    public = public_site(loaded.site)
    out.mkdir(parents=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    indexer = SearchIndexer(public, out)
    written = time.perf_counter() - start
    indexer.finish()
    total = time.perf_counter() - start
    peak_kb = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return written, total, peak_kb / 1024, public


def first_query(out: Path, query: str) -> tuple[int, int]:
    """The bytes a first query downloads, and how many results the page listed."""
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    responses: list = []
    sizes: list[int] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            page = browser.new_page()
            page.on("response", lambda r: responses.append(r)  # both bundles
                    if "/pagefind" in r.url or r.url.endswith("t2s.json") else None)
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/search/?q={quote(query)}")
            page.wait_for_function("window.gxgkSearchDone !== undefined")
            page.evaluate("() => window.gxgkSearchDone")
            page.wait_for_load_state("networkidle")
            sizes = [len(response.body()) for response in responses]  # before closing
            status = page.inner_text("#search-status")  # "找到 N 条结果", or none found
            found = int(re.search(r"\d+", status)[0]) if re.search(r"\d", status) else 0
            browser.close()
    finally:
        server.shutdown()
    return sum(sizes), found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--queries", nargs="+", default=["社会保险", "会", "营商环境"])
    args = parser.parse_args()
    work = Path(__file__).resolve().parent / ".work"
    try:
        for size in args.sizes:
            site = generate(work / f"site-{size}", size)
            out = work / f"out-{size}"
            written, total, peak_mb, public = build_index(site, out)
            index_mb = sum(p.stat().st_size for bundle in BUNDLES
                           for p in (out / bundle).rglob("*") if p.is_file()) / 1e6
            # the search page itself comes from a normal build; copy it beside the index
            shutil.copytree(Path(__file__).resolve().parent.parent / "themes/default/static",
                            out / "static")
            from gxgk_site.publish.build import build_site

            build_site(site, work / f"page-{size}", dt.date(2026, 11, 20), search=False)
            shutil.copytree(work / f"page-{size}" / "search", out / "search",
                            dirs_exist_ok=True)
            print(f"public search: {size:>6} items  sources {written:5.1f} s  index total "
                  f"{total:5.1f} s  pagefind peak {peak_mb:6.0f} MB  index {index_mb:5.1f} MB")
            texts = [view.item.title + "\n" + plain_text(view.item.body) for view in public.items]
            for query in args.queries:
                downloaded, found = first_query(out, query)
                expected = sum(contains(text, query) for text in texts)
                print(f"    first query {query!r}: {downloaded / 1e3:4.0f} KB, {found} results "
                      f"({expected} items contain it)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
