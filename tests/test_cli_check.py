"""`gxgk check` as editors and CI run it: formats, exit codes, the current directory."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

from conftest import SiteDir, line_in, run_gxgk


def test_clean_site_exits_0_with_a_summary(site: SiteDir) -> None:
    site.item("a")
    result = run_gxgk("check", str(site.root), "--today", "2025-12-31")
    assert result.returncode == 0
    assert result.stdout == "checked 1 item(s) on 2025-12-31: 0 error(s), 0 warning(s)\n"


def test_site_dir_defaults_to_the_current_directory(site: SiteDir) -> None:
    site.item("a", secrecy_review=None)
    result = run_gxgk("check", "--today", "2025-12-31", cwd=site.root)
    assert result.returncode == 1
    assert "content/a.md:" in result.stdout


def test_text_lines_name_file_line_severity_and_rule(site: SiteDir) -> None:
    path = site.item("a", category="nope")
    result = run_gxgk("check", str(site.root), "--today", "2025-12-31")
    assert result.returncode == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"content/a.md:{line_in(path, 'category:')}: error[category] ")
    assert result.stdout.splitlines()[-1].endswith("1 error(s), 0 warning(s)")


def test_warnings_alone_exit_0(site: SiteDir) -> None:
    site.item("a", exempt_ground="过程性信息")
    result = run_gxgk("check", str(site.root), "--today", "2025-12-31")
    assert result.returncode == 0
    assert "warning[attribute]" in result.stdout


def test_json_is_exactly_one_document(site: SiteDir) -> None:
    path = site.item("a", published=None)
    site.item("b", index_no="11990100MB0123456X/2025-00002", reviewers=None)
    result = run_gxgk("check", str(site.root), "--format", "json", "--today", "2025-03-24")
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert document["version"] == 1
    assert document["today"] == "2025-03-24"
    assert document["summary"] == {"items": 2, "errors": 1, "warnings": 1}
    assert document["findings"][0] == {
        "rule": "window", "severity": "warning", "path": "content/a.md",
        "line": line_in(path, "formed:"),
        "message": "not published yet; due by 2025-03-31 (20 working days after formed "
                   "2025-03-03), 5 working day(s) left",
    }
    assert [f["rule"] for f in document["findings"]] == ["window", "signoff"]


def test_json_even_when_site_yaml_is_broken(site: SiteDir) -> None:
    site.write("site.yaml", "agency: [\n")
    result = run_gxgk("check", str(site.root), "--format", "json")
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert document["findings"][0]["rule"] == "config"
    assert document["findings"][0]["path"] == "site.yaml"


def test_github_annotations_are_relative_to_the_working_directory(site: SiteDir) -> None:
    path = site.item("a", category="nope")
    repo_root = site.root.parent
    result = run_gxgk("check", "site", "--format", "github", "--today", "2025-12-31",
                      cwd=repo_root)
    assert result.returncode == 1
    line = line_in(path, "category:")
    assert result.stdout.splitlines()[0].startswith(
        f"::error file=site/content/a.md,line={line},title=category::category 'nope'")


def test_github_escapes_newlines_and_commas_in_properties(site: SiteDir) -> None:
    site.write("content/a,b.md", "")
    result = run_gxgk("check", str(site.root), "--format", "github")
    assert "file=content/a%2Cb.md" in result.stdout


def test_bad_options_exit_2(site: SiteDir) -> None:
    assert run_gxgk("check", str(site.root), "--today", "2025-13-01").returncode == 2
    assert run_gxgk("check", str(site.root), "--today", "tomorrow").returncode == 2
    assert run_gxgk("check", str(site.root), "--format", "xml").returncode == 2


def test_today_defaults_to_the_beijing_date_whatever_the_machine_zone(site: SiteDir) -> None:
    env = {key: value for key, value in os.environ.items() if key != "GXGK_TODAY"}
    for zone in ("UTC", "America/Los_Angeles"):
        before = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=8)).date()
        result = subprocess.run([sys.executable, "-m", "gxgk_site", "check", str(site.root)],
                                env={**env, "TZ": zone}, capture_output=True, text=True,
                                check=False)
        after = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=8)).date()  # midnight passed?
        assert f"on {before}:" in result.stdout or f"on {after}:" in result.stdout


def test_gxgk_today_in_the_environment_stands_for_today(site: SiteDir) -> None:
    site.item("a")
    result = subprocess.run([sys.executable, "-m", "gxgk_site", "check", str(site.root)],
                            env={**os.environ, "GXGK_TODAY": "2025-12-30"},
                            capture_output=True, text=True, check=False)
    assert result.stdout.endswith("checked 1 item(s) on 2025-12-30: 0 error(s), 0 warning(s)\n")
    given = run_gxgk("check", str(site.root), "--today", "2025-12-29")  # --today wins
    assert "on 2025-12-29:" in given.stdout
    broken = subprocess.run([sys.executable, "-m", "gxgk_site", "check", str(site.root)],
                            env={**os.environ, "GXGK_TODAY": "30.12.2025"},
                            capture_output=True, text=True, check=False)
    assert broken.returncode == 2
    assert "'30.12.2025' is not a date; write YYYY-MM-DD" in broken.stderr
