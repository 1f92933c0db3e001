"""Time `gxgk check` on a site of 10,000 items of which 1,000 link an attachment (a fresh
process each run), with the site's wording lists (leaders, wrong and banned words).

The attachments are what such columns publish: 公示名单 as xlsx (150-400 rows), csv and PDF
(3-8 pages of rows), notices as docx (paragraphs and a table), all with masked personal data,
each file different. They are written with openpyxl, python-docx and reportlab (the test
extras: pip install -e '.[test]').

Three lines per size: the same site without its attachments (the items alone, warm), "cold"
(no .gxgk/: no parse cache, no attachment text cache, as in CI on a fresh clone) and "cached"
(both caches, as on an editor's machine checking again).

Usage: python benchmarks/bench_attachments.py [--sizes 10000] [--attachments 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_check import time_check
from corpus import generate, work_folder

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂建国华玉萍红志文"
UNITS = ["示例市第一中学", "示例市人民医院", "示例区滨江街道办事处", "示例市公共就业服务中心",
         "示例县社会保险事业管理中心"]
PROJECTS = ["职业技能提升补贴", "一次性扩岗补助", "创业担保贷款贴息", "就业见习补贴"]
LEADERS = """\
- name: 高志明
  order: 1
  titles: [{title: 局长, from: 2021-06-01}]
- name: 许文涛
  order: 2
  titles: [{title: 副局长, from: 2020-03-01}]
- name: 周晓岚
  order: 3
  titles: [{title: 副局长, from: 2022-01-01}]
"""


def _rows(rng: random.Random, count: int) -> list[list[object]]:
    rows: list[list[object]] = [["序号", "姓名", "身份证号", "联系电话", "单位", "项目",
                                 "金额（元）"]]
    for number in range(1, count + 1):
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN)
                                              for _ in range(rng.randint(1, 2)))
        masked_id = f"3211{rng.randint(0, 99):02d}**********{rng.randint(0, 9999):04d}"
        rows.append([number, name, masked_id,
                     f"138****{rng.randint(0, 9999):04d}", rng.choice(UNITS),
                     rng.choice(PROJECTS), round(rng.uniform(500, 3000), 2)])
    return rows


def _xlsx(path: Path, rng: random.Random) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "公示名单"
    for row in _rows(rng, rng.randint(150, 400)):
        sheet.append(row)
    workbook.save(path)


def _csv(path: Path, rng: random.Random) -> None:
    lines = [",".join(map(str, row)) for row in _rows(rng, rng.randint(150, 400))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")


def _docx(path: Path, rng: random.Random) -> None:
    from docx import Document

    document = Document()
    document.add_heading("关于2025年度就业补贴资金发放情况的公示", 1)
    for _ in range(rng.randint(5, 15)):
        document.add_paragraph("根据《中华人民共和国就业促进法》和有关规定，经单位申报、审核，现将"
                               "补贴发放情况予以公示。公示期为5个工作日，如有异议，请向示例市人力"
                               "资源和社会保障局反映，咨询电话12333。")
    rows = _rows(rng, rng.randint(30, 80))
    table = document.add_table(rows=0, cols=len(rows[0]))
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = str(value)
    document.save(path)


def _pdf(path: Path, rng: random.Random) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path))
    rows = _rows(rng, rng.randint(90, 240))
    for start in range(0, len(rows), 30):
        pdf.setFont("STSong-Light", 9)
        for number, row in enumerate(rows[start:start + 30]):
            pdf.drawString(40, 800 - 24 * number, "  ".join(map(str, row)))
        pdf.showPage()
    pdf.save()


WRITERS = ((".xlsx", _xlsx), (".docx", _docx), (".pdf", _pdf), (".csv", _csv))


def add_attachments(site: Path, count: int, seed: int = 16) -> None:
    """Attach one file to each of ``count`` public items (spread over the site), and add the
    wording lists."""
    rng = random.Random(seed)
    wording = site / "data" / "wording"
    wording.mkdir(parents=True, exist_ok=True)
    (wording / "leaders.yaml").write_text(LEADERS, encoding="utf-8")
    (wording / "wrong.yaml").write_text("秸杆: 秸秆\n帐户: 账户\n", encoding="utf-8")
    (wording / "banned.yaml").write_text("- 内部资料注意保密\n", encoding="utf-8")
    items = sorted((site / "content").rglob("item-*.md"))
    public = [path for path in items if int(path.stem.split("-")[1]) % 10]
    step = max(1, len(public) // count)
    for number, item in enumerate(public[::step][:count]):
        suffix, writer = WRITERS[number % len(WRITERS)]
        name = f"附件-{number:04d}{suffix}"
        writer(item.parent / name, rng)
        with item.open("a", encoding="utf-8") as handle:
            handle.write(f"\n附件：[补贴发放名单]({name})\n")


def _times(site: Path, repeat: int, cold: bool) -> tuple[list[float], dict]:
    times, summary = [], {}
    for _ in range(repeat):
        if cold:
            shutil.rmtree(site / ".gxgk", ignore_errors=True)
        elapsed, summary = time_check(site)
        times.append(elapsed)
    return times, summary


def _line(label: str, size: int, times: list[float], summary: dict) -> str:
    return (f"gxgk check ({label}): {size:>6} items  best {min(times):6.2f} s  "
            f"median {statistics.median(times):6.2f} s  "
            f"({summary['errors']} errors, {summary['warnings']} warnings)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000])
    parser.add_argument("--attachments", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with work_folder("attachments") as work:
        for size in args.sizes:
            site = generate(work / f"site-{size}", size)
            time.sleep(2.5)  # files this fresh are never taken from the parse cache
            time_check(site)
            times, summary = _times(site, args.repeat, cold=False)
            print(_line("items only, cached", size, times, summary), flush=True)
            started = time.perf_counter()
            add_attachments(site, args.attachments)
            files = sorted(p for p in (site / "content").rglob("附件-*"))
            megabytes = sum(p.stat().st_size for p in files) / 2**20
            print(f"wrote {len(files)} attachments ({megabytes:.1f} MB) in "
                  f"{time.perf_counter() - started:.1f} s", flush=True)
            time.sleep(2.5)
            for label, cold in (("cold", True), ("cached", False)):
                times, summary = _times(site, args.repeat, cold)
                print(_line(f"{label}, {len(files)} attachments", size, times, summary),
                      flush=True)


if __name__ == "__main__":
    main()
