"""Hostile and odd inputs, as fuzzing and new users found them: each gets a finding that names
the file, the line and the fix, and a non-zero exit; never a traceback, a hang, or a non-public
item published."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CODE, SiteDir, findings_of, front_matter, item_data, line_in, run_gxgk

from gxgk_site.build import BuildRefused, build_site

TODAY = "2025-12-31"


def check(site: SiteDir, *args: str):
    """`gxgk check` as CI runs it, with a bound on its time: a hang fails the test instead of
    stalling the run."""
    return run_gxgk("check", str(site.root), "--today", TODAY, *args, timeout=60)


def gxgk_build(site: SiteDir, *args: str):
    return run_gxgk("build", str(site.root), "--today", TODAY, "--no-search", *args, timeout=120)


def no_traceback(result) -> None:
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, \
        result.stderr


def site_text(out: Path) -> str:
    return "\n".join(path.read_text(encoding="utf-8", errors="replace")
                     for path in sorted(out.rglob("*")) if path.is_file())


# --- 1. a missing review tier ----------------------------------------------------------------


@pytest.mark.parametrize("final", ["", "  final:\n"])
def test_a_missing_review_tier_refuses_the_build_with_the_finding(site: SiteDir,
                                                                  final: str) -> None:
    site.item("good")
    text = front_matter(item_data(title="缺少终审的通知", index_no=f"{CODE}/2025-00002"))
    path = site.write("content/b.md", text.replace(
        text[text.index("  final:"):text.index("secrecy_review")], final))
    result = gxgk_build(site)
    no_traceback(result)
    assert result.returncode == 1
    line = line_in(path, "final:" if final else "reviewers:")  # an empty tier: its own line
    assert f"content/b.md:{line}: error[signoff] sign-off incomplete: 终审 (final) is missing" \
        in result.stdout
    withheld = gxgk_build(site, "--withhold")
    no_traceback(withheld)
    assert withheld.returncode == 0
    assert "held back: content/b.md" in withheld.stdout
    assert "缺少终审的通知" not in site_text(site.root / "_site")


# --- 2, 3. nesting and aliases ---------------------------------------------------------------


@pytest.mark.parametrize("value", [
    "[" * 990 + "]" * 990,  # a RecursionError once
    "[" * 200_000 + "]" * 200_000,  # crashed PyYAML's C composer (segmentation fault)
    "\n" + "".join("  " * level + "-\n" for level in range(1, 1200)),
], ids=["flow-990", "flow-200000", "block-1200"])
def test_deep_nesting_is_a_finding(site: SiteDir, value: str) -> None:
    site.item("a")
    text = front_matter(item_data(index_no=f"{CODE}/2025-00002"))
    site.write("content/b.md", text.replace("summary:", f"extra: {value}\nsummary:", 1))
    result = check(site)
    no_traceback(result)
    assert result.returncode == 1
    [line] = [line for line in result.stdout.splitlines() if line.startswith("content/b.md")]
    assert "error[front-matter] values are nested more than 50 levels deep here" in line
    assert len(line) < 400


def alias_bomb(levels: int) -> str:
    lines = ["bomb:", "  l0: &l0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"  l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_at_once(site: SiteDir) -> None:
    text = front_matter(item_data())
    path = site.write("content/a.md", text.replace("summary:", alias_bomb(8) + "summary:", 1))
    result = check(site)  # minutes and gigabytes before; the timeout fails a hang
    no_traceback(result)
    assert result.returncode == 1
    assert result.stdout.startswith(
        f"content/a.md:{line_in(path, 'l3:')}: error[front-matter] aliases (*name) expand "
        "this document to 54,481,055 values")


def test_a_few_aliases_are_fine_and_a_self_reference_is_not(site: SiteDir) -> None:
    site.config["rules"] = {"roster": {"first": ["王一", "王二"]}}
    site.write_config()
    text = (site.root / "site.yaml").read_text(encoding="utf-8")
    site.write("site.yaml", text.replace("  - 王一\n  - 王二\n", "  - &wang 王一\n  - 王二\n")
               + "calendar:\n  holidays: &days [2025-10-01, 2025-10-02]\n  workdays: []\n")
    site.item("a")
    assert check(site).returncode == 0
    site.write("content/b.md", front_matter(item_data(index_no=f"{CODE}/2025-00002"))
               .replace("keywords", "k").replace("summary:", "loop: &loop [1, *loop]\nsummary:"))
    result = check(site)
    assert "refers to a value that contains the alias itself" in result.stdout


# --- 4. dates out of range -------------------------------------------------------------------


@pytest.mark.parametrize(("key", "value"), [("changed", "9999-12-31"), ("formed", "9999-12-31"),
                                            ("published", "0001-01-01"),
                                            ("published", "9999-12-31 23:59")])
def test_a_date_out_of_range_is_a_finding(site: SiteDir, key: str, value: str) -> None:
    text = front_matter(item_data())
    if f"{key}:" in text:
        text = "\n".join(f"{key}: {value}" if line.startswith(f"{key}:") else line
                         for line in text.split("\n"))
    else:
        text = text.replace("summary:", f"{key}: {value}\nsummary:", 1)
    path = site.write("content/a.md", text)
    for command in ("check", "deadlines", "build"):
        result = run_gxgk(command, str(site.root), "--today", TODAY, timeout=60)
        no_traceback(result)
    result = check(site)
    assert result.returncode == 1
    assert (f"content/a.md:{line_in(path, key + ':')}: error[front-matter] {key}: {value[:10]} "
            "is not a plausible date; gxgk takes dates from 1900-01-01 to 2099-12-31"
            in result.stdout)


def test_today_out_of_range_is_refused(site: SiteDir) -> None:
    site.item("a")
    result = run_gxgk("check", str(site.root), "--today", "9999-12-31")
    assert result.returncode == 2
    assert "9999-12-31 is not a plausible date" in result.stderr


# --- 10. a repeated key ----------------------------------------------------------------------


def test_a_repeated_attribute_cannot_publish_a_withheld_item(site: SiteDir) -> None:
    site.item("a")
    text = front_matter(item_data(title="不予公开的内部请示", attribute="不予公开",
                                  exempt_ground="过程性信息", index_no=f"{CODE}/2025-00002"))
    path = site.write("content/b.md", text.replace("summary:", "attribute: 主动公开\nsummary:"))
    result = check(site)
    assert result.returncode == 1
    assert (f"content/b.md:{line_in(path, 'attribute', 2)}: error[front-matter] key "
            "'attribute' is given a second time here" in result.stdout)
    with pytest.raises(BuildRefused):
        build_site(site.root, site.root / "_site", item_data()["published"])
    withheld = gxgk_build(site, "--withhold")
    assert withheld.returncode == 0
    assert "不予公开的内部请示" not in site_text(site.root / "_site")


@pytest.mark.parametrize("file", ["site.yaml", "data/requests/2025.yaml"])
def test_a_repeated_key_in_site_yaml_or_data_is_an_error(site: SiteDir, file: str) -> None:
    site.item("a")
    if file == "site.yaml":
        text = (site.root / "site.yaml").read_text(encoding="utf-8")
        site.write(file, text.replace("site:\n", "site:\n  title: 另一个标题\n", 1))
    else:
        site.write(file, "- id: 2025-001\n  received: 2025-03-03\n  applicant: 自然人\n"
                         "  received: 2025-03-04\n")
    result = check(site)
    assert result.returncode == 1
    assert f"{file}:" in result.stdout and "is given a second time here" in result.stdout
    assert findings_of(site.check(), severity="error")
