"""`gxgk check --changed-since REF` in a real Git repository: what a pull request changed.

Every rule runs over the whole site; only the findings about changed items, site-wide findings and
cross-item findings that involve a changed item are reported.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import CODE, SiteDir, git_env, run_gxgk

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

TODAY = "2025-12-31"


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, env=git_env(), check=True, capture_output=True,
                          text=True)
    return done.stdout


def commit_all(root: Path, message: str = "update") -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def check(site_dir: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return run_gxgk("check", str(site_dir), "--today", TODAY, *args, cwd=cwd)


def reported(result: subprocess.CompletedProcess) -> list[tuple[str, str]]:
    """(path, rule) of each finding printed as text."""
    pairs = []
    for line in result.stdout.splitlines()[:-1]:
        place, _, rest = line.partition(": ")
        pairs.append((place.split(":")[0], rest.split("[", 1)[1].split("]", 1)[0]))
    return sorted(pairs)


@pytest.fixture
def repo(site: SiteDir) -> SiteDir:
    """main: a clean item `a`, and `old` with an error nobody fixed yet (no 终审); then a branch."""
    git(site.root, "init", "-q", "-b", "main")
    site.item("a")
    site.item("old", index_no=f"{CODE}/2025-00002",
              reviewers={"first": {"name": "王一", "date": dt.date(2025, 3, 4)},
                         "second": {"name": "李二", "date": dt.date(2025, 3, 5)}})
    commit_all(site.root, "main")
    git(site.root, "checkout", "-q", "-b", "feature")
    return site


def test_only_the_changed_item_is_reported_not_an_old_error(repo: SiteDir) -> None:
    assert reported(check(repo.root)) == [("content/old.md", "signoff")]
    repo.item("new", index_no=f"{CODE}/2025-00003", secrecy_review=None)
    commit_all(repo.root, "new item without secrecy review")
    result = check(repo.root, "--changed-since", "main")
    assert result.returncode == 1, result.stdout + result.stderr
    assert reported(result) == [("content/new.md", "secrecy-review")]
    assert result.stdout.splitlines()[-1] == (
        f"checked 3 item(s) on {TODAY}, reporting the 1 changed since main and site-wide "
        "findings: 1 error(s), 0 warning(s)")


def test_a_clean_change_passes_despite_old_errors_elsewhere(repo: SiteDir) -> None:
    repo.item("a", body="改过的正文。\n")
    commit_all(repo.root)
    result = check(repo.root, "--changed-since", "main")
    assert result.returncode == 0, result.stdout
    assert reported(result) == []
    assert "reporting the 1 changed since main" in result.stdout


def test_a_duplicate_index_number_with_an_unchanged_item_is_reported_on_both(
        repo: SiteDir) -> None:
    repo.item("copy", title="关于印发工作要点的通知", index_no=f"{CODE}/2025-00001")  # a's number
    commit_all(repo.root)
    result = check(repo.root, "--changed-since", "main")
    assert result.returncode == 1
    assert reported(result) == [("content/a.md", "index-number"),
                                ("content/copy.md", "index-number")]


def test_a_renamed_item_counts_under_its_new_path_and_broken_links_to_it_are_reported(
        repo: SiteDir) -> None:
    repo.item("a", body="见[旧文件](old.md)。\n")
    commit_all(repo.root, "a links old")
    git(repo.root, "branch", "-f", "main")  # main now has the link
    git(repo.root, "mv", "content/old.md", "content/renamed.md")
    commit_all(repo.root, "rename")
    result = check(repo.root, "--changed-since", "main")
    assert reported(result) == [("content/a.md", "link"), ("content/renamed.md", "signoff")]
    assert "content/old.md, which does not exist" in result.stdout
    assert "reporting the 1 changed since main" in result.stdout


def test_an_untracked_new_item_is_changed(repo: SiteDir) -> None:
    repo.item("draft-new", index_no=f"{CODE}/2025-00004", summary=None)  # never added to git
    result = check(repo.root, "--changed-since", "main")
    assert reported(result) == [("content/draft-new.md", "front-matter")]


def test_uncommitted_edits_staged_or_not_are_changed(repo: SiteDir) -> None:
    repo.item("a", secrecy_review=None)  # unstaged
    assert reported(check(repo.root, "--changed-since", "HEAD")) == [
        ("content/a.md", "secrecy-review")]
    git(repo.root, "add", "content/a.md")  # staged
    assert reported(check(repo.root, "--changed-since", "HEAD")) == [
        ("content/a.md", "secrecy-review")]


def test_an_interprets_broken_by_a_new_index_number_on_the_policy_is_reported(
        repo: SiteDir) -> None:
    repo.item("jd", title="解读", kind="政策解读", index_no=f"{CODE}/2025-00005",
              interprets=f"{CODE}/2025-00001")
    commit_all(repo.root, "interpretation of a")
    git(repo.root, "branch", "-f", "main")
    repo.item("a", index_no=f"{CODE}/2025-00009")  # the PR renumbers the policy
    commit_all(repo.root)
    result = check(repo.root, "--changed-since", "main")
    assert reported(result) == [("content/jd.md", "link")]
    assert "no item has this index number" in result.stdout


def test_site_wide_findings_are_always_reported(repo: SiteDir) -> None:
    repo.write("data/requests/2025.yaml",
               "- {id: 2025-001, received: 2025-03-03, applicant: 自然人}\n")  # open, overdue
    commit_all(repo.root)
    git(repo.root, "branch", "-f", "main")
    result = check(repo.root, "--changed-since", "main")
    assert reported(result) == [("data/requests/2025.yaml", "request")]
    assert "reporting the 0 changed since main" in result.stdout


def test_json_and_github_formats_are_filtered_too(repo: SiteDir) -> None:
    repo.item("new", index_no=f"{CODE}/2025-00003", secrecy_review=None)
    document = json.loads(check(repo.root, "--changed-since", "main", "--format", "json").stdout)
    assert [(f["path"], f["rule"]) for f in document["findings"]] == [
        ("content/new.md", "secrecy-review")]
    assert document["summary"]["changed_since"] == {"ref": "main", "items": ["content/new.md"]}
    assert document["summary"]["errors"] == 1
    github = check(repo.root, "--changed-since", "main", "--format", "github",
                   cwd=repo.root).stdout.splitlines()
    assert github[0].startswith("::error file=content/new.md,")
    assert len(github) == 2 and "reporting the 1 changed since main" in github[1]


def test_a_site_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    repo_root = tmp_path / "repo"
    site = SiteDir(repo_root / "sites" / "rsj")
    site.root.mkdir(parents=True)
    site.write_config()
    site.item("a")
    (repo_root / "README.md").write_text("根目录说明\n", encoding="utf-8")
    git(repo_root, "init", "-q", "-b", "main")
    commit_all(repo_root, "main")
    site.item("b", index_no=f"{CODE}/2025-00002", secrecy_review=None)
    (repo_root / "README.md").write_text("改了\n", encoding="utf-8")  # outside the site
    result = check(site.root, "--changed-since", "main")
    assert reported(result) == [("content/b.md", "secrecy-review")]
    github = check(Path("sites/rsj"), "--changed-since", "main", "--format", "github",
                   cwd=repo_root)
    assert github.stdout.startswith("::error file=sites/rsj/content/b.md,")


def test_a_bad_ref_or_no_repository_cannot_run(repo: SiteDir, tmp_path: Path) -> None:
    result = check(repo.root, "--changed-since", "no-such-branch")
    assert result.returncode == 2
    assert "--changed-since no-such-branch: not a commit" in result.stderr
    assert result.stdout == ""
    plain = SiteDir(tmp_path / "plain")
    plain.root.mkdir()
    plain.write_config()
    result = check(plain.root, "--changed-since", "main")
    assert result.returncode == 2
    assert "is not in a Git repository" in result.stderr


def test_a_policy_change_that_makes_its_interpretation_late_is_reported(site: SiteDir) -> None:
    site.config["rules"] = {"windows": {"政策解读": {"days": 3, "from": "policy"}}}
    site.write_config()
    git(site.root, "init", "-q", "-b", "main")
    policy = f"{CODE}/2025-00010"
    site.item("policy", index_no=policy, formed=dt.date(2025, 9, 19),
              published=dt.date(2025, 9, 26))
    site.item("jd", index_no=f"{CODE}/2025-00011", kind="政策解读", interprets=policy,
              formed=dt.date(2025, 9, 19), published=dt.date(2025, 9, 30))
    commit_all(site.root, "main")
    git(site.root, "checkout", "-q", "-b", "feature")
    assert reported(check(site.root, "--changed-since", "main")) == []
    # the policy was in fact published on 09-22: its interpretation was due by 09-25
    site.item("policy", index_no=policy, formed=dt.date(2025, 9, 19),
              published=dt.date(2025, 9, 22))
    commit_all(site.root, "the policy's real publication date")
    result = check(site.root, "--changed-since", "main")
    assert reported(result) == [("content/jd.md", "window")]
    assert f"(3 working days after policy {policy} published 2025-09-22 (政策解读))" \
        in result.stdout


def test_a_changed_attachment_is_reported_on_the_unchanged_item_that_links_it(
        repo: SiteDir) -> None:
    repo.write("content/名单.txt", "公示名单\n李四 139****5678\n")
    repo.item("list", index_no=f"{CODE}/2025-00003", body="附件：[名单](名单.txt)\n")
    commit_all(repo.root, "a list")
    git(repo.root, "branch", "-f", "main")
    repo.write("content/名单.txt", "公示名单\n李四 13912345678\n")
    result = check(repo.root, "--changed-since", "main")
    assert result.returncode == 1, result.stdout + result.stderr
    assert reported(result) == [("content/list.md", "privacy")]
    assert "attachment content/名单.txt, line 2, contains a mobile number" in result.stdout
