"""Generate a realistic site of N items for benchmarks (deterministic for a given N and seed):
items like real ones, about 2,300 Chinese characters in sections under headings, with a numbered
list, a table, a link to another item and one outside, and a large vocabulary (see _body)."""

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
  id_code: "9999000001"
categories:
""" + "".join(f"  - {{id: {cid}, name: {name}}}\n" for cid, name in CATEGORIES)


def _publish_day(formed: dt.date, rng: random.Random) -> dt.date:
    day, left = formed, rng.randint(1, 15)
    while left:
        day += dt.timedelta(days=1)
        if chinese_calendar.is_workday(day):
            left -= 1
    return day


# A large vocabulary for realistic bodies: the words of the column's subjects, combined.
PLACES = ["城东区", "城西区", "高新区", "滨江街道", "东山镇", "南湖乡", "北岭镇", "西溪街道",
          "经开区", "临港片区", "老城区", "新城街道", "青石镇", "白沙乡", "云台镇", "枫林街道"]
BODIES = ["市人力资源和社会保障局", "市财政局", "市医疗保障局", "市税务局", "市市场监督管理局",
          "各县（市、区）人社部门", "市就业服务中心", "市社会保险事业管理中心",
          "市劳动人事争议仲裁院",
          "市人才交流服务中心", "市职业技能鉴定指导中心", "各乡镇（街道）劳动保障所"]
SUBJECTS = ["参保单位", "灵活就业人员", "高校毕业生", "退役军人", "农民工", "困难人员",
            "失业人员", "离退休人员", "用人单位", "技能人才", "专业技术人员", "事业单位工作人员",
            "新就业形态劳动者", "脱贫人口", "残疾人", "个体工商户"]
ACTS = ["申报", "审核", "公示", "备案", "核定", "发放", "认定", "登记", "转移接续", "补缴",
        "清算", "复核", "抽查", "评估", "培训", "考核"]
THINGS = ["基本养老保险费", "失业保险金", "工伤保险待遇", "职业培训补贴", "一次性吸纳就业补贴",
          "社会保险补贴", "创业担保贷款贴息", "稳岗返还资金", "技能提升补贴", "就业见习补贴",
          "职称评审材料", "劳动合同", "工资支付台账", "欠薪线索", "社会保障卡", "个人权益记录"]
MANNERS = ["按规定", "及时", "依法依规", "规范有序", "严格", "认真", "统筹", "分类", "全面",
           "扎实", "稳妥", "有序"]
GOALS = ["切实保障群众合法权益", "进一步优化营商环境", "推动政策直达快享", "提升经办服务效能",
         "防范化解基金风险", "促进高质量充分就业", "增强群众获得感", "压实各方主体责任",
         "确保资金安全规范使用", "实现应享尽享、应发尽发"]
HEADINGS = ["总体要求", "适用范围", "申报条件", "办理流程", "补贴标准", "资金管理", "工作要求",
            "监督检查", "职责分工", "保障措施", "政策衔接", "其他事项"]


# The 3,755 common characters (GB 2312 level 1), for the names of the companies, communities
# and projects that real notices list: they give the text a vocabulary of tens of thousands of
# words, as real items have, not the few hundred of the phrases above.
COMMON = "".join(bytes([high, low]).decode("gb2312") for high in range(0xB0, 0xD8)
                 for low in range(0xA1, 0xFF) if (high, low) < (0xD7, 0xFA))
UNITS = ["有限公司", "社区", "项目", "专业合作社", "人力资源服务有限公司", "职业技能培训学校",
         "产业园", "股份有限公司"]


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(COMMON) for _ in range(rng.randint(2, 4))) + rng.choice(UNITS)


def _sentence(rng: random.Random) -> str:
    """One sentence of the column's prose, from the vocabulary above and some numbers."""
    form = rng.randrange(6)
    if form == 5:
        return (f"经{rng.choice(PLACES)}初审、{rng.choice(BODIES)}复核，{_name(rng)}、"
                f"{_name(rng)}等{rng.randint(2, 60)}家单位符合条件，拟给予{rng.choice(THINGS)}"
                f"共计{rng.randint(1, 999)}.{rng.randint(10, 99)}万元。")
    if form == 0:
        return (f"{rng.choice(BODIES)}{rng.choice(MANNERS)}组织{rng.choice(PLACES)}"
                f"{rng.choice(SUBJECTS)}做好{rng.choice(THINGS)}{rng.choice(ACTS)}工作，"
                f"{rng.choice(GOALS)}。")
    if form == 1:
        return (f"对符合条件的{rng.choice(SUBJECTS)}，{rng.choice(MANNERS)}给予"
                f"{rng.choice(THINGS)}，标准为每人每月{rng.randint(2, 40) * 50}元，"
                f"期限最长不超过{rng.randint(1, 36)}个月。")
    if form == 2:
        return (f"截至{rng.randint(2023, 2026)}年{rng.randint(1, 12)}月底，全市累计"
                f"{rng.choice(ACTS)}{rng.choice(THINGS)}{rng.randint(100, 99999)}人次，"
                f"涉及金额{rng.randint(10, 9999)}.{rng.randint(10, 99)}万元。")
    if form == 3:
        return (f"{rng.choice(PLACES)}要结合实际，{rng.choice(MANNERS)}开展{rng.choice(THINGS)}"
                f"{rng.choice(ACTS)}，对发现的问题建立台账、限期整改，{rng.choice(GOALS)}。")
    return (f"{rng.choice(SUBJECTS)}可通过线上服务平台或者到{rng.choice(PLACES)}就近的经办窗口"
            f"办理{rng.choice(THINGS)}{rng.choice(ACTS)}，咨询电话12333。")


def _paragraph(rng: random.Random, sentences: int) -> str:
    return "".join(_sentence(rng) for _ in range(sentences))


def _body(n: int, count: int, rng: random.Random, light: bool) -> str:
    """A body like real ones: about 2,300 characters in sections under 2-4 headings, a
    numbered list, a table and two links (another item, and an outside page); ``light``:
    about 800 characters in a few paragraphs and a table, for tests that need many items."""
    if light:
        paragraphs = "\n\n".join(_paragraph(rng, rng.randint(2, 5))
                                   for _ in range(rng.randint(3, 8)))
        cost = rng.randint(1, 9) * 100
        table = f"| 项目 | 标准 |\n| --- | --- |\n| 补贴标准 | 每人每月{cost}元 |"
        return f"{paragraphs}\n\n{table}\n"
    parts = [_paragraph(rng, rng.randint(4, 7))]
    for heading in rng.sample(HEADINGS, rng.randint(2, 4)):
        parts.append(f"## {heading}")
        parts += [_paragraph(rng, rng.randint(6, 10)) for _ in range(2)]
    steps = "\n".join(f"{number}. {rng.choice(SUBJECTS)}{rng.choice(ACTS)}"
                      f"{rng.choice(THINGS)}，{rng.randint(3, 20)}个工作日内办结。"
                      for number in range(1, rng.randint(3, 6)))
    rows = "\n".join(f"| {rng.choice(PLACES)} | {rng.choice(THINGS)} | {rng.randint(1, 999)} | "
                     f"{rng.randint(1, 9999)}.{rng.randint(0, 9)} |"
                     for _ in range(rng.randint(3, 6)))
    other = (n * 7919) % count + 1
    if other % 10 == 0:  # not public: link the next one
        other = other % count + 1
    other_category = CATEGORIES[other % len(CATEGORIES)][0]
    parts += [steps, "| 地区 | 项目 | 人次 | 金额（万元） |\n| --- | --- | --- | --- |\n" + rows,
              f"相关文件见[{rng.choice(THINGS)}有关规定](../{other_category}/item-{other:05d}.md)，"
              f"政策原文见[国家政务服务平台](https://gjzwfw.www.gov.cn/)。"]
    return "\n\n".join(parts) + "\n"


def item_text(n: int, rng: random.Random, count: int = 1, light: bool = False) -> str:
    formed = dt.date(2024, 1, 2) + dt.timedelta(days=rng.randint(0, 600))
    published = _publish_day(formed, rng)
    category, _ = CATEGORIES[n % len(CATEGORIES)]
    topic = rng.choice(TOPICS)
    title = f"{rng.choice(ACTIONS)}{formed.year}年度{topic}工作的通知"
    # every tenth item is not public; the others link only items that are (n % 10 == 0 is not)
    attribute = "主动公开" if n % 10 else rng.choice(["依申请公开", "不予公开"])
    kind = "规范性文件" if category == "gfxwj" else "通知公告"
    extra = "exempt_ground: 过程性信息\n" if attribute != "主动公开" else ""
    validity = "validity: 有效\n" if kind == "规范性文件" else ""
    body = _body(n, count, rng, light or attribute != "主动公开")
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

{body}"""


def generate(target: Path, count: int, seed: int = 2025, *, light: bool = False) -> Path:
    """Write a site of ``count`` items to ``target`` (replacing it) and return it: realistic
    items (see _body), or ``light`` ones for tests."""
    if target.exists():
        shutil.rmtree(target)
    rng = random.Random(seed)
    (target / "content").mkdir(parents=True)
    (target / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    for n in range(1, count + 1):
        category, _ = CATEGORIES[n % len(CATEGORIES)]
        folder = target / "content" / category
        folder.mkdir(exist_ok=True)
        (folder / f"item-{n:05d}.md").write_text(item_text(n, rng, count, light),
                                                 encoding="utf-8")
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
