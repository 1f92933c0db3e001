"""The pristine site every run starts from: the demo at the repository root, with secret markers.

Markers (``GXGKLEAK-…``, ASCII so that the Traditional mirror leaves them as they are) are
planted where nothing may ever be published: a comment of ``site.yaml``, the ledger, a comment of
the report data, ``.env``, the bodies of 依申请公开 items, the titles, summaries and bodies of
不予公开 items and of a draft, and an attachment only a 不予公开 item links. Files outside the
site (``outside/``, for symlinks) carry markers too. The base is checked (clean) and built once;
each run copies it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
TODAY = "2026-11-20"
LEAK = "GXGKLEAK"
CODE = "11990100MB0123456X"
PUBLIC = "主动公开"
ATTACHMENT = "content/qtwj/gxgkleak-attachment.txt"
DRAFT = "content/gzdt/gxgk-fuzz-draft.md"
GUIDE = "content/guide.md"
OUTPUT = "_site"
GIT_DATE = "2026-11-01T10:00:00+08:00"

GUIDE_TEXT = """\
# 补充说明

本机关政府信息公开工作机构的办公地址和时间以本指南为准。

- 申请表可在 [依申请公开](../apply/) 页面打印；
- 目录见 **政府信息公开目录**。

| 事项 | 时限 |
|---|---|
| 答复申请 | 15个工作日 |
"""


@dataclass(frozen=True)
class BaseSite:
    """A pristine site folder and what the harness knows about it."""

    root: Path
    secrets: dict[str, tuple[str, ...]]  # marker -> files whose edit may make it public
    public_items: tuple[str, ...]
    private_items: tuple[str, ...]
    git: bool
    output_digest: dict[str, str] = field(default_factory=dict)  # of root/_site


def gxgk_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "gxgk_site", *args]


def clean_env() -> dict[str, str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("GXGK_DEBUG", None)
    env.pop("GXGK_TIMINGS", None)
    return env


def read_front_matter(path: Path) -> dict | None:
    """The front-matter of a well-formed item file, else None (the harness's own reading)."""
    try:
        text = path.read_text(encoding="utf-8")
        _, meta, _ = text.split("---\n", 2)
        data = yaml.safe_load(meta)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError):
        return None
    return data if isinstance(data, dict) else None


def item_files(root: Path) -> list[str]:
    """Item files as the README defines them, found without following symlinks."""
    found: list[str] = []
    for folder, dirs, files in os.walk(root / "content"):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        relative = Path(folder).relative_to(root).as_posix()
        for name in sorted(files):
            path = f"{relative}/{name}"
            full = os.path.join(folder, name)
            if (name.startswith((".", "_")) or not name.endswith(".md") or path == GUIDE
                    or os.path.islink(full) or not os.path.isfile(full)):
                continue
            found.append(path)
    return found


def _append_body(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"\n{text}\n")


def _replace_key(path: Path, key: str, value: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    for index, line in enumerate(lines):
        if line.startswith(f"{key}:"):
            lines[index] = f"{key}: {value}"
            path.write_text("\n".join(lines), encoding="utf-8")
            return
    raise AssertionError(f"no {key} in {path}")


def _plant_private(root: Path, relative: str, attribute: str,
                   secrets: dict[str, tuple[str, ...]]) -> None:
    """Markers in a non-public item: the body only for 依申请公开 (with list_on_request its
    title and metadata may be listed), title and body for 不予公开."""
    tag = hashlib.blake2b(relative.encode(), digest_size=4).hexdigest()
    path = root / relative
    body = f"{LEAK}-body-{tag}"
    _append_body(path, f"内部材料 {body}。")
    secrets[body] = (relative,)
    if attribute != "依申请公开":
        title = f"{LEAK}-title-{tag}"
        data = read_front_matter(path)
        assert data is not None
        _replace_key(path, "title", f"{data['title']} {title}")
        secrets[title] = (relative,)


def _draft_text() -> str:
    data = {
        "title": f"关于做好冬季用工服务的通知（征求意见稿）{LEAK}-draft-title",
        "attribute": PUBLIC, "category": "gzdt", "formed": dt.date(2026, 11, 18),
        "index_no": f"{CODE}/2026-00090", "summary": f"草稿概述 {LEAK}-draft-summary",
        "kind": "工作动态", "draft": True,
    }
    meta = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return f"---\n{meta}---\n\n草稿正文 {LEAK}-draft-body。\n"


def _plant_files(root: Path, secrets: dict[str, tuple[str, ...]]) -> None:
    with (root / "site.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f"# {LEAK}-siteyaml-comment: comments are never published\n")
    secrets[f"{LEAK}-siteyaml-comment"] = ("site.yaml",)
    ledger = root / "data/requests/2025.yaml"
    text = ledger.read_text(encoding="utf-8")
    ledger.write_text(text.replace("  name: 林某某\n",
                                   f"  name: 林某某\n  notes: {LEAK}-ledger-notes\n", 1),
                      encoding="utf-8")
    secrets[f"{LEAK}-ledger-notes"] = ()  # the ledger is never published, whatever it holds
    reports = root / "data/reports/2025.yaml"
    reports.write_text(f"# {LEAK}-reports-comment\n" + reports.read_text(encoding="utf-8"),
                       encoding="utf-8")
    secrets[f"{LEAK}-reports-comment"] = ("data/reports/2025.yaml",)
    (root / ".env").write_text(f"GXGK_DEPLOY_TOKEN={LEAK}-dotenv\n", encoding="utf-8")
    secrets[f"{LEAK}-dotenv"] = ()
    (root / DRAFT).write_text(_draft_text(), encoding="utf-8")
    for part in ("title", "summary", "body"):
        secrets[f"{LEAK}-draft-{part}"] = (DRAFT,)
    (root / GUIDE).write_text(GUIDE_TEXT, encoding="utf-8")


def _plant_attachment(root: Path, withheld: str, secrets: dict[str, tuple[str, ...]]) -> None:
    (root / ATTACHMENT).write_text(f"会议记录 {LEAK}-attachment\n", encoding="utf-8")
    target = os.path.relpath(root / ATTACHMENT, (root / withheld).parent)
    _append_body(root / withheld, f"[会议记录]({target})")
    secrets[f"{LEAK}-attachment"] = (withheld, ATTACHMENT)


def plant_secrets(root: Path) -> tuple[dict[str, tuple[str, ...]], list[str], list[str]]:
    """Plant every marker; return them with the public and the private items."""
    secrets: dict[str, tuple[str, ...]] = {}
    public, private = [], []
    for relative in item_files(root):
        data = read_front_matter(root / relative)
        assert data is not None, relative
        if data["attribute"] == PUBLIC and not data.get("draft"):
            public.append(relative)
        else:
            private.append(relative)
            _plant_private(root, relative, data["attribute"], secrets)
    withheld = next(p for p in private
                    if read_front_matter(root / p)["attribute"] == "不予公开")  # type: ignore[index]
    _plant_attachment(root, withheld, secrets)
    _plant_files(root, secrets)
    private.append(DRAFT)
    return secrets, public, sorted(private)


def make_outside(folder: Path) -> dict[str, tuple[str, ...]]:
    """Files outside the site (symlink targets), each with a marker; returns the markers."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "folder").mkdir(exist_ok=True)
    item = {"title": f"站外文件 {LEAK}-outside-item-title", "attribute": PUBLIC,
            "category": "gzdt", "formed": dt.date(2026, 11, 2),
            "published": dt.date(2026, 11, 3), "index_no": f"{CODE}/2026-00091",
            "summary": "站外", "kind": "工作动态",
            "reviewers": {tier: {"name": name, "date": dt.date(2026, 11, 3)}
                          for tier, name in (("first", "周晓岚"), ("second", "许文涛"),
                                             ("final", "高志明"))},
            "secrecy_review": {"name": "马俊杰", "date": dt.date(2026, 11, 3)}}
    meta = yaml.safe_dump(item, allow_unicode=True, sort_keys=False)
    (folder / "item.md").write_text(f"---\n{meta}---\n{LEAK}-outside-item-body\n",
                                    encoding="utf-8")
    other = meta.replace("2026-00091", "2026-00092").replace("outside-item", "outside-folder")
    (folder / "folder" / "item.md").write_text(f"---\n{other}---\n{LEAK}-outside-folder-body\n",
                                               encoding="utf-8")
    (folder / "secret.txt").write_text(f"password={LEAK}-outside-file\n", encoding="utf-8")
    return {marker: () for marker in (
        f"{LEAK}-outside-item-title", f"{LEAK}-outside-item-body",
        f"{LEAK}-outside-folder-title", f"{LEAK}-outside-folder-body", f"{LEAK}-outside-file")}


def _git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": GIT_DATE, "GIT_COMMITTER_DATE": GIT_DATE,
           "GIT_AUTHOR_NAME": "fuzz", "GIT_AUTHOR_EMAIL": "fuzz@example.invalid",
           "GIT_COMMITTER_NAME": "fuzz", "GIT_COMMITTER_EMAIL": "fuzz@example.invalid"}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(gxgk_command(*args, str(root), "--today", TODAY), env=clean_env(),
                          capture_output=True, text=True, check=False, timeout=120)


def tree_digest(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def _verify_and_build(root: Path) -> dict[str, str]:
    """The base must be clean; it is built once, so that builds start from a previous site."""
    check = _run(root, "check", "--format", "json")
    summary = json.loads(check.stdout or "{}").get("summary", {})
    if check.returncode != 0 or summary.get("errors") != 0:
        raise RuntimeError(f"the pristine fuzz site is not clean:\n{check.stdout}{check.stderr}")
    build = _run(root, "build", "--no-search")
    if build.returncode != 0:
        raise RuntimeError(f"the pristine fuzz site does not build:\n{build.stdout}{build.stderr}")
    return tree_digest(root / OUTPUT)


def prepare_base(root: Path, *, git: bool) -> BaseSite:
    """Copy the demo into ``root``, plant the markers, optionally commit it, check and build."""
    root.mkdir(parents=True)
    shutil.copy2(REPO / "site.yaml", root / "site.yaml")
    for folder in ("content", "data"):
        shutil.copytree(REPO / folder, root / folder)
    secrets, public, private = plant_secrets(root)
    if git:
        _git(root, "init", "-q", "-b", "main")
        (root / ".gitignore").write_text("_site/\n.gxgk/\n", encoding="utf-8")
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "-m", "pristine fuzz site")
    digest = _verify_and_build(root)
    return BaseSite(root=root, secrets=secrets, public_items=tuple(public),
                    private_items=tuple(private), git=git, output_digest=digest)
