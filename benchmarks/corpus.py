"""Generate a realistic site of N items for benchmarks (deterministic for a given N and seed)."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import chinese_calendar

CODE = "11990100MB0123456X"
CATEGORIES = [("gfxwj", "规范性文件"), ("zcjd", "政策解读"), ("shbx", "社会保险"),
              ("jycy", "就业创业"), ("rsrc", "人事人才"), ("ldgx", "劳动关系"),
              ("ghjh", "规划计划"), ("gzdt", "工作动态")]
TOPICS = ["城乡居民基本养老保险", "失业保险稳岗返还", "高校毕业生就业", "职业技能提升行动",
          "工伤保险待遇", "事业单位公开招聘", "根治欠薪", "创业担保贷款", "社会保障卡",
          "企业职工基本养老保险", "营商环境", "人力资源市场", "专业技术人才职称评审"]
ACTIONS = ["关于调整", "关于做好", "关于进一步加强", "关于印发", "关于开展", "关于公布"]
SENTENCES = [
    "为深入贯彻落实国家和省有关决策部署，切实保障和改善民生，结合本市实际，制定本通知。",
    "各县（市、区）人力资源和社会保障部门要高度重视，加强组织领导，确保各项政策落地见效。",
    "缴费基数按照上年度全口径城镇单位就业人员平均工资的60%至300%确定。",
    "申请人可通过线上服务平台或者到就近的公共就业服务机构办理，咨询电话12333。",
    "对符合条件的用人单位，按规定给予社会保险补贴和岗位补贴，补贴期限最长不超过3年。",
    "本通知自印发之日起施行，有效期5年，此前规定与本通知不一致的，以本通知为准。",
    "进一步优化经办流程，压缩办理时限，推行“一窗受理、一次办好”服务模式。",
]

SITE_YAML = f"""agency:
  name: 示例市人力资源和社会保障局
  code: {CODE}
  address: 示例市滨江大道188号
  office_hours: 工作日 8:30-17:30
  phone: 0599-12345678
  fax: 0599-12345679
  email: xxgk@rsj.example.gov.cn
site:
  title: 示例市人力资源和社会保障局政府信息公开专栏
  base_url: https://rsj.example.gov.cn/xxgk/
categories:
""" + "".join(f"  - {{id: {cid}, name: {name}}}\n" for cid, name in CATEGORIES)


def _publish_day(formed: dt.date, rng: random.Random) -> dt.date:
    day, left = formed, rng.randint(1, 15)
    while left:
        day += dt.timedelta(days=1)
        if chinese_calendar.is_workday(day):
            left -= 1
    return day


def item_text(n: int, rng: random.Random) -> str:
    formed = dt.date(2024, 1, 2) + dt.timedelta(days=rng.randint(0, 600))
    published = _publish_day(formed, rng)
    category, _ = CATEGORIES[n % len(CATEGORIES)]
    topic = rng.choice(TOPICS)
    title = f"{rng.choice(ACTIONS)}{formed.year}年度{topic}工作的通知"
    attribute = "主动公开" if n % 10 else rng.choice(["依申请公开", "不予公开"])
    kind = "规范性文件" if category == "gfxwj" else "通知公告"
    paragraphs = "\n\n".join(
        "".join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 5)))
        for _ in range(rng.randint(3, 8)))
    extra = "exempt_ground: 过程性信息\n" if attribute != "主动公开" else ""
    validity = "validity: 有效\n" if kind == "规范性文件" else ""
    return f"""---
title: {title}
attribute: {attribute}
category: {category}
formed: {formed}
published: {published}
index_no: {CODE}/{formed.year}-{n:05d}
summary: 本文件就{topic}有关事项作出规定，明确适用范围、办理流程和工作要求。
doc_number: 示人社发〔{formed.year}〕{n % 500 + 1}号
department: 办公室
kind: {kind}
{validity}{extra}reviewers:
  first: {{name: 周晓岚, date: {formed}}}
  second: {{name: 许文涛, date: {formed}}}
  final: {{name: 高志明, date: {published}}}
secrecy_review: {{name: 宋佳怡, date: {published}}}
---
# {title}

{paragraphs}

| 项目 | 标准 |
| --- | --- |
| 缴费档次 | 每年{rng.randint(2, 30) * 100}元 |
| 补贴标准 | 每人每月{rng.randint(1, 9) * 100}元 |
"""


def generate(target: Path, count: int, seed: int = 2025) -> Path:
    """Write a site of ``count`` items to ``target`` (replacing it) and return it."""
    if target.exists():
        shutil.rmtree(target)
    rng = random.Random(seed)
    (target / "content").mkdir(parents=True)
    (target / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    for n in range(1, count + 1):
        category, _ = CATEGORIES[n % len(CATEGORIES)]
        folder = target / "content" / category
        folder.mkdir(exist_ok=True)
        (folder / f"item-{n:05d}.md").write_text(item_text(n, rng), encoding="utf-8")
    return target


def size_arguments(parser: argparse.ArgumentParser, repeat: int) -> None:
    """The options every benchmark takes: the site sizes, and how many runs of each."""
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=repeat)


@contextlib.contextmanager
def work_folder(name: str = "", memory: bool = False) -> Iterator[Path]:
    """A folder for the generated sites, removed afterwards: beside the benchmarks, on the disk
    a real site lives on (on some machines /tmp is several times slower at creating small
    files), or with ``memory`` in /dev/shm."""
    base = (Path("/dev/shm") / f"gxgk-bench-{os.getpid()}" if memory
            else Path(__file__).resolve().parent / ".work")
    work = base / name if name else base
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("target", type=Path)
    parser.add_argument("--items", type=int, default=1000)
    args = parser.parse_args()
    generate(args.target, args.items)
    print(f"wrote {args.items} items to {args.target}")
