"""The real browser the browser tests drive: Debian's chromium through Playwright for Python,
both installed by .ci/run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
INSTALL_HINT = ("install them as README's set-up says (and .ci/run does): the Debian package "
                "`chromium`, and `.venv/bin/pip install -e '.[test]'` (playwright, "
                "axe-playwright-python)")


def launched_browser() -> Iterator[Any]:
    """For a fixture: ``yield from launched_browser()``. A missing browser fails the test with
    what to install (never a skip: CI must run these)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(f"Playwright for Python is not installed: {INSTALL_HINT}")
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing (Debian package `chromium`): {INSTALL_HINT}")
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except Exception as exc:
        playwright.stop()
        pytest.fail(f"cannot start {CHROMIUM}: {exc}")
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()
