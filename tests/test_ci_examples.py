"""The CI examples in examples/ci/ run the steps they describe.

The check and build steps are taken from the YAML files as written and run with bash in a real Git
repository holding a copy of the demo site, with the variables GitHub and GitLab would set; only
the install step is left out (gxgk is already installed: a `gxgk` on PATH runs this checkout).
"""

from __future__ import annotations

import http.server
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from conftest import TODAY, git_env

from gxgk_site.cache_store import Store
from gxgk_site.cli import cli

pytestmark = pytest.mark.skipif(shutil.which("git") is None or shutil.which("bash") is None,
                                reason="git and bash are needed")

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / "examples/ci/github-actions.yml"
GITLAB = ROOT / "examples/ci/gitlab-ci.yml"
MAIN_PUSH = "github.event_name == 'push' && github.ref == 'refs/heads/main'"
INSTALL = 'python -m pip install "$GXGK_PACKAGE"'
BROKEN_ITEM = """---
title: 关于做好2026年度就业见习工作的通知
attribute: 主动公开
category: jycy
formed: 2026-03-02
published: 2026-03-05
index_no: 11990100MB0123456X/2026-00901
summary: 就业见习工作安排。
---
正文。
"""


def github() -> dict[str, Any]:
    return yaml.safe_load(GITHUB.read_text(encoding="utf-8"))


def gitlab() -> dict[str, Any]:
    return yaml.safe_load(GITLAB.read_text(encoding="utf-8"))


def github_step(name: str, job: str = "site") -> dict[str, Any]:
    [step] = [s for s in github()["jobs"][job]["steps"] if s.get("name") == name]
    return step


def scripts() -> dict[str, list[str]]:
    """Every shell script of both files, by where it is."""
    found = {f"github {name} {s.get('name')}": [s["run"]]
             for name, job in github()["jobs"].items() for s in job["steps"] if "run" in s}
    lab = gitlab()
    found["gitlab before_script"] = lab["default"]["before_script"]
    found.update({f"gitlab {name}": job["script"] for name, job in lab.items()
                  if isinstance(job, dict) and "script" in job})
    return found


# --- running the steps -----------------------------------------------------------------------


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=git_env(), check=True, capture_output=True,
                          text=True).stdout


def demo_clone(tmp_path: Path) -> Path:
    """A clone (with origin/main) of a repository whose main holds a copy of the demo site."""
    upstream = tmp_path / "upstream"
    upstream.mkdir()
    shutil.copy2(ROOT / "site.yaml", upstream / "site.yaml")
    for folder in ("content", "data", "templates", "static"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, upstream / folder)
    (upstream / ".gitignore").write_text("_site/\n._site.lock\npublic/\n.public.lock\n.gxgk/\n",
                                         encoding="utf-8")
    git(upstream, "init", "-q", "-b", "main")
    git(upstream, "add", "-A")
    git(upstream, "commit", "-q", "-m", "demo")
    git(tmp_path, "clone", "-q", str(upstream), "work")
    return tmp_path / "work"


def run_step(script: str, repo: Path, tmp_path: Path,
             variables: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """One step's shell script, as the runner runs it (bash -e), with a local `gxgk`."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    shim = bin_dir / "gxgk"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m gxgk_site "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("GITHUB_", "CI_", "GXGK_"))}
    env.update(variables, GXGK_TODAY=TODAY, PATH=f"{bin_dir}{os.pathsep}{env['PATH']}",
               PYTHONPATH=f"{ROOT}{os.pathsep}{env.get('PYTHONPATH', '')}",
               PYTHONIOENCODING="utf-8", CI="true")
    return subprocess.run(["bash", "-e", "-c", script], cwd=repo, env=env,
                          capture_output=True, text=True, check=False)


def add_broken_item_on_a_branch(repo: Path) -> None:
    """A branch off main adding a 主动公开 item without sign-off or secrecy review."""
    git(repo, "checkout", "-q", "-b", "new-item")
    (repo / "content/jycy/jianxi.md").write_text(BROKEN_ITEM, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "new item")


def test_github_pull_request_check_annotates_the_broken_new_item(tmp_path: Path) -> None:
    repo = demo_clone(tmp_path)
    add_broken_item_on_a_branch(repo)
    result = run_step(github_step("Check")["run"], repo, tmp_path, {
        "GITHUB_EVENT_NAME": "pull_request", "GITHUB_BASE_REF": "main",
        "GITHUB_HEAD_REF": "new-item", "GITHUB_REF": "refs/pull/7/merge"})
    assert result.returncode == 1, result.stdout + result.stderr
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert annotations, result.stdout
    assert all(line.startswith("::error file=content/jycy/jianxi.md,") for line in annotations)
    assert {"title=signoff", "title=secrecy-review"} <= {
        re.search(r"title=[\w-]+", line).group() for line in annotations}
    assert "reporting the 1 changed since origin/main" in result.stdout


def test_github_pull_request_check_ignores_an_old_error_on_main(tmp_path: Path) -> None:
    repo = demo_clone(tmp_path)
    upstream = tmp_path / "upstream"
    old = sorted((upstream / "content/shbx").rglob("*.md"))[0]
    text = old.read_text(encoding="utf-8")
    assert "secrecy_review:" in text
    old.write_text(re.sub(r"(?m)^secrecy_review:.*\n(?:  .*\n)*", "", text), encoding="utf-8")
    git(upstream, "commit", "-q", "-am", "an error on main nobody fixed")
    git(repo, "pull", "-q", "--ff-only")
    git(repo, "checkout", "-q", "-b", "typo")
    edited = sorted((repo / "content/gzdt").rglob("*.md"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "typo")
    check = github_step("Check")["run"]
    pull_request = {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_BASE_REF": "main"}
    result = run_step(check, repo, tmp_path, pull_request)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not [line for line in result.stdout.splitlines() if line.startswith("::")]
    on_main = run_step(check, repo, tmp_path, {"GITHUB_EVENT_NAME": "push",
                                               "GITHUB_REF": "refs/heads/main"})
    assert on_main.returncode == 1  # the full check on main still sees it
    assert f"file={old.relative_to(upstream).as_posix()}," in on_main.stdout


def test_github_main_push_checks_and_builds_the_site(tmp_path: Path) -> None:
    repo = demo_clone(tmp_path)
    push = {"GITHUB_EVENT_NAME": "push", "GITHUB_REF": "refs/heads/main",
            "GITHUB_REF_NAME": "main"}
    check = run_step(github_step("Check")["run"], repo, tmp_path, push)
    assert check.returncode == 0, check.stdout + check.stderr
    build = run_step(github_step("Build")["run"], repo, tmp_path, push)
    assert build.returncode == 0, build.stdout + build.stderr
    uploaded = repo / github_step("Upload the site")["with"]["path"]
    assert (uploaded / "index.html").is_file()
    assert (uploaded / "pagefind").is_dir()


def test_gitlab_merge_request_check_reports_the_broken_new_item(tmp_path: Path) -> None:
    repo = demo_clone(tmp_path)
    add_broken_item_on_a_branch(repo)
    base = git(repo, "merge-base", "origin/main", "HEAD").strip()
    [script] = gitlab()["check"]["script"]
    result = run_step(script, repo, tmp_path, {
        "CI_PIPELINE_SOURCE": "merge_request_event", "CI_MERGE_REQUEST_DIFF_BASE_SHA": base,
        "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main", "CI_DEFAULT_BRANCH": "main",
        "CI_COMMIT_REF_NAME": "new-item"})
    assert result.returncode == 1, result.stdout + result.stderr
    findings = result.stdout.splitlines()[:-1]
    assert findings and all(line.startswith("content/jycy/jianxi.md:") for line in findings)
    assert "error[signoff]" in result.stdout
    assert f"reporting the 1 changed since {base}" in result.stdout


def test_gitlab_default_branch_builds_public(tmp_path: Path) -> None:
    repo = demo_clone(tmp_path)
    push = {"CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "main",
            "CI_DEFAULT_BRANCH": "main"}
    [check] = gitlab()["check"]["script"]
    result = run_step(check, repo, tmp_path, push)
    assert result.returncode == 0, result.stdout + result.stderr
    for script in gitlab()["pages"]["script"]:
        result = run_step(script, repo, tmp_path, push)
        assert result.returncode == 0, result.stdout + result.stderr
    [published] = gitlab()["pages"]["artifacts"]["paths"]
    assert published == "public"
    assert (repo / "public/index.html").is_file()


@pytest.fixture
def link_server() -> Iterator[str]:
    """A web server on 127.0.0.1: /ok answers 200, anything else 404."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_HEAD(self) -> None:
            self.send_response(200 if self.path == "/ok" else 404)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_HEAD

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def link_an_item(repo: Path, url: str) -> tuple[str, int]:
    """Add an external link to a demo item on main; its file and line."""
    item = sorted((repo / "content/gzdt").rglob("*.md"))[0]
    text = item.read_text(encoding="utf-8")
    item.write_text(text + f"\n参见[有关页面]({url})。\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "a link")
    return item.relative_to(repo).as_posix(), text.count("\n") + 2


LOCAL = {"no_proxy": "127.0.0.1,localhost", "NO_PROXY": "127.0.0.1,localhost"}


def test_github_weekly_job_annotates_a_dead_external_link(tmp_path: Path,
                                                         link_server: str) -> None:
    repo = demo_clone(tmp_path)
    path, line = link_an_item(repo, f"{link_server}/moved-away")
    schedule = {"GITHUB_EVENT_NAME": "schedule", "GITHUB_REF": "refs/heads/main", **LOCAL}
    build = run_step(github_step("Build", "links")["run"], repo, tmp_path, schedule)
    assert build.returncode == 0, build.stdout + build.stderr
    result = run_step(github_step("Check links", "links")["run"], repo, tmp_path, schedule)
    assert result.returncode == 1, result.stdout + result.stderr
    [annotation] = [text for text in result.stdout.splitlines() if text.startswith("::")]
    assert annotation.startswith(f"::error file={path},line={line},title=external-link::link "
                                 f"'{link_server}/moved-away' on items/")
    assert "is dead: 404 Not Found" in annotation
    # what the cache step keeps: the answers, in the build cache
    assert Store.open(repo).read("links")


def test_gitlab_scheduled_links_job_passes_with_live_links(tmp_path: Path,
                                                          link_server: str) -> None:
    repo = demo_clone(tmp_path)
    link_an_item(repo, f"{link_server}/ok")
    schedule = {"CI_PIPELINE_SOURCE": "schedule", "CI_COMMIT_BRANCH": "main",
                "CI_DEFAULT_BRANCH": "main", **LOCAL}
    for script in gitlab()["links"]["script"]:
        result = run_step(script, repo, tmp_path, schedule)
        assert result.returncode == 0, result.stdout + result.stderr
    assert "2 external to 1 URL(s): 0 error(s), 0 warning(s)" in result.stdout
    assert gitlab()["links"]["cache"]["paths"] == [".gxgk/cache"]


# --- the files themselves --------------------------------------------------------------------


def gxgk_calls(script: str) -> list[list[str]]:
    """The arguments of every `gxgk` command in a shell script."""
    calls = []
    for line in script.splitlines():
        words = shlex.split(line, comments=True)
        if "gxgk" in words:
            calls.append(words[words.index("gxgk") + 1:])
    return calls


@pytest.mark.parametrize("where", sorted(scripts()))
def test_steps_use_only_real_gxgk_options(where: str) -> None:
    for script in scripts()[where]:
        for arguments in gxgk_calls(script):
            command = cli.commands.get(arguments[0])
            assert isinstance(command, click.Command), f"{where}: no command {arguments[0]!r}"
            options = {opt: param for param in command.params
                       if isinstance(param, click.Option) for opt in param.opts}
            for position, word in enumerate(arguments[1:], start=1):
                if not word.startswith("-"):
                    continue
                assert word in options, f"{where}: gxgk {arguments[0]} has no option {word}"
                choice = options[word].type
                if isinstance(choice, click.Choice):
                    assert arguments[position + 1] in choice.choices, (where, word)


def test_every_check_and_build_step_is_covered() -> None:
    commands = sorted(call[0] for bodies in scripts().values() for body in bodies
                      for call in gxgk_calls(body))
    assert commands == ["build"] * 4 + ["check"] * 4 + ["linkcheck"] * 2


def test_the_package_is_named_in_one_place_per_file() -> None:
    """Each GitHub job installs gxgk with the same line (jobs share nothing); GitLab once for
    all jobs; the package itself is named once per file (GXGK_PACKAGE)."""
    github_text, gitlab_text = (path.read_text(encoding="utf-8") for path in (GITHUB, GITLAB))
    assert github_text.count("pip install") == len(github()["jobs"]) - 1  # deploy installs none
    assert [s["run"] for job in github()["jobs"].values() for s in job["steps"]
            if s.get("name") == "Install gxgk"] == [INSTALL, INSTALL]
    assert gitlab_text.count("pip install") == 1
    assert gitlab()["default"]["before_script"] == [INSTALL]
    for text in (github_text, gitlab_text):
        assert text.count("gxgk-site @") == 1
    assert github()["env"]["GXGK_PACKAGE"] == gitlab()["variables"]["GXGK_PACKAGE"].replace(
        "gitlab.example.gov.cn/tools/gxgk-site.git", "github.com/YOUR-ORG/gxgk-site")


def evaluate_github(expression: str, context: dict[str, str]) -> bool:
    """The `a == 'b' && c != 'd'` expressions the workflow uses, on a context."""
    result = True
    for part in expression.split("&&"):
        match = re.fullmatch(r"\s*([\w.]+) (==|!=) '([^']*)'\s*", part)
        assert match, f"not an expression this test can read: {part!r}"
        result = result and (context[match[1]] == match[3]) is (match[2] == "==")
    return result


@pytest.mark.parametrize(("event", "ref", "publishes"), [
    ("push", "refs/heads/main", True),
    ("push", "refs/heads/feature", False),
    ("pull_request", "refs/pull/7/merge", False),
    ("schedule", "refs/heads/main", False),
])
def test_github_publishes_from_main_pushes_only(event: str, ref: str, publishes: bool) -> None:
    workflow = github()
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers == {"push": {"branches": ["main"]}, "pull_request": None,
                        "schedule": [{"cron": "30 1 * * 1"}]}  # Mondays
    context = {"github.event_name": event, "github.ref": ref}
    jobs = workflow["jobs"]
    # the check runs on every push and pull request; the link check weekly, on its own
    assert evaluate_github(jobs["site"]["if"], context) is (event != "schedule")
    assert evaluate_github(jobs["links"]["if"], context) is (event == "schedule")
    assert not any("if" in step for step in jobs["links"]["steps"])
    for step in jobs["site"]["steps"]:
        if step.get("name") in ("Restore the build cache", "Build", "Upload the site"):
            assert evaluate_github(step["if"], context) is publishes
        elif "if" in step:
            raise AssertionError(f"unexpected condition on {step}")
    assert evaluate_github(jobs["deploy"]["if"], context) is publishes
    assert jobs["deploy"]["needs"] == "site"
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert [s["uses"].split("@")[0] for s in jobs["deploy"]["steps"]] == [
        "actions/deploy-pages"]
    for job in ("site", "links"):
        assert jobs[job]["steps"][0]["with"]["fetch-depth"] == 0


def evaluate_gitlab(expression: str, variables: dict[str, str]) -> bool:
    """The `$A == $B` / `$A != "text"` rules the pipeline uses."""
    match = re.fullmatch(r'\$(\w+) (==|!=) (?:\$(\w+)|"([^"]*)")', expression)
    assert match, f"not a rule this test can read: {expression!r}"
    right = variables.get(match[3], "") if match[3] else match[4]
    return (variables.get(match[1], "") == right) is (match[2] == "==")


def gitlab_job_runs(rules: list[dict[str, str]], variables: dict[str, str]) -> bool:
    """GitLab's reading of a job's rules: the first that matches decides (when: never: no)."""
    for rule in rules:
        if evaluate_gitlab(rule["if"], variables):
            return rule.get("when", "on_success") != "never"
    return False


@pytest.mark.parametrize(("variables", "runs", "jobs"), [
    ({"CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "main", "CI_DEFAULT_BRANCH": "main"},
     True, {"check", "pages"}),
    ({"CI_PIPELINE_SOURCE": "merge_request_event", "CI_DEFAULT_BRANCH": "main"}, True,
     {"check"}),
    ({"CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "feature", "CI_DEFAULT_BRANCH": "main"},
     False, set()),
    ({"CI_PIPELINE_SOURCE": "schedule", "CI_COMMIT_BRANCH": "main", "CI_DEFAULT_BRANCH": "main"},
     True, {"links"}),
])
def test_gitlab_publishes_from_the_default_branch_only(variables: dict[str, str], runs: bool,
                                                       jobs: set[str]) -> None:
    pipeline = gitlab()
    assert pipeline["variables"]["GIT_DEPTH"] == "0"
    workflow_rules = [rule["if"] for rule in pipeline["workflow"]["rules"]]
    assert any(evaluate_gitlab(rule, variables) for rule in workflow_rules) is runs
    running = {name for name in ("check", "pages", "links")
               if runs and gitlab_job_runs(pipeline[name]["rules"], variables)}
    assert running == jobs
    assert pipeline["stages"].index(pipeline["pages"]["stage"]) > pipeline["stages"].index(
        pipeline["check"]["stage"])
