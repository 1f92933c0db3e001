"""Fixtures: real site folders in a temporary directory, and a way to run the real `gxgk`."""

from __future__ import annotations

import copy
import datetime as dt
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from gxgk_site.check import CheckResult, check_site

CODE = "11990100MB0123456X"
# The day the tests' commands run on, unless a test passes --today itself: no test depends on the
# day it runs (gxgk reads GXGK_TODAY as the default of --today).
TODAY = "2026-11-20"
os.environ["GXGK_TODAY"] = TODAY


def git_env(day: str = TODAY) -> dict[str, str]:
    """The environment for a git command: a fixed author, and commits dated ``day`` (Beijing
    time), so that publication dates read from the history never depend on the day tests run."""
    moment = f"{day}T10:00:00+08:00"
    return {**os.environ, "GIT_AUTHOR_NAME": "编辑", "GIT_AUTHOR_EMAIL": "e@example.gov.cn",
            "GIT_COMMITTER_NAME": "编辑", "GIT_COMMITTER_EMAIL": "e@example.gov.cn",
            "GIT_AUTHOR_DATE": moment, "GIT_COMMITTER_DATE": moment}

SITE_CONFIG: dict[str, Any] = {
    "agency": {
        "name": "测试市人力资源和社会保障局",
        "code": CODE,
        "address": "测试市人民路1号",
        "office_hours": "工作日 8:30-17:30",
        "phone": "0599-12345678",
        "fax": "0599-12345679",
        "email": "xxgk@example.gov.cn",
    },
    "site": {"title": "测试市人社局政府信息公开", "base_url": "https://example.gov.cn/xxgk/",
             "id_code": "9999000002"},
    # each column says why it may be empty, so that a test site is clean (no empty-column
    # warning) whichever columns its items are in
    "categories": [
        {"id": "gfxwj", "name": "规范性文件", "empty_note": "本栏目暂无规范性文件。"},
        {"id": "shbx", "name": "社会保险", "empty_note": "本栏目暂无信息。",
         "children": [{"id": "ylbx", "name": "养老保险", "empty_note": "本栏目暂无信息。"}]},
        {"id": "gzdt", "name": "工作动态", "empty_note": "本栏目暂无工作动态。"},
    ],
}


def item_data(**overrides: Any) -> dict[str, Any]:
    """A complete, valid 主动公开 item formed 2025-03-03 and published on time."""
    data: dict[str, Any] = {
        "title": "关于调整城乡居民基本养老保险缴费档次的通知",
        "attribute": "主动公开",
        "category": "shbx",
        "formed": dt.date(2025, 3, 3),
        "published": dt.date(2025, 3, 10),
        "index_no": f"{CODE}/2025-00001",
        "summary": "调整城乡居民基本养老保险缴费档次。",
        "reviewers": {
            "first": {"name": "王一", "date": dt.date(2025, 3, 4)},
            "second": {"name": "李二", "date": dt.date(2025, 3, 5)},
            "final": {"name": "赵三", "date": dt.date(2025, 3, 6)},
        },
        "secrecy_review": {"name": "钱四", "date": dt.date(2025, 3, 6)},
    }
    apply(data, overrides)
    return data


def apply(data: dict[str, Any], changes: dict[str, Any]) -> None:
    """Set each key of ``changes`` in ``data``; a value of None removes the key instead."""
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value


def front_matter(data: dict[str, Any], body: str = "正文。\n") -> str:
    meta = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)
    return f"---\n{meta}---\n{body}"


@dataclass
class SiteDir:
    root: Path
    config: dict[str, Any] = field(default_factory=lambda: copy.deepcopy(SITE_CONFIG))

    def write_config(self) -> None:
        (self.root / "site.yaml").write_text(
            yaml.safe_dump(self.config, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def write(self, relative: str, content: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    def item(self, name: str, body: str = "正文。\n", **overrides: Any) -> Path:
        return self.write(f"content/{name}.md", front_matter(item_data(**overrides), body))

    def check(self, today: str = "2025-12-31") -> CheckResult:
        return check_site(self.root, dt.date.fromisoformat(today))


@pytest.fixture
def site(tmp_path: Path) -> SiteDir:
    site = SiteDir(tmp_path / "site")
    site.root.mkdir()
    site.write_config()
    return site


def findings_of(result: CheckResult, rule: str | None = None,
                severity: str | None = None) -> list[Any]:
    return [f for f in result.findings
            if (rule is None or f.rule == rule) and (severity is None or f.severity == severity)]


def run_gxgk(*args: str, cwd: Path | None = None,
             timeout: float | None = None) -> subprocess.CompletedProcess[str]:
    """The real command line, in a child process, as editors and CI run it; ``timeout`` turns
    a hang into a failure (subprocess.TimeoutExpired) instead of a stalled test run."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("GXGK_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "gxgk_site", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False, timeout=timeout)


def line_in(path: Path, text: str, occurrence: int = 1) -> int:
    """The 1-based line of the ``occurrence``-th line of ``path`` that contains ``text``."""
    seen = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if text in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{text!r} not in {path}")
