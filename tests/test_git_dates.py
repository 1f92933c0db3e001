"""Publication dates from a real Git repository: first commit on the branch, renames kept."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SiteDir, findings_of, git_env, run_gxgk

from gxgk_site.gitdates import read_history
from gxgk_site.loader import load_site
from gxgk_site.model import PublicationSource

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(root: Path, *args: str, day: str | None = None) -> None:
    env = git_env(day) if day else git_env()
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def commit_all(root: Path, day: str, message: str = "update") -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, day=day)


@pytest.fixture
def repo(site: SiteDir) -> SiteDir:
    git(site.root, "init", "-q", "-b", "main")
    return site


def publications(site: SiteDir, today: str = "2025-12-31") -> dict[str, tuple]:
    loaded = load_site(site.root, dt.date.fromisoformat(today))
    assert loaded.site is not None
    return {item.path: (item.publication.date.isoformat(), item.publication.source)
            for item in loaded.site.items}


def test_first_commit_date_is_the_publication_date(repo: SiteDir) -> None:
    repo.item("a", published=None)  # formed 2025-03-03, deadline 2025-03-31
    commit_all(repo.root, "2025-03-20")
    repo.item("a", published=None, body="修改后的正文。\n")
    commit_all(repo.root, "2025-05-06")
    assert publications(repo) == {"content/a.md": ("2025-03-20", PublicationSource.GIT)}
    assert findings_of(repo.check(), "window") == []


def test_a_late_first_commit_is_a_late_publication(repo: SiteDir) -> None:
    repo.item("a", published=None)
    commit_all(repo.root, "2025-04-01")
    [finding] = findings_of(repo.check(), "window")
    assert "published 2025-04-01 (Git)" in finding.message
    assert "deadline 2025-03-31" in finding.message


def test_a_rename_keeps_the_original_date(repo: SiteDir) -> None:
    repo.item("old-name", published=None)
    commit_all(repo.root, "2025-03-20")
    git(repo.root, "mv", "content/old-name.md", "content/新名称.md")
    commit_all(repo.root, "2025-08-01", "rename")
    assert publications(repo) == {"content/新名称.md": ("2025-03-20", PublicationSource.GIT)}


def test_uncommitted_items_are_pending(repo: SiteDir) -> None:
    repo.item("a", published=None)
    commit_all(repo.root, "2025-03-20")
    repo.item("b", published=None, index_no="11990100MB0123456X/2025-00002")
    assert publications(repo)["content/b.md"] == ("2025-12-31", PublicationSource.PENDING)


def test_front_matter_date_wins_over_git(repo: SiteDir) -> None:
    repo.item("a")  # published: 2025-03-10
    commit_all(repo.root, "2025-06-01")
    assert publications(repo) == {"content/a.md": ("2025-03-10", PublicationSource.FRONT_MATTER)}


def test_a_file_from_a_merged_branch_is_published_at_the_merge(repo: SiteDir) -> None:
    repo.item("a", published=None)
    commit_all(repo.root, "2025-03-05")
    git(repo.root, "checkout", "-q", "-b", "feature")
    repo.item("b", published=None, index_no="11990100MB0123456X/2025-00002")
    commit_all(repo.root, "2025-03-06")
    git(repo.root, "checkout", "-q", "main")
    git(repo.root, "merge", "-q", "--no-ff", "feature", "-m", "merge", day="2025-03-12")
    assert publications(repo)["content/b.md"] == ("2025-03-12", PublicationSource.GIT)


def test_a_change_is_published_by_the_first_commit_after_it(repo: SiteDir) -> None:
    repo.item("a", published=None)
    commit_all(repo.root, "2025-03-20")
    # changed 2025-06-03 (deadline 2025-07-01); the changed version is committed 2025-07-02
    repo.item("a", published=None, changed=dt.date(2025, 6, 3))
    commit_all(repo.root, "2025-07-02")
    [finding] = findings_of(repo.check(), "window")
    assert "published 2025-07-02 (Git)" in finding.message


def test_the_site_may_be_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    site = SiteDir(root / "sites" / "rsj")
    site.root.mkdir(parents=True)
    site.write_config()
    git(root, "init", "-q", "-b", "main")
    site.item("a", published=None)
    commit_all(root, "2025-03-21")
    assert publications(site) == {"content/a.md": ("2025-03-21", PublicationSource.GIT)}


def test_outside_a_repository_there_is_no_history(site: SiteDir) -> None:
    assert read_history(site.root).in_repo is False
    site.item("a", published=None)
    assert publications(site)["content/a.md"][1] is PublicationSource.PENDING


def test_a_draft_is_published_by_the_commit_that_ends_the_draft(repo: SiteDir) -> None:
    """gxgk new writes drafts; committing one is not publishing it."""
    repo.item("a", published=None, draft=True)  # formed 2025-03-03, deadline 2025-03-31
    commit_all(repo.root, "2025-03-05")
    repo.item("a", published=None, draft=True, body="补充内容。\n")
    commit_all(repo.root, "2025-03-20")
    assert publications(repo)["content/a.md"][1] is PublicationSource.PENDING
    repo.item("a", published=None, body="补充内容。\n")  # the draft line removed
    commit_all(repo.root, "2025-04-02")
    assert publications(repo) == {"content/a.md": ("2025-04-02", PublicationSource.GIT)}
    [finding] = findings_of(repo.check(), "window")  # late: it went public on 2 April
    assert "published 2025-04-02 (Git)" in finding.message


def test_a_renamed_draft_stays_a_draft_until_published(repo: SiteDir) -> None:
    repo.item("old", published=None, draft=True)
    commit_all(repo.root, "2025-03-05")
    git(repo.root, "mv", "content/old.md", "content/new.md")
    commit_all(repo.root, "2025-03-10", "rename")
    assert publications(repo)["content/new.md"][1] is PublicationSource.PENDING
    text = (repo.root / "content/new.md").read_text(encoding="utf-8")
    (repo.root / "content/new.md").write_text(text.replace("draft: true", "draft: false"),
                                              encoding="utf-8")
    commit_all(repo.root, "2025-03-12")
    assert publications(repo) == {"content/new.md": ("2025-03-12", PublicationSource.GIT)}


def test_git_is_asked_twice_whatever_the_number_of_items(repo: SiteDir, tmp_path: Path) -> None:
    for n in range(1, 31):
        repo.item(f"item{n}", published=None, index_no=f"11990100MB0123456X/2025-{n:05d}")
    commit_all(repo.root, "2025-03-20")
    # a real git behind a logging wrapper, first on PATH
    shim = tmp_path / "bin"
    shim.mkdir()
    log = tmp_path / "calls.log"
    real_git = shutil.which("git")
    (shim / "git").write_text(f'#!/bin/sh\necho "$@" >> {log}\nexec {real_git} "$@"\n')
    (shim / "git").chmod(0o755)
    result = subprocess.run(
        [sys.executable, "-m", "gxgk_site", "check", str(repo.root), "--today", "2025-12-31"],
        env={**os.environ, "PATH": f"{shim}:{os.environ['PATH']}"},
        capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    calls = log.read_text().splitlines()
    # one pass for the files' commits, one for the commits that change a draft line
    assert sum(" log " in f" {call} " for call in calls) == 2
    assert len(calls) <= 3


def test_shallow_clone_is_warned_about(repo: SiteDir, tmp_path: Path) -> None:
    repo.item("a", published=None)
    commit_all(repo.root, "2025-03-20")
    repo.item("a", published=None, body="改\n")
    commit_all(repo.root, "2025-03-21")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)],
                   check=True, capture_output=True)
    result = run_gxgk("check", str(clone), "--today", "2025-12-31")
    assert "shallow" in result.stdout


def test_commit_dates_are_beijing_dates(repo: SiteDir) -> None:
    # 2025-03-20 20:30 in UTC is already 2025-03-21 in Beijing
    repo.item("a", published=None)
    git(repo.root, "add", "-A")
    env_day = "2025-03-20T20:30:00+00:00"
    subprocess.run(["git", "commit", "-q", "-m", "late evening in UTC"], cwd=repo.root,
                   check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "编辑", "GIT_AUTHOR_EMAIL": "e@x.cn",
                        "GIT_COMMITTER_NAME": "编辑", "GIT_COMMITTER_EMAIL": "e@x.cn",
                        "GIT_AUTHOR_DATE": env_day, "GIT_COMMITTER_DATE": env_day})
    assert publications(repo) == {"content/a.md": ("2025-03-21", PublicationSource.GIT)}
