"""`gxgk serve`: the real server in a child process, a real browser, real edits on disk.

An editor keeps a page open while editing its file: the page follows each save by itself, a file
broken mid-edit shows an overlay naming it (and never stops the server), fixing it brings the page
back. The reload script exists only in the server's responses, never in built files, and items
that are not public are never served.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from browser_support import launched_browser
from build_support import item_page
from conftest import CODE, SiteDir, front_matter, item_data, run_gxgk

from gxgk_site.serve.server import inject
from gxgk_site.serve.watch import relevant

TODAY = "2025-12-31"
WAIT_MS = 60_000  # the machine is slow and shared: generous, never a timing assertion
WAIT_S = WAIT_MS / 1000
CANARY = "CANARY-SERVE-ONREQUEST-5150"
ITEM = "content/shbx/a.md"
RELOAD_SCRIPT = "/__gxgk/reload.js"


def _make_site(root: Path) -> SiteDir:
    site = SiteDir(root)
    root.mkdir(parents=True)
    site.write_config()
    site.item("shbx/a", title="原来的标题")
    site.item("gzdt/b", title="另一条工作动态", category="gzdt", index_no=f"{CODE}/2025-00002")
    site.item("private/request", attribute="依申请公开", exempt_ground="不属于主动公开范围",
              index_no=f"{CODE}/2025-00003", title=f"依申请公开的件 {CANARY}",
              summary=f"{CANARY} 概述", body=f"{CANARY} 正文\n")
    return site


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _env() -> dict[str, str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1"}
    env.pop("GXGK_DEBUG", None)
    return env


@dataclass
class Server:
    site: SiteDir
    process: subprocess.Popen[str]
    port: int
    output: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def alive(self) -> bool:
        return self.process.poll() is None

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.base + path, timeout=WAIT_S) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def state(self) -> dict[str, Any]:
        status, body = self.get("__gxgk/state")
        assert status == 200
        return json.loads(body)

    def wait_for_state(self, what: str, test: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            assert self.alive(), f"gxgk serve died:\n{''.join(self.output)}"
            try:
                state = self.state()
            except (urllib.error.URLError, ConnectionError):
                state = None
            if state is not None and test(state):
                return state
            time.sleep(0.2)
        raise AssertionError(f"never saw {what}; output:\n{''.join(self.output)}")


def _start(site: SiteDir) -> Server:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gxgk_site", "serve", str(site.root), "--port", str(port),
         "--today", TODAY],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=_env())
    server = Server(site, process, port)

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            server.output.append(line)

    threading.Thread(target=read, daemon=True).start()
    server.wait_for_state("the first build", lambda s: s["generation"] >= 1)
    return server


def _stop(server: Server) -> int:
    if server.alive():
        server.process.send_signal(signal.SIGINT)
        try:
            return server.process.wait(timeout=WAIT_S)
        except subprocess.TimeoutExpired:
            server.process.kill()
    return server.process.wait()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Server]:
    server = _start(_make_site(tmp_path / "site"))
    try:
        yield server
    finally:
        _stop(server)
        if server.alive():
            server.process.kill()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launched_browser()


def _axe_violations(page: Any, selector: str) -> list[Any]:
    """axe-core (WCAG 2.1 A/AA, from axe-playwright-python) on one part of the page."""
    spec = importlib.util.find_spec("axe_playwright_python")
    assert spec is not None and spec.submodule_search_locations, "axe-playwright-python"
    axe = Path(next(iter(spec.submodule_search_locations))) / "axe.min.js"
    page.evaluate(axe.read_text("utf-8"))
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
               "resultTypes": ["violations"]}
    results = page.evaluate("([sel, opts]) => axe.run(sel, opts)", [selector, options])
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in results["violations"]]


def _write_item(site: SiteDir, title: str) -> None:
    site.write(ITEM, front_matter(item_data(title=title)))


def _h1_is(title: str) -> str:
    return (f"document.querySelector('main h1') !== null && "
            f"document.querySelector('main h1').textContent.trim() === {json.dumps(title)}")


OVERLAY_NAMES_ITEM = (f"document.getElementById('gxgk-overlay') !== null && "
                      f"document.getElementById('gxgk-overlay').textContent.includes('{ITEM}')")
NO_OVERLAY = "document.getElementById('gxgk-overlay') === null"


def test_open_page_follows_edits_and_shows_a_broken_file(served: Server, browser: Any) -> None:
    context = browser.new_context(locale="zh-CN")
    foreign: list[str] = []

    def block(route: Any) -> None:
        foreign.append(route.request.url)
        route.abort()

    context.route(lambda url: not url.startswith(served.base), block)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(served.base + item_page(1), wait_until="load")
        page.wait_for_function(_h1_is("原来的标题"), timeout=WAIT_MS)

        # A saved edit shows up in the open page by itself.
        _write_item(served.site, "改过的标题")
        page.wait_for_function(_h1_is("改过的标题"), timeout=WAIT_MS)
        assert served.alive()

        # Broken front-matter: the overlay names the file over the last good page.
        page.evaluate("window.gxgkSamePage = true")
        served.site.write(ITEM, "---\ntitle: [没有闭合\nattribute: 主动公开\n---\n正文。\n")
        page.wait_for_function(OVERLAY_NAMES_ITEM, timeout=WAIT_MS)
        overlay = page.locator("#gxgk-overlay")
        assert overlay.get_attribute("role") == "alert"
        [broken] = [f for f in served.site.check(TODAY).findings if f.path == ITEM]
        assert f"{ITEM}:{broken.line} {broken.message}" in overlay.inner_text()  # as gxgk check
        assert not _axe_violations(page, "#gxgk-overlay")
        assert page.evaluate("window.gxgkSamePage === true")  # not reloaded into a 404
        assert page.locator("main h1").inner_text() == "改过的标题"
        assert served.alive()

        # Fixed: the overlay goes and the page shows the new content.
        _write_item(served.site, "修好后的标题")
        page.wait_for_function(_h1_is("修好后的标题"), timeout=WAIT_MS)
        page.wait_for_function(NO_OVERLAY, timeout=WAIT_MS)
        assert served.alive()

        # The overlay can be closed from the keyboard.
        served.site.write(ITEM, "---\ntitle: [没有闭合\n---\n")
        page.wait_for_function(OVERLAY_NAMES_ITEM, timeout=WAIT_MS)
        close = page.get_by_role("button", name="关闭 Close")
        close.focus()
        page.keyboard.press("Enter")
        page.wait_for_function(NO_OVERLAY, timeout=WAIT_MS)
        assert served.alive()
    finally:
        context.close()
    assert not foreign, f"requests to other hosts: {foreign}"
    assert not errors, f"script errors: {errors}"
    log = "".join(served.output)
    assert f"http://127.0.0.1:{served.port}/" in log
    assert f"{ITEM} changed:" in log and "1 item(s) held back" in log
    assert f"{ITEM}:{broken.line}: error[front-matter] {broken.message}" in log


def test_a_broken_site_yaml_keeps_the_last_good_build(served: Server) -> None:
    before = served.state()["generation"]
    config = served.site.root / "site.yaml"
    good = config.read_text(encoding="utf-8")
    config.write_text(good + "site: [\n", encoding="utf-8")
    state = served.wait_for_state("the site.yaml error",
                                  lambda s: any(f["path"] == "site.yaml" for f in s["findings"]))
    assert state["generation"] == before
    status, body = served.get(item_page(1))
    assert status == 200 and "原来的标题" in body.decode()
    config.write_text(good, encoding="utf-8")
    state = served.wait_for_state("a good build again",
                                  lambda s: s["generation"] > before and not s["findings"])
    assert served.alive()
    assert "still serving the last good build" in "".join(served.output)


def test_a_template_error_names_the_template_and_keeps_the_last_good_build(
        served: Server) -> None:
    before = served.state()["generation"]
    template = served.site.write("templates/item.html", "<p>\n{% if %}\n</p>\n")
    state = served.wait_for_state("the template error", lambda s: bool(s["findings"]))
    [finding] = state["findings"]
    assert (finding["path"], finding["line"], finding["rule"]) == (
        "templates/item.html", 2, "template")
    assert state["generation"] == before
    status, body = served.get(item_page(1))
    assert status == 200 and "原来的标题" in body.decode()
    template.unlink()
    served.wait_for_state("a good build again",
                          lambda s: s["generation"] > before and not s["findings"])
    assert served.alive()


def test_the_reload_script_is_only_in_served_responses(served: Server, tmp_path: Path) -> None:
    status, body = served.get(item_page(1))
    assert status == 200 and RELOAD_SCRIPT in body.decode()
    status, body = served.get("catalog.json")
    assert status == 200 and b"__gxgk" not in body
    status, body = served.get(RELOAD_SCRIPT.lstrip("/"))
    assert status == 200 and b"EventSource" in body

    preview = served.site.root / ".gxgk" / "serve"
    files = [p for p in preview.rglob("*") if p.is_file()]
    assert any(p.suffix == ".html" for p in files)
    assert not [p for p in files if b"__gxgk" in p.read_bytes()]

    built = run_gxgk("build", str(served.site.root), "--out", str(tmp_path / "out"),
                     "--today", TODAY, "--no-search")
    assert built.returncode == 0, built.stdout + built.stderr
    assert not [p for p in (tmp_path / "out").rglob("*")
                if p.is_file() and b"__gxgk" in p.read_bytes()]
    assert not (served.site.root / "_site").exists()  # the preview never touches _site/


def test_the_site_is_also_served_under_its_base_path(served: Server) -> None:
    """The 404 page links from base_url's path (/xxgk/…), as on the real server."""
    status, root_page = served.get("guide/")
    assert status == 200
    status, under_base = served.get("xxgk/guide/")
    assert status == 200 and under_base == root_page
    status, missing = served.get("xxgk/no-such-page.html")
    assert status == 404
    for link in re.findall(rb'href="(/xxgk/[^"#]*)"', missing):
        assert served.get(link.decode()[1:])[0] == 200, link


def test_a_non_public_item_is_never_served(served: Server) -> None:
    preview = served.site.root / ".gxgk" / "serve"
    paths = sorted(p.relative_to(preview).as_posix() for p in preview.rglob("*")
                   if p.is_file() and not p.name.startswith("."))
    assert item_page(1) in paths
    served_bodies = [served.get(path) for path in [*paths, "", "__gxgk/state",
                                                   item_page(3), "zh-hant/" + item_page(3)]]
    assert any("原来的标题".encode() in body for _, body in served_bodies)
    assert not [body[:80] for _, body in served_bodies if CANARY.encode() in body]
    assert served.get(item_page(3))[0] == 404


def test_ctrl_c_stops_the_server_cleanly(served: Server) -> None:
    assert _stop(served) == 0
    log = "".join(served.output)
    assert "stopped" in log and "Traceback" not in log


def test_a_port_in_use_is_a_clear_exit_2(tmp_path: Path) -> None:
    site = _make_site(tmp_path / "site")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "gxgk_site", "serve", str(site.root), "--port", str(port)],
            capture_output=True, text=True, env=_env(), timeout=WAIT_S * 2, check=False)
    assert result.returncode == 2
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "--port" in result.stderr and "Traceback" not in result.stderr


def test_a_second_preview_of_the_same_site_is_a_clear_exit_2(served: Server) -> None:
    before = served.get("index.html")
    result = subprocess.run(
        [sys.executable, "-m", "gxgk_site", "serve", str(served.site.root), "--port",
         str(_free_port()), "--today", TODAY],
        capture_output=True, text=True, env=_env(), timeout=WAIT_S * 2, check=False)
    assert result.returncode == 2
    assert "another gxgk serve is previewing this site already" in result.stderr
    assert served.get("index.html") == before  # the first one's preview was left alone


def test_only_source_changes_count(tmp_path: Path) -> None:
    root = tmp_path.resolve()
    for path, expected in [("content/a.md", "content/a.md"), ("site.yaml", "site.yaml"),
                           ("templates/item.html", "templates/item.html"),
                           ("static/css/x.css", "static/css/x.css"), ("content", "content"),
                           ("content/.a.md.swp", None), ("content/a.md~", None),
                           ("content/.#a.md", None), ("content/4913", None),
                           ("content/gzdt/sedAb3xYz", None), ("content/.goutputstream-X1", None),
                           ("content/a.md___jb_tmp___", None), ("content/a.md.tmp", None),
                           ("content/gzdt/sediment.md", "content/gzdt/sediment.md"),
                           (".gxgk/serve/index.html", None), ("_site/index.html", None),
                           (".git/index", None), ("README.md", None), ("build.py", None)]:
        assert relevant(root, str(root / path)) == expected, path
    assert relevant(root, "/elsewhere/content/a.md") is None


def test_the_script_goes_before_the_last_closing_body_tag() -> None:
    tag = b"<script></script>"
    assert inject(b"<p>a</p></BODY>\n</html>", tag) == b"<p>a</p><script></script></BODY>\n</html>"
    assert inject(b"<pre>&lt;/body&gt;</pre></body>", tag).endswith(b"<script></script></body>")
    assert inject(b"<p>no body end</p>", tag) == b"<p>no body end</p><script></script>"
