"""Hostile and odd inputs, as fuzzing and new users found them: each gets a finding that names
the file, the line and the fix, and a non-zero exit; never a traceback, a hang, or a non-public
item published."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CODE, SiteDir, findings_of, front_matter, item_data, line_in, run_gxgk

from gxgk_site.publish.build import BuildRefused, build_site

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


# --- 5. files that are not UTF-8 -------------------------------------------------------------

GBK_GUIDE = "# 政府信息公开指南\n\n本机关政府信息公开工作机构为办公室。\n".encode("gbk")


@pytest.mark.parametrize(("file", "rule"), [("content/guide.md", "guide"),
                                            ("site.yaml", "config"),
                                            ("data/reports/2025.yaml", "report"),
                                            ("data/requests/2025.yaml", "request")])
def test_a_gbk_file_gets_the_same_clear_message_as_an_item(site: SiteDir, file: str,
                                                           rule: str) -> None:
    site.item("a")
    if file == "site.yaml":
        site.write(file, (site.root / file).read_text(encoding="utf-8").encode("gbk"))
    elif file.startswith("data/"):
        site.write(file, "overview: 本年度工作情况。\n".encode("gbk") if "reports" in file
                   else "- id: 2025-001\n  applicant: 自然人\n".encode("gbk"))
    else:
        site.write(file, GBK_GUIDE)
    for command in ("check", "build"):
        result = run_gxgk(command, str(site.root), "--today", TODAY, "--no-search"
                          if command == "build" else "--format=text", timeout=120)
        no_traceback(result)
        assert result.returncode == 1, result.stdout + result.stderr
        assert (f"{file}: error[{rule}] not a UTF-8 text file (it looks like GBK (GB18030) "
                "text); save it as UTF-8") in result.stdout + result.stderr
    assert not (site.root / "_site").exists()


def test_a_gbk_template_is_named_with_the_same_message(site: SiteDir) -> None:
    site.item("a")
    site.write("templates/404.html", '{% extends "base.html" %}{% block content %}找不到页面'
               "{% endblock %}".encode("gbk"))
    result = gxgk_build(site)
    no_traceback(result)
    assert result.returncode == 1
    assert ("gxgk build: template error: templates/404.html: not a UTF-8 text file (it looks "
            "like GBK (GB18030) text)") in result.stderr


def test_a_utf16_item_is_named_as_such(site: SiteDir) -> None:
    site.write("content/a.md", front_matter(item_data()).encode("utf-16"))
    result = check(site)
    assert result.returncode == 1
    assert "content/a.md: error[front-matter] not a UTF-8 text file (it looks like UTF-16 text)" \
        in result.stdout


# --- 8. symbolic links -----------------------------------------------------------------------

SECRET = "机密标记7f3a9c"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """Files outside the site, with a marker that must never reach the output."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "item.md").write_text(front_matter(item_data(
        title=f"站外文件{SECRET}", index_no=f"{CODE}/2025-00009")), encoding="utf-8")
    (folder / "guide.md").write_text(f"# 指南\n\n{SECRET}\n", encoding="utf-8")
    (folder / "passwd").write_text(f"root:x:0:0:{SECRET}\n", encoding="utf-8")
    (folder / "item.html").write_text(f"{SECRET}{{{{ page.url }}}}", encoding="utf-8")
    (folder / "ledger.yaml").write_text(f"- id: 2025-001\n  name: {SECRET}\n", encoding="utf-8")
    (folder / "content").mkdir()
    (folder / "content" / "item.md").write_text((folder / "item.md").read_text("utf-8"),
                                                encoding="utf-8")
    return folder


LINKS = {  # where a link stands in the site -> what it points to, in `outside`
    "content/shbx/b.md": "item.md",
    "content/more": "content",
    "content/guide.md": "guide.md",
    "static/passwd.txt": "passwd",
    "templates/item.html": "item.html",
    "data/requests/2025.yaml": "ledger.yaml",
    "content/files/名单.pdf": "passwd",
}


@pytest.mark.parametrize("link", list(LINKS))
def test_a_symbolic_link_is_never_followed_and_always_reported(site: SiteDir, outside: Path,
                                                               link: str) -> None:
    site.item("a")
    (site.root / link).parent.mkdir(parents=True, exist_ok=True)
    (site.root / link).symlink_to(outside / LINKS[link])
    result = check(site)
    assert result.returncode == 1
    assert f"{link}: error[symlink] is a symbolic link; gxgk reads and publishes only the " \
           "site's own files" in result.stdout
    for flags in ((), ("--withhold",)):
        built = gxgk_build(site, *flags)
        no_traceback(built)
        assert built.returncode == 1, built.stdout
        assert not (site.root / "_site").exists()
    searched = run_gxgk("search", "站外文件", str(site.root), "--today", TODAY)
    assert "0 item(s) found" in searched.stdout


def test_a_linked_site_yaml_or_work_folder_is_refused(site: SiteDir, outside: Path) -> None:
    site.item("a")
    (outside / "site.yaml").write_bytes((site.root / "site.yaml").read_bytes())
    (site.root / "site.yaml").unlink()
    (site.root / "site.yaml").symlink_to(outside / "site.yaml")
    result = check(site)
    assert result.returncode == 1
    assert "site.yaml: error[symlink] is a symbolic link" in result.stdout
    (site.root / "site.yaml").unlink()
    (site.root / "site.yaml").write_bytes((outside / "site.yaml").read_bytes())
    (outside / "work").mkdir()
    (site.root / ".gxgk").symlink_to(outside / "work")
    for command in (("build", "--no-search"), ("check",)):
        result = run_gxgk(*command, str(site.root), "--today", TODAY)
        assert result.returncode == 1
        assert ".gxgk: error[symlink] is a symbolic link" in result.stdout
    searched = run_gxgk("search", "通知", str(site.root), "--today", TODAY)
    assert searched.returncode == 2
    assert ".gxgk is a symbolic link; gxgk writes its caches" in searched.stderr
    assert not any((outside / "work").iterdir())  # nothing written outside the site


# --- 9. links to files that are never published ----------------------------------------------


@pytest.mark.parametrize(("target", "path"), [("../../data/requests/2025.yaml",
                                               "data/requests/2025.yaml"),
                                              ("../../site.yaml", "site.yaml"),
                                              (".env", "content/shbx/.env"),
                                              ("../guide.md", "content/guide.md")])
def test_a_link_to_a_file_never_published_is_an_error(site: SiteDir, target: str,
                                                      path: str) -> None:
    site.write("data/requests/2025.yaml", "[]\n")
    site.write("content/shbx/.env", "SECRET=1\n")
    site.write("content/guide.md", "# 指南\n")
    item = site.item("shbx/a", body=f"正文。\n\n见[附件]({target})。\n")
    result = check(site)
    assert result.returncode == 1
    assert (f"content/shbx/a.md:{line_in(item, '见[附件]')}: error[link] link {target!r} leads "
            f"to {path}, which is never published") in result.stdout
    site.item("shbx/a", body=f"正文。\n\n见[附件]({target})。\n", attribute="依申请公开",
              exempt_ground="不属于主动公开范围")
    assert check(site).returncode == 0  # never published itself: no broken link to show


# --- 15. long values and empty keys ----------------------------------------------------------


def test_a_huge_value_is_quoted_cut(site: SiteDir) -> None:
    huge = "错" * 2_000_000
    text = front_matter(item_data())
    site.write("content/a.md", text.replace("attribute: 主动公开", f"attribute: {huge}")
               .replace("category: shbx", f"category: {huge}").replace(
                   "summary:", f"{'键' * 1000}: 1\nsummary:"))  # YAML keys: at most 1024
    result = check(site)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and all(len(line) < 1200 for line in lines), lines
    assert "… (2,000,000 characters)" in result.stdout


def test_an_empty_summary_is_reported_on_its_own_line(site: SiteDir) -> None:
    text = front_matter(item_data(summary=None, kind="规范性文件"))
    path = site.write("content/a.md", text.replace("title:", "summary:\nvalidity:\ntitle:"))
    result = check(site)
    assert f"content/a.md:{line_in(path, 'summary:')}: error[front-matter] required key " \
           "'summary'" in result.stdout
    assert f"content/a.md:{line_in(path, 'validity:')}: error[front-matter] required key " \
           "'validity'" in result.stdout


# --- 6. text that looks like the build's own placeholders ------------------------------------

LOOKALIKES = ["@@gxgk-qr@@", "@@gxgk-partial-0@@", "@@gxgk-partial-99999@@", "@@gxgk-body@@",
              "@@gxgk-lang@@", "@@gxgk-self-url@@", "@@gxgk-up@@"]


def test_text_that_looks_like_a_placeholder_is_only_text(site: SiteDir) -> None:
    title = f"关于{LOOKALIKES[0]}{LOOKALIKES[2]}的通知"
    site.item("a", title=title, summary="概述" + "".join(LOOKALIKES),
              body="正文" + "\n\n".join(LOOKALIKES) + "\n")
    result = gxgk_build(site)
    no_traceback(result)
    assert result.returncode == 0, result.stdout
    out = site.root / "_site"
    [page] = list((out / "items").glob("*.html"))
    html = page.read_text(encoding="utf-8")
    assert f"<h1>{title}</h1>" in html
    for text in LOOKALIKES:
        assert html.count(text) >= 2, text  # in the body, and the summary (or title)
    assert html.count("<svg") == 1  # the page's own QR code, once
    assert html.count('class="site-header"') <= 1


def test_a_control_character_in_front_matter_is_a_finding(site: SiteDir) -> None:
    text = front_matter(item_data()).replace("title: 关于", 'title: "\\0gxgk-qr\\0关于', 1)
    text = text.replace("的通知\n", '的通知"\n', 1)
    path = site.write("content/a.md", text)
    result = check(site)
    assert result.returncode == 1
    assert (f"content/a.md:{line_in(path, 'title:')}: error[front-matter] title: contains the "
            "invisible character U+0000 at position 1; delete it") in result.stdout


# --- 7. spreadsheet formulas in the exports --------------------------------------------------


def test_csv_cells_that_would_be_formulas_are_defused(site: SiteDir) -> None:
    import csv

    formulas = ['=HYPERLINK("https://evil.example","点击")', "+1+1", "-2+3", "@SUM(A1)"]
    for number, formula in enumerate(formulas, start=1):
        site.item(f"a{number}", title=formula, summary=f"概述{formula}",
                  index_no=f"{CODE}/2025-{number:05d}")
    assert gxgk_build(site).returncode == 0
    text = (site.root / "_site/catalog.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines()))
    titles = {row[1] for row in rows[1:]}
    assert titles == {f"'{formula}" for formula in formulas}
    assert {row[2] for row in rows[1:]} == {f"概述{formula}" for formula in formulas}


# --- attachments with names that are not plain URLs ------------------------------------------


@pytest.mark.parametrize("name", ["名单 1#2?.pdf", "a%20b&c=d.xlsx", "附 件.docx"])
def test_an_attachment_with_any_name_is_served_from_its_link(site: SiteDir, name: str) -> None:
    import http.server
    import re
    import threading
    import urllib.request
    from functools import partial
    from urllib.parse import quote, urljoin

    site.write(f"content/shbx/附件/{name}", "附件内容".encode())
    site.item("shbx/a", body=f"正文。\n\n[名单](<附件/{quote(name)}>)\n")
    assert check(site).returncode == 0
    assert gxgk_build(site).returncode == 0
    out = site.root / "_site"
    [page] = list((out / "items").glob("*.html"))
    hrefs = set(re.findall(r'href="([^"]*%E9%99%84%E4%BB%B6[^"]*)"',  # 附件, encoded
                           page.read_text(encoding="utf-8")))
    assert hrefs
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}/items/{page.name}"
        for href in hrefs:  # the body's link, and the attachment list's
            with urllib.request.urlopen(urljoin(base, href), timeout=10) as response:
                assert response.read() == "附件内容".encode()
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# --- more that fuzzing found -----------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("!!timestamp 'not a date'", "timestamp cannot be read from 'not a date'"),
    ("!!bool maybe", "bool cannot be read from 'maybe'")])
def test_a_tag_whose_value_cannot_be_made_is_a_finding(site: SiteDir, value: str,
                                                       expected: str) -> None:
    path = site.write("content/a.md", front_matter(item_data()).replace(
        "summary:", f"extra: {value}\nsummary:"))
    result = check(site)
    no_traceback(result)
    assert (f"content/a.md:{line_in(path, 'extra:')}: error[front-matter] invalid value: "
            f"extra: {expected}") in result.stdout


def test_a_report_file_named_after_no_plausible_year(site: SiteDir) -> None:
    site.item("a")
    site.write("data/reports/0000.yaml", "overview: 概述。\n")
    result = check(site)
    no_traceback(result)
    assert result.returncode == 1
    assert "data/reports/0000.yaml: error[report] a report file is named after its year" \
        in result.stdout


def test_a_body_with_150000_links_is_checked_in_linear_time(site: SiteDir) -> None:
    body = "".join(f"第{n}条见[附件](files/{n}.pdf)。\n" for n in range(150_000))
    site.item("a", body=body)
    # about 8 s here; over two minutes before (lines counted from the start for each link),
    # which the time bound of check() turns into a failure
    result = check(site)
    assert result.returncode == 1
    assert result.stdout.count("error[link]") == 150_000


def test_a_file_name_that_is_not_utf8_is_an_error(site: SiteDir) -> None:
    site.item("a")
    (site.root / "content").joinpath(b"b\xb2\xbb.md".decode("utf-8", "surrogateescape")) \
        .write_text(front_matter(item_data()), encoding="utf-8")
    result = check(site)
    no_traceback(result)
    assert result.returncode == 1
    assert ("content/b\\xb2\\xbb.md: error[file-name] the name is not UTF-8" in result.stdout)
    assert "checked 2 item(s)" in result.stdout
