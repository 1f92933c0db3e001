"""Accessibility of the built demo site: axe-core (WCAG 2.1 A/AA) in headless Chromium.

The demo site is built into a temporary folder, served on 127.0.0.1 and opened in Debian's
Chromium through Playwright (Playwright's own browser download is never used). axe-core comes
from the `axe-playwright-python` package, which ships axe.min.js; we inject that file ourselves.
Every page is checked in the normal look, in 大字模式 (large font) and, for some, in 高对比度
(high contrast); keyboard basics, the print button and the print style are checked too.

Chromium and Playwright are installed by .ci/run: when they are missing these tests fail (they do
not skip), so a machine without them cannot pass silently.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from browser_support import CHROMIUM, INSTALL_HINT, launched_browser

REPO_ROOT = Path(__file__).resolve().parents[1]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
VIEWPORT = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
LABELS = {  # the 适老化 buttons' labels, per page language (the mirror is converted by OpenCC)
    "zh-Hans": {"large-font": "大字模式", "high-contrast": "高对比度"},
    "zh-Hant": {"large-font": "大字模式", "high-contrast": "高對比度"},
}

# ---- the site, built and served ----

@dataclass
class Served:
    base: str  # http://127.0.0.1:PORT/
    item: str  # the first item page, e.g. items/<index-no>.html


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    out = tmp_path_factory.mktemp("a11y") / "out"
    built = subprocess.run(
        [sys.executable, "-m", "gxgk_site", "build", str(REPO_ROOT), "--out", str(out),
         "--today", "2026-11-21"],
        capture_output=True, text=True, cwd=REPO_ROOT, check=False,
    )
    assert built.returncode == 0, f"build failed:\n{built.stdout}\n{built.stderr}"
    items = sorted(out.glob("items/*.html"))
    assert items, "the demo site has no item pages"
    item = items[0].relative_to(out).as_posix()

    handler = functools.partial(_QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(base=f"http://127.0.0.1:{server.server_address[1]}/", item=item)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# ---- the browser and axe ----

def _axe_script() -> str:
    spec = importlib.util.find_spec("axe_playwright_python")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail(f"axe-playwright-python (which ships axe.min.js) is not installed: "
                    f"{INSTALL_HINT}")
    return (Path(next(iter(spec.submodule_search_locations))) / "axe.min.js").read_text("utf-8")


@pytest.fixture(scope="module")
def axe_script() -> str:
    return _axe_script()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launched_browser()


class Tab:
    """One browser context and page; records foreign requests and script errors."""

    def __init__(self, browser: Any, site: Served, axe: str, viewport: dict[str, int]) -> None:
        self.site, self.axe = site, axe
        self.context = browser.new_context(viewport=viewport, locale="zh-CN")
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.not_found: list[str] = []
        self.context.route(lambda url: not url.startswith(site.base), self._block)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", self._console)
        self.page.on("response", lambda r: r.status >= 400 and self.not_found.append(r.url))

    def _console(self, message: Any) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(message.text)  # failed loads are in not_found, with their URL

    def _block(self, route: Any) -> None:
        self.foreign.append(route.request.url)
        route.abort()

    def open(self, path: str) -> None:
        response = self.page.goto(self.site.base + path, wait_until="load")
        if "search/?" in path:  # check the page with its results listed
            self.page.wait_for_function("window.gxgkSearchDone !== undefined")
            assert self.page.evaluate("() => window.gxgkSearchDone")
            assert self.page.locator("#search-results li").count() > 0
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"

    def html_classes(self) -> list[str]:
        return self.page.evaluate("() => Array.from(document.documentElement.classList)")

    def check_axe(self, label: str) -> None:
        if not self.page.evaluate("() => typeof window.axe === 'object'"):
            self.page.evaluate(self.axe)
        results = self.page.evaluate("opts => axe.run(document, opts)", AXE_OPTIONS)
        violations = results["violations"]
        assert not violations, f"axe ({label}, {self.page.url}):\n" + describe(violations)

    def check_clean(self) -> None:
        assert not self.foreign, f"requests to other hosts: {self.foreign}"
        assert not self.not_found, f"broken links to files: {self.not_found}"
        assert not self.errors, f"script errors: {self.errors}"

    def check_no_horizontal_overflow(self, label: str) -> None:
        overflow = self.page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{label}: the page scrolls sideways by {overflow}px"

    def close(self) -> None:
        self.context.close()


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}"
                     f" <{violation['helpUrl']}>")
        for node in violation["nodes"][:8]:
            target = " ".join(str(t) for t in node["target"])
            summary = " / ".join(line.strip() for line in
                                 node.get("failureSummary", "").splitlines()[1:] if line.strip())
            lines.append(f"    {target}: {summary}")
        if len(violation["nodes"]) > 8:
            lines.append(f"    ... and {len(violation['nodes']) - 8} more")
    return "\n".join(lines)


@pytest.fixture
def tab(browser: Any, site: Served, axe_script: str) -> Iterator[Tab]:
    opened = Tab(browser, site, axe_script, VIEWPORT)
    try:
        yield opened
    finally:
        opened.close()


def page_path(site: Served, name: str) -> str:
    paths = {
        "home": "", "catalog": "catalog/", "column": "columns/shbx/", "item": site.item,
        "guide": "guide/", "apply": "apply/", "report": "reports/2025/",
        "standard-catalog": "standard-catalog/",
        "search": "search/?q=%E7%A4%BE%E4%BC%9A%E4%BF%9D%E9%99%A9",  # 社会保险, with results
    }
    if name.startswith("hant-"):
        return "zh-hant/" + paths[name.removeprefix("hant-")]
    return paths[name]


PAGES = ["home", "catalog", "column", "item", "guide", "apply", "report", "search",
         "standard-catalog", "hant-home", "hant-item", "hant-report", "hant-search",
         "hant-standard-catalog"]


def turn_on(tab: Tab, mode: str) -> None:
    """Press a 适老化 button, check the class and aria-pressed, reload: the mode stays on."""
    button = tab.page.locator(f'button[data-toggle="{mode}"]')
    lang = tab.page.evaluate("() => document.documentElement.lang")
    assert button.inner_text().strip() == LABELS[lang][mode]
    assert button.get_attribute("aria-pressed") == "false"
    button.click()
    assert mode in tab.html_classes()
    assert button.get_attribute("aria-pressed") == "true"
    tab.page.reload(wait_until="load")
    assert mode in tab.html_classes(), f"{mode} did not survive a reload"
    assert tab.page.locator(f'button[data-toggle="{mode}"]').get_attribute("aria-pressed") == "true"


# ---- the tests ----

def test_browser_and_axe_are_installed() -> None:
    """CI installs them (.ci/run): a missing one is a failure, never a skip."""
    missing = []
    if importlib.util.find_spec("playwright") is None:
        missing.append("Playwright for Python (pip: playwright)")
    if importlib.util.find_spec("axe_playwright_python") is None:
        missing.append("axe-core (pip: axe-playwright-python)")
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (Debian package: chromium)")
    assert not missing, f"missing {', '.join(missing)}: {INSTALL_HINT}"


@pytest.mark.parametrize("name", PAGES)
def test_axe_normal(tab: Tab, site: Served, name: str) -> None:
    tab.open(page_path(site, name))
    tab.check_axe("normal")
    tab.check_no_horizontal_overflow(name)
    tab.check_clean()


@pytest.mark.parametrize("name", PAGES)
def test_axe_large_font(tab: Tab, site: Served, name: str) -> None:
    tab.open(page_path(site, name))
    size_before = tab.page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    turn_on(tab, "large-font")
    size_after = tab.page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    assert size_after >= 1.25 * size_before, (size_before, size_after)
    tab.check_axe("大字模式")
    tab.check_no_horizontal_overflow(f"{name} in 大字模式")
    tab.check_clean()


@pytest.mark.parametrize("name", ["item", "home", "hant-item"])
def test_axe_high_contrast(tab: Tab, site: Served, name: str) -> None:
    tab.open(page_path(site, name))
    turn_on(tab, "high-contrast")
    background = tab.page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(0, 0, 0)"
    tab.check_axe("高对比度")
    tab.check_clean()


def test_modes_together_on_a_phone(browser: Any, site: Served, axe_script: str) -> None:
    phone = Tab(browser, site, axe_script, PHONE)
    try:
        phone.open(site.item)
        turn_on(phone, "large-font")
        turn_on(phone, "high-contrast")
        for name in ("item", "home", "catalog"):
            phone.open(page_path(site, name))
            assert {"large-font", "high-contrast"} <= set(phone.html_classes())
            phone.check_no_horizontal_overflow(f"{name} on a phone in 大字模式")
        phone.check_axe("phone, 大字模式 + 高对比度")
        phone.check_clean()
    finally:
        phone.close()


def test_first_tab_is_the_skip_link_and_it_moves_focus_to_main(tab: Tab, site: Served) -> None:
    tab.open(site.item)
    tab.page.keyboard.press("Tab")
    focused = tab.page.evaluate(
        "() => { const a = document.activeElement; const r = a.getBoundingClientRect();"
        " return {cls: a.className, text: a.textContent.trim(), href: a.getAttribute('href'),"
        " top: r.top, height: r.height}; }")
    assert focused["cls"] == "skip-link", focused
    assert focused["text"] == "跳到主要内容" and focused["href"] == "#main"
    assert focused["top"] >= 0 and focused["height"] > 0, f"skip link not visible: {focused}"
    tab.page.keyboard.press("Enter")
    assert tab.page.evaluate("() => document.activeElement.id") == "main"
    tab.check_clean()


def test_buttons_work_from_the_keyboard(tab: Tab, site: Served) -> None:
    tab.context.add_init_script("window.__printed = 0; window.print = () => window.__printed++;")
    tab.open(site.item)
    large = tab.page.locator('button[data-toggle="large-font"]')
    large.focus()
    tab.page.keyboard.press("Space")
    assert "large-font" in tab.html_classes()
    tab.page.keyboard.press("Enter")
    assert "large-font" not in tab.html_classes()
    assert large.get_attribute("aria-pressed") == "false"
    tab.page.locator("button[data-print]").first.focus()
    tab.page.keyboard.press("Enter")
    assert tab.page.evaluate("() => window.__printed") == 1
    tab.check_clean()


def test_modes_work_without_local_storage(tab: Tab, site: Served) -> None:
    tab.context.add_init_script(
        "Object.defineProperty(window, 'localStorage', {get() {"
        " throw new DOMException('blocked', 'SecurityError'); }});")
    tab.open(site.item)
    tab.page.locator('button[data-toggle="high-contrast"]').click()
    assert "high-contrast" in tab.html_classes()
    tab.check_clean()  # no uncaught error from the blocked storage


def test_print_style_keeps_the_document_only(tab: Tab, site: Served) -> None:
    tab.open(site.item)
    tab.page.locator('button[data-toggle="high-contrast"]').click()
    tab.page.emulate_media(media="print")
    shown = tab.page.evaluate(
        "sels => Object.fromEntries(sels.map(s => [s, Array.from(document.querySelectorAll(s))"
        ".some(e => getComputedStyle(e).display !== 'none')]))",
        [".tools", ".search-box", ".main-nav", ".columns-nav", ".print-button", ".skip-link",
         "table.meta", ".item h1", ".body", ".qr-code"])
    hidden_expected = [".tools", ".search-box", ".main-nav", ".columns-nav", ".print-button",
                       ".skip-link"]
    assert not [s for s in hidden_expected if shown[s]], shown
    assert all(shown[s] for s in ("table.meta", ".item h1", ".body", ".qr-code")), shown
    colours = tab.page.evaluate(
        "() => [getComputedStyle(document.body).backgroundColor,"
        " getComputedStyle(document.querySelector('.item h1')).color]")
    assert colours == ["rgb(255, 255, 255)", "rgb(0, 0, 0)"], colours
