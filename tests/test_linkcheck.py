"""`gxgk linkcheck`: a built output's internal links and anchors (offline), and its external links
against a real HTTP server on 127.0.0.1 (never the outside network), run through the real CLI."""

from __future__ import annotations

import http.server
import json
import os
import threading
import time
from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from build_support import build, item_page
from conftest import CODE, SiteDir, line_in, run_gxgk

from gxgk_site.cache_store import Store
from gxgk_site.linkcheck.external import parse_age
from gxgk_site.linkcheck.html_links import LINKING, Link, read_page
from gxgk_site.linkcheck.run import PARALLEL_PAGES

ROOT = Path(__file__).resolve().parent.parent

SLOW_SECONDS = 1.5


class Server:
    """What the local server was asked: (method, host, path) of each request, and the most
    requests it was answering at once, per host."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, str]] = []
        self.lock = threading.Lock()
        self.busy: Counter[str] = Counter()
        self.most_busy: Counter[str] = Counter()
        self.most_overall = 0
        self.port = 0

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def asked(self, path: str) -> list[str]:
        return [method for method, _, asked in self.requests if asked == path]


def _handler(state: Server) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet
            pass

        def do_HEAD(self) -> None:
            self._answer()

        def do_GET(self) -> None:
            self._answer()

        def _answer(self) -> None:
            host = self.headers.get("Host", "").split(":")[0]
            with state.lock:
                state.requests.append((self.command, host, self.path))
                state.busy[host] += 1
                state.most_busy[host] = max(state.most_busy[host], state.busy[host])
                state.most_overall = max(state.most_overall, sum(state.busy.values()))
                seen = sum(1 for _, _, path in state.requests if path == self.path)
            try:
                status, location = self._work(seen)
            finally:  # done before the answer leaves: the client cannot be faster than this
                with state.lock:
                    state.busy[host] -= 1
            body = b"ok" if status == 200 else b"" if location else b"no"
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command == "GET":
                self.wfile.write(body)

        def _work(self, seen: int) -> tuple[int, str | None]:
            """The status of the answer (and where a redirect leads), after the work."""
            path = self.path
            if path.startswith("/wait"):
                time.sleep(0.3)
                return 200, None
            if path == "/slow":
                time.sleep(SLOW_SECONDS)
                return 200, None
            if path == "/moved":
                return 301, "/ok"
            return {"/ok": 200, "/gone": 404, "/forbidden": 403, "/always-503": 503,
                    "/no-head": 405 if self.command == "HEAD" else 200,
                    "/flaky": 503 if seen == 1 else 200}.get(path, 404), None

    return Handler


@pytest.fixture
def server() -> Iterator[Server]:
    state = Server()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def linkcheck(site: SiteDir, *args: str) -> tuple[int, str, str]:
    """The real `gxgk linkcheck`, never through a proxy (the server is local)."""
    saved = {key: os.environ.pop(key) for key in list(os.environ)
             if key.lower() in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")}
    try:
        result = run_gxgk("linkcheck", str(site.root), *args, timeout=120)
    finally:
        os.environ.update(saved)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stdout, result.stderr


def built(site: SiteDir, body: str, *others: tuple[str, str]) -> Path:
    """A site with item 'a' (its body given) and other items (name, body); built."""
    site.item("a", body=body)
    for serial, (name, other) in enumerate(others, start=2):
        site.item(name, body=other, index_no=f"{CODE}/2025-{serial:05d}", title=f"第{serial}号")
    build(site)
    return site.root / "_site"


# --- internal links and anchors (offline) ---------------------------------------------------


def test_a_clean_build_has_no_dead_link_in_either_script(site: SiteDir) -> None:
    built(site, "## Section A\n\n见[本节](#section-a)、[另一件](b.md#section-b)。\n",
          ("b", "## Section B\n\n正文。\n"))
    code, out, _ = linkcheck(site)
    assert code == 0, out
    assert out.splitlines()[-1].startswith("checked ")
    assert out.splitlines()[-1].endswith(": 0 error(s), 0 warning(s)")
    assert "0 external" in out


def test_a_missing_anchor_is_reported_on_the_items_line_for_both_scripts(
        site: SiteDir) -> None:
    body = "## Section A\n\n见[那一节](#section-x)。\n\n另见[另一件](b.md#nowhere)。\n"
    built(site, body, ("b", "## Section B\n\n正文。\n"))
    path = site.root / "content/a.md"
    code, out, _ = linkcheck(site)
    assert code == 1
    page, twin = item_page(1), "zh-hant/" + item_page(1)
    lines = out.splitlines()
    assert lines[0] == (
        f"content/a.md:{line_in(path, '#section-x')}: error[anchor] link '#section-x' on "
        f"{page} and {twin} leads to #section-x, but this page has no element with that id "
        "(did you mean #section-a?); link an anchor the page has, or drop the #anchor (in the "
        "item's text)")
    assert lines[1] == (
        f"content/a.md:{line_in(path, 'b.md#nowhere')}: error[anchor] link 'b.md#nowhere' on "
        f"{page} and {twin} leads to #nowhere, but {item_page(2)} has no element with that "
        "id; link an anchor the page has, or drop the #anchor (in the item's text)")
    assert lines[2].endswith(": 2 error(s), 0 warning(s)")


def test_links_into_the_site_by_path_or_full_url_are_checked_offline(site: SiteDir) -> None:
    body = ("[旧页面](/xxgk/items/old.html)\n\n"
            "[全址](https://example.gov.cn/xxgk/catalog/)\n\n"
            "[全址错](https://example.gov.cn/xxgk/nowhere/)\n")
    built(site, body)
    code, out, _ = linkcheck(site)
    path = site.root / "content/a.md"
    assert code == 1
    findings = [line for line in out.splitlines() if "error[" in line]
    assert findings == [
        f"content/a.md:{line_in(path, '旧页面')}: error[dead-link] link '/xxgk/items/old.html' "
        f"on {item_page(1)} and zh-hant/{item_page(1)} leads to items/old.html, which is not in "
        "the output; link a page or file that exists (in the item's text)",
        f"content/a.md:{line_in(path, '全址错')}: error[dead-link] link "
        f"'https://example.gov.cn/xxgk/nowhere/' on {item_page(1)} and zh-hant/{item_page(1)} "
        "leads to nowhere/index.html, which is not in the output; link a page or file that "
        "exists (in the item's text)"]


def test_a_file_missing_from_the_output_is_one_finding_on_the_first_page(
        site: SiteDir) -> None:
    out = built(site, "正文。\n")
    (out / "static/css/print.css").unlink()
    pages = sum(1 for _ in out.rglob("*.html"))
    code, text, _ = linkcheck(site)
    assert code == 1
    [finding] = [line for line in text.splitlines() if "error[" in line]
    html_line = next(number for number, line in enumerate(
        (out / "404.html").read_text(encoding="utf-8").splitlines(), start=1)
        if "print.css" in line)
    assert finding == (
        f"_site/404.html:{html_line}: error[dead-link] link '/xxgk/static/css/print.css' on "
        f"404.html (and {pages - 1} other page(s)) leads to static/css/print.css, which is not "
        "in the output; link a page or file that exists")


def test_formats_json_and_github(site: SiteDir) -> None:
    built(site, "[x](#nowhere)\n")
    code, out, _ = linkcheck(site, "--format", "json")
    document = json.loads(out)
    assert code == 1
    assert list(document) == ["version", "output", "summary", "findings"]
    assert document["summary"]["errors"] == 1 and document["summary"]["external_checked"] is False
    [finding] = document["findings"]
    assert (finding["rule"], finding["severity"], finding["path"], finding["line"]) == (
        "anchor", "error", "content/a.md", line_in(site.root / "content/a.md", "#nowhere"))
    code, out, _ = linkcheck(site, "--format", "github")
    assert out.splitlines()[0].startswith(
        f"::error file=content/a.md,line={finding['line']},title=anchor::link '#nowhere' on ")


def test_no_output_no_site_and_an_empty_output_cannot_run(site: SiteDir, tmp_path: Path) -> None:
    site.item("a")
    code, _, err = linkcheck(site)
    assert code == 2
    assert err == (f"gxgk linkcheck: there is no output in {site.root / '_site'}: build the "
                   "site first (gxgk build), or give the output folder with --out\n")
    (site.root / "empty").mkdir()
    code, _, err = linkcheck(site, "--out", str(site.root / "empty"))
    assert code == 2 and "holds no page" in err
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_gxgk("linkcheck", str(elsewhere))
    assert result.returncode == 2 and "no site.yaml" in result.stderr
    result = run_gxgk("linkcheck", str(site.root), "--max-age", "soon")
    assert result.returncode == 2 and "'soon' is not an age" in result.stderr


def test_another_output_folder_and_the_same_report_every_time(site: SiteDir,
                                                              tmp_path: Path) -> None:
    site.item("a", body="[x](#nowhere)\n")
    out = tmp_path / "public"
    build(site, out=out)
    first = linkcheck(site, "--out", str(out))
    assert first[0] == 1 and "content/a.md:" in first[1]
    assert linkcheck(site, "--out", str(out)) == first


# --- external links (a local server) --------------------------------------------------------


def external_site(site: SiteDir, server: Server) -> Path:
    paths = ["/ok", "/gone", "/moved", "/no-head", "/forbidden", "/flaky", "/always-503"]
    body = "\n\n".join(f"[{path}]({server.url(path)})" for path in paths) + "\n"
    return built(site, body)


def test_external_links_are_asked_only_with_external(site: SiteDir, server: Server) -> None:
    external_site(site, server)
    code, out, _ = linkcheck(site)
    assert code == 0 and server.requests == []
    assert "14 external (not checked: add --external)" in out  # 7 links in each script


def test_external_answers_head_then_get_redirects_and_retries(site: SiteDir,
                                                              server: Server) -> None:
    external_site(site, server)
    path = site.root / "content/a.md"
    code, out, _ = linkcheck(site, "--external", "--retries", "1", "--timeout", "5")
    assert code == 1
    findings = [line for line in out.splitlines() if "[external-link]" in line]
    pages = f"{item_page(1)} and zh-hant/{item_page(1)}"
    assert findings == [
        f"content/a.md:{line_in(path, '[/gone]')}: error[external-link] link "
        f"'{server.url('/gone')}' on {pages} is dead: 404 Not Found; update or remove it (an "
        "archived copy may do) (in the item's text)",
        f"content/a.md:{line_in(path, '[/forbidden]')}: warning[external-link] link "
        f"'{server.url('/forbidden')}' on {pages} could not be verified: 403 Forbidden; open "
        "it in a browser; if it works there, the site refuses checkers (in the item's text)",
        f"content/a.md:{line_in(path, '[/always-503]')}: error[external-link] link "
        f"'{server.url('/always-503')}' on {pages} is dead: 503 Service Unavailable (2 tries); "
        "update or remove it (an archived copy may do) (in the item's text)",
    ]
    assert out.splitlines()[-1].endswith("14 external to 7 URL(s): 2 error(s), 1 warning(s)")
    # each URL once, though both scripts link it; /moved's redirect to /ok with HEAD kept
    assert server.asked("/moved") == ["HEAD"] and server.asked("/ok") == ["HEAD", "HEAD"]
    assert server.asked("/no-head") == ["HEAD", "GET"]
    assert server.asked("/flaky") == ["HEAD", "GET"]  # a 503 to HEAD, then GET: 200
    assert server.asked("/always-503") == ["HEAD", "GET", "HEAD", "GET"]  # retried once
    assert server.asked("/gone") == ["HEAD", "GET"]  # a 404 is not retried


def test_a_timeout_is_a_warning_after_the_retries(site: SiteDir, server: Server) -> None:
    built(site, f"[慢]({server.url('/slow')})\n")
    started = time.monotonic()
    code, out, _ = linkcheck(site, "--external", "--timeout", "0.4", "--retries", "0")
    assert time.monotonic() - started < 30
    assert code == 0  # a warning only
    assert "warning[external-link]" in out
    assert "could not be verified: no answer within 0.4 s; open it in a browser" in out


def test_answers_are_cached_with_their_age(site: SiteDir, server: Server) -> None:
    external_site(site, server)
    linkcheck(site, "--external", "--retries", "0")
    store = Store.open(site.root)
    kept = {url: json.loads(text) for url, text in store.read("links").items()}
    # lasting answers only: there, or gone (404); not a 403 or a 503
    assert sorted(kept) == sorted(server.url(p) for p in ("/ok", "/gone", "/moved", "/no-head",
                                                          "/flaky"))
    assert kept[server.url("/gone")]["status"] == 404
    assert abs(kept[server.url("/ok")]["checked"] - time.time()) < 120
    server.requests.clear()
    code, out, _ = linkcheck(site, "--external", "--retries", "0")
    assert code == 1  # the 404, from the cache
    asked = {path for _, _, path in server.requests}
    assert asked == {"/forbidden", "/always-503"}  # the rest came from the cache
    assert "5 answer(s) from the cache" in out
    assert f"link '{server.url('/gone')}' on" in out  # a cached 404 is still reported
    kept[server.url("/ok")]["checked"] = 0  # 1970: older than any --max-age
    store.write("links", {server.url("/ok"): json.dumps(kept[server.url("/ok")])})
    server.requests.clear()
    linkcheck(site, "--external", "--retries", "0")
    assert "/ok" in {path for _, _, path in server.requests}
    server.requests.clear()
    linkcheck(site, "--external", "--retries", "0", "--max-age", "0")
    assert {path for _, _, path in server.requests} >= {"/ok", "/gone", "/moved"}


def test_requests_per_host_are_limited(site: SiteDir, server: Server) -> None:
    urls = [server.url(f"/wait{n}", host) for host in ("127.0.0.1", "localhost")
            for n in range(4)]
    built(site, "\n\n".join(f"[{n}]({url})" for n, url in enumerate(urls)) + "\n")
    code, _, _ = linkcheck(site, "--external", "--per-host", "1", "--max-age", "0")
    assert code == 0
    assert server.most_busy == Counter({"127.0.0.1": 1, "localhost": 1})
    assert server.most_overall == 2  # both hosts at once
    server.most_busy.clear()
    linkcheck(site, "--external", "--per-host", "3", "--max-age", "0")
    assert server.most_busy["127.0.0.1"] == 3


@pytest.mark.parametrize(("text", "seconds"), [("7d", 604800), ("12h", 43200), ("30m", 1800),
                                                ("2w", 1209600), ("0", 0), ("45s", 45)])
def test_max_age(text: str, seconds: float) -> None:
    assert parse_age(text) == seconds


# --- reading pages --------------------------------------------------------------------------


class _Reference(HTMLParser):
    """The standard library's HTML parser, as the reference the page scanner must agree with."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[Link] = []
        self.anchors: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.anchors.add(value)
            elif (tag, name) in LINKING:
                self.links.append(Link(self.getpos()[0], tag, value.strip()))

    handle_startendtag = handle_starttag


TRICKY = """<!DOCTYPE html>
<html><head><script src="a.js"></script>
<script>document.write('<a href="not-a-link.html">'); // <img src=x></script>
<style>a[href="nope.html"] { color: red }</style>
<!-- <a href="commented.html"> -->
<LINK REL=stylesheet HREF=style.css>
</head><body>
<A Name="top-anchor"></A><div id='x"y' title="a > b"><a href="p&amp;q.html?a=1&amp;b=2#frag"
   class="multi
line">t</a></div>
<img alt="" src = "img.png" /><form action="search/" method=get><input name="q"></form>
<a href="">empty</a><a>no href</a><p id=unquoted>text</p>
</body></html>
"""


def test_the_page_scanner_agrees_with_pythons_html_parser(tmp_path: Path) -> None:
    (tmp_path / "tricky.html").write_text(TRICKY, encoding="utf-8")
    pages = [("tricky.html", tmp_path)]
    demo = tmp_path / "demo"
    result = run_gxgk("build", str(ROOT), "--out", str(demo), "--today", "2026-11-21",
                      "--no-search")
    assert result.returncode == 0, result.stdout + result.stderr
    pages += [(path.relative_to(demo).as_posix(), demo) for path in sorted(demo.rglob("*.html"))]
    assert len(pages) > 100
    for relative, folder in pages:
        scanned = read_page(folder, relative)
        reference = _Reference()
        reference.feed((folder / relative).read_text(encoding="utf-8"))
        reference.close()
        assert (scanned.links, scanned.anchors) == (reference.links, reference.anchors), relative
    tricky = read_page(tmp_path, "tricky.html")
    assert [link.url for link in tricky.links] == ["a.js", "style.css", "p&q.html?a=1&b=2#frag",
                                                  "img.png", "search/", ""]
    assert tricky.anchors == {"top-anchor", 'x"y', "unquoted"}


def test_a_large_output_is_read_by_several_processes(site: SiteDir) -> None:
    for serial in range(1, 206):
        site.item(f"i{serial:03d}", index_no=f"{CODE}/2025-{serial:05d}", title=f"第{serial}号",
                  body="[x](#nowhere)\n" if serial == 150 else "正文。\n")
    build(site)
    assert sum(1 for _ in (site.root / "_site").rglob("*.html")) > PARALLEL_PAGES
    code, out, _ = linkcheck(site, "--jobs", "2")
    assert code == 1
    [finding] = [line for line in out.splitlines() if "error[" in line]
    assert finding.startswith(f"content/i150.md:{line_in(site.root / 'content/i150.md', '#no')}:")
