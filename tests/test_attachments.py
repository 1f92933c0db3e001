"""Attachments public items link: their text is read (xlsx, docx, pdf, csv, txt) and checked
by `privacy` (IDs, mobile and bank-card numbers) and `wording`; files gxgk cannot read are
named; on real files the tests write with the libraries offices use, and the real CLI."""

from __future__ import annotations

import json
import pickle
import zipfile

from attachment_files import (
    BANK_CARD,
    ID_NUMBER,
    MASKED,
    MOBILE,
    png,
    write_docx,
    write_pdf,
    write_scanned_pdf,
    write_xlsx,
)
from conftest import CODE, SiteDir, findings_of, line_in, run_gxgk

from gxgk_site.attachment_text import extract as extraction
from gxgk_site.attachment_text.cache import CACHE_FILE, TextCache
from gxgk_site.parse_cache import CACHE_DIR

LEAKS = ["张三", ID_NUMBER, MOBILE, BANK_CARD, "中华人民共合国"]


def linking(site: SiteDir, name: str, *files: str, **overrides: object):
    body = "# 公示\n\n" + "".join(f"附件：[{f}]({f})\n\n" for f in files)
    return site.item(name, body=body, **overrides)


def messages(site: SiteDir, rule: str) -> list[str]:
    return [f"{f.path}:{f.line}: {f.severity}: {f.message}"
            for f in findings_of(site.check(), rule)]


def test_xlsx_leaks_and_misspellings_by_sheet_and_cell(site: SiteDir) -> None:
    write_xlsx(site.root / "content/gs/名单.xlsx", {
        "说明": [["2025年度补贴公示"]],
        "公示名单": [["姓名", "身份证号", "联系电话", "银行卡号", "单位"],
                     ["李四", MASKED[0], MASKED[1], MASKED[2], "示例市第一中学"],
                     ["张三", ID_NUMBER, int(MOBILE), BANK_CARD, "中华人民共合国驻外机构"]]})
    path = linking(site, "gs/a", "名单.xlsx")
    link = line_in(path, "名单.xlsx")
    assert messages(site, "privacy") == [
        f"content/gs/a.md:{link}: error: attachment content/gs/名单.xlsx, sheet 公示名单, "
        f"cell B3, contains a citizen ID number (110***********002X); de-identify it before "
        "publishing (e.g. 139****5678, 3211**********1234)",
        f"content/gs/a.md:{link}: error: attachment content/gs/名单.xlsx, sheet 公示名单, "
        "cell C3, contains a mobile number (139****5678); de-identify it before publishing "
        "(e.g. 139****5678, 3211**********1234)",
        f"content/gs/a.md:{link}: error: attachment content/gs/名单.xlsx, sheet 公示名单, "
        "cell D3, contains a bank-card number (622************0128); de-identify it before "
        "publishing (e.g. 139****5678, 3211**********1234)",
    ]
    [wording] = messages(site, "wording")
    assert wording.startswith(
        f"content/gs/a.md:{link}: error: attachment content/gs/名单.xlsx, sheet 公示名单, "
        "cell E3: serious misspelling '中华人民共合国'")
    assert "write 中华人民共和国" in wording


def test_docx_by_paragraph_and_table_cell(site: SiteDir) -> None:
    write_docx(site.root / "content/gs/名单.docx",
               ["关于补贴发放的公示", f"联系人张三，电话{MOBILE}。",
                "依据《中华人民共合国社会保险法》。"],
               table=[["姓名", "身份证号"], ["张三", ID_NUMBER], ["李四", MASKED[0]]])
    linking(site, "gs/a", "名单.docx")
    privacy = messages(site, "privacy")
    assert [m.split("content/gs/名单.docx, ")[1].split(",")[0] for m in privacy] == [
        "paragraph 2", "table 1"]
    assert "table 1, row 2, cell 2, contains a citizen ID number" in privacy[1]
    [wording] = messages(site, "wording")
    assert "名单.docx, paragraph 3: serious misspelling '中华人民共合国'" in wording


def test_pdf_by_page(site: SiteDir) -> None:
    write_pdf(site.root / "content/gs/名单.pdf", [
        ["2025年度补贴发放名单", f"李四 {MASKED[0]} {MASKED[1]} {MASKED[2]}"],
        [f"张三 {ID_NUMBER} {MOBILE}", f"卡号 {BANK_CARD}",
         "《中华人民共和国政府信息公开工作条例》"]])
    linking(site, "gs/a", "名单.pdf")
    privacy = messages(site, "privacy")
    assert len(privacy) == 3
    assert all("attachment content/gs/名单.pdf, page 2, contains" in m for m in privacy)
    [wording] = messages(site, "wording")
    assert "名单.pdf, page 2: serious misspelling '中华人民共和国政府信息公开工作条例'" in wording
    assert "write 中华人民共和国政府信息公开条例" in wording


def test_csv_in_gbk_and_txt_by_line(site: SiteDir) -> None:
    site.write("content/gs/名单.csv", f"姓名,身份证号\n李四,{MASKED[0]}\n张三,{ID_NUMBER}\n"
               .encode("gb18030"))
    site.write("content/gs/说明.txt", f"公示说明\n\n联系电话：{MOBILE}\n")
    linking(site, "gs/a", "名单.csv", "说明.txt")
    privacy = messages(site, "privacy")
    assert "attachment content/gs/名单.csv, cell B3, contains a citizen ID number" in privacy[0]
    assert "attachment content/gs/说明.txt, line 3, contains a mobile number" in privacy[1]


def test_masked_lists_pass(site: SiteDir) -> None:
    write_xlsx(site.root / "content/gs/名单.xlsx",
               {"名单": [["李四", *MASKED, "中华人民共和国", 12333]]})
    linking(site, "gs/a", "名单.xlsx")
    result = site.check()
    assert findings_of(result, "privacy") + findings_of(result, "wording") == []
    assert findings_of(result, "attachment") == []


def test_files_gxgk_cannot_read_are_named_to_check_by_hand(site: SiteDir) -> None:
    write_scanned_pdf(site.root / "content/gs/扫描件.pdf")
    site.write("content/gs/通知.doc", b"\xd0\xcf\x11\xe0old word")
    site.write("content/gs/表.xls", b"\xd0\xcf\x11\xe0old excel")
    site.write("content/gs/照片.png", png())
    site.write("content/gs/文件.ofd", b"PK\x03\x04")
    path = linking(site, "gs/a", "扫描件.pdf", "通知.doc", "表.xls", "照片.png", "文件.ofd")
    found = {f.line: f for f in findings_of(site.check(), "attachment")}
    assert all(f.severity == "warning" for f in found.values())
    assert found[line_in(path, "扫描件.pdf")].message == (
        "attachment content/gs/扫描件.pdf was not scanned (it has no text layer, only scanned "
        "images: gxgk cannot read them (no OCR)): check it by hand for personal data and "
        "wording errors before publishing")
    assert "a Word 97-2003 document (.doc)" in found[line_in(path, "通知.doc")].message
    assert "an Excel 97-2003 workbook (.xls)" in found[line_in(path, "表.xls")].message
    assert "an image: gxgk cannot read text in it" in found[line_in(path, "照片.png")].message
    assert "an OFD document (.ofd)" in found[line_in(path, "文件.ofd")].message


def test_broken_encrypted_and_oversized_files_are_findings(site: SiteDir) -> None:
    site.write("content/gs/坏.xlsx", b"not a zip at all")
    write_pdf(site.root / "content/gs/加密.pdf", [[f"张三 {ID_NUMBER}"]], password="secret")
    bomb = site.root / "content/gs/炸弹.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive, \
            archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
        chunk = b"\0" * (1 << 20)
        for _ in range(extraction.MAX_UNPACKED_BYTES // len(chunk) + 1):
            entry.write(chunk)
    write_pdf(site.root / "content/gs/长.pdf", [["第一页"]] * (extraction.MAX_PAGES + 1))
    path = linking(site, "gs/a", "坏.xlsx", "加密.pdf", "炸弹.xlsx", "长.pdf")
    found = {f.line: f.message for f in findings_of(site.check(), "attachment")}
    assert "坏.xlsx could not be scanned (not a valid xlsx file" in found[line_in(path, "坏")]
    assert ("加密.pdf could not be scanned (it is encrypted: it needs a password to open, so "
            "the public cannot open it either; attach it without a password)") in found[
        line_in(path, "加密")]
    assert "炸弹.xlsx was not scanned (too large to scan: it would unpack to 201 MB, more " \
           "than 200 MB (a zip bomb?))" in found[line_in(path, "炸弹")]
    assert "长.pdf was scanned only in part (only the first 2,000 of 2,001 pages were " \
           "scanned)" in found[line_in(path, "长.pdf")]


def test_an_attachment_error_holds_back_the_item_that_links_it(site: SiteDir) -> None:
    write_xlsx(site.root / "content/gs/名单.xlsx", {"名单": [["张三", ID_NUMBER]]})
    linking(site, "gs/a", "名单.xlsx")
    site.item("b", index_no=f"{CODE}/2025-00002")
    out = site.root / "_site"
    refused = run_gxgk("build", str(site.root), "--out", str(out), "--today", "2025-12-31",
                       "--no-search")
    assert refused.returncode == 1 and not out.exists()
    assert "attachment content/gs/名单.xlsx, sheet 名单, cell B1, contains a citizen ID" in (
        refused.stdout + refused.stderr)
    held = run_gxgk("build", str(site.root), "--out", str(out), "--today", "2025-12-31",
                    "--no-search", "--withhold")
    assert held.returncode == 0, held.stderr
    assert "content/gs/a.md" in held.stdout + held.stderr
    assert not list(out.rglob("名单.xlsx"))  # the item is held back, and so is its file


def test_drafts_warn_and_non_public_items_are_not_read(site: SiteDir) -> None:
    write_xlsx(site.root / "content/gs/名单.xlsx", {"名单": [["张三", ID_NUMBER]]})
    linking(site, "gs/draft", "名单.xlsx", draft=True)
    linking(site, "gs/withheld", "名单.xlsx", index_no=f"{CODE}/2025-00002",
            attribute="依申请公开", exempt_ground="个人隐私")
    [finding] = findings_of(site.check(), "privacy")
    assert finding.path == "content/gs/draft.md" and finding.severity == "warning"


def test_the_cache_keeps_texts_by_digest_and_rebuilds_a_broken_one(site: SiteDir) -> None:
    write_xlsx(site.root / "content/gs/名单.xlsx", {"名单": [["张三", ID_NUMBER]]})
    linking(site, "gs/a", "名单.xlsx")
    first = run_gxgk("check", str(site.root), "--format", "json")
    cache_file = site.root / CACHE_DIR / CACHE_FILE
    assert len(TextCache.open(site.root).entries) == 1
    for broken in (b"garbage", pickle.dumps(("another stamp", {"x": "not a text"})),
                   pickle.dumps((None, None))):
        cache_file.write_bytes(broken)
        again = run_gxgk("check", str(site.root), "--format", "json")
        assert json.loads(again.stdout)["findings"] == json.loads(first.stdout)["findings"]
        assert "Traceback" not in again.stderr
        assert len(TextCache.open(site.root).entries) == 1  # made again
    # the same bytes under another name are the same text (found by digest)
    (site.root / "content/gs/名单.xlsx").rename(site.root / "content/gs/名单2.xlsx")
    linking(site, "gs/a", "名单2.xlsx")
    moved = run_gxgk("check", str(site.root), "--format", "json")
    assert "名单2.xlsx, sheet 名单, cell B1" in moved.stdout
    assert len(TextCache.open(site.root).entries) == 1


def test_a_symbolic_link_is_never_read(site: SiteDir, tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(f"张三 {ID_NUMBER}\n", encoding="utf-8")
    (site.root / "content/gs").mkdir(parents=True)
    (site.root / "content/gs/名单.txt").symlink_to(secret)
    linking(site, "gs/a", "名单.txt")
    result = site.check()
    assert findings_of(result, "privacy") == []
    assert [f.path for f in findings_of(result, "symlink")] == ["content/gs/名单.txt"]


def test_the_editors_search_finds_an_item_by_its_attachments_text(site: SiteDir) -> None:
    xlsx = site.root / "content/gs/名单.xlsx"
    write_xlsx(xlsx, {"名单": [["姓名", "单位"], ["王晓梅", "示例市滨江街道"]]})
    linking(site, "gs/a", "名单.xlsx")
    site.item("b", index_no=f"{CODE}/2025-00002", body="滨江街道另有通知。\n")

    def paths(query: str) -> list[str]:
        result = run_gxgk("search", query, str(site.root), "--format", "json")
        assert result.returncode == 0, result.stderr
        return sorted(hit["path"] for hit in json.loads(result.stdout)["hits"])

    assert paths("王晓梅") == ["content/gs/a.md"]
    assert paths("attachments:滨江街道") == ["content/gs/a.md"]
    assert paths("滨江街道") == ["content/b.md", "content/gs/a.md"]
    write_xlsx(xlsx, {"名单": [["姓名"], ["赵大勇"]]})  # the file changes, the item does not
    assert paths("赵大勇") == ["content/gs/a.md"]
    assert paths("王晓梅") == []
