"""YAML reading: the fast walk gives what PyYAML's safe loader gives, values and key lines.

Item front-matter is read by the fast walk (yamlio._fast) unless it holds something the walk
leaves to the safe loader; either way the result must be the safe loader's, typed by the same
YAML 1.1 rules (dates, numbers, booleans, nulls), with the same line for every key path.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from gxgk_site import yamlio
from gxgk_site.frontmatter import split

ROOT = Path(__file__).resolve().parent.parent

DOCUMENTS = [
    # dates and times
    "formed: 2025-03-03\nchanged: 2025-3-3\nat: 2025-03-03 10:00:00\ntz: 2025-03-03T10:00:00+08:00",
    # numbers in YAML 1.1's spellings, and what only looks like one
    "a: 12\nb: -5\nc: +5\nd: 0x1F\ne: 0o17\nf: 017\ng: 1_000\nh: 1:30\ni: 1.5\nj: .5\nk: 1e3",
    "a: .inf\nb: -.Inf\nc: .NaN\nd: 1.0e+3\ne: 6.8523015e+5",
    # booleans and nulls
    "a: yes\nb: No\nc: ON\nd: off\ne: true\nf: False\ng: y\nh: n\ni: ~\nj: null\nk: Null\nl:",
    # strings: quoted, blocks, Chinese, colons and hashes inside
    "a: '2025-03-03'\nb: \"12\"\nc: |\n  第一行\n  第二行\nd: >\n  折叠\n  文本\n"
    "e: 关于调整社会保险的通知",
    "a: 示人社发〔2025〕12号\nb: a:b\nc: 'it''s'\nd: \"tab\\there\"\ne: 电话 12333 # 注释",
    # keys that are not strings, nesting, flow style
    "1: 一\nyes: 是\n~: 空\n2025-01-01: 元旦\na: 1\n'1': 一",
    "reviewers:\n  first: {name: 周晓岚, date: 2024-03-03}\n  second:\n    name: 许文涛\n"
    "    date: 2024-03-04\nkeywords: [养老, 保险, 2025]\n"
    "list:\n  - a: 1\n    b: [x, {y: z}]\n  - - 1\n    - 2",
    "- 1\n- 二\n- {a: 2025-01-02}\n- [yes, no]",
    # what the walk leaves to the safe loader: tags, anchors and aliases, merge keys, a
    # document that is one scalar (a full-width colon makes one), an empty one
    "a: !!str 2025\nb: !!int '12'",
    "base: &b {x: 1}\nother: *b\nmerged:\n  <<: *b\n  y: 2",
    "<<: {x: 1}\ny: 2",
    "只是一行文字",
    "title：全角冒号",
    "",
    "# 只有注释\n",
]

BAD = ["date: 2025-02-30", "a: [1, 2", "a: b: c", "title：全角冒号\nb: 1", "\ta: 1",
       "a: !!python/name:os.system", "? [a, b]\n: c", "a: =",
       # a key given twice: YAML keeps the last one silently, gxgk refuses the document
       "a: 1\nb: 2\na: 3", "r:\n  x: 1\n  y: 2\n  x: 1", "r: {x: 1, x: 2}",
       "- {x: 1}\n- {y: 1, y: 2}"]


def same(left: Any, right: Any) -> bool:
    """Equal, counting NaN as equal to itself."""
    if isinstance(left, float) and isinstance(right, float) and math.isnan(left):
        return math.isnan(right)
    if isinstance(left, dict) and isinstance(right, dict):
        return (list(left) == list(right)
                and all(same(left[key], right[key]) for key in left))
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(same, left, right))
    return type(left) is type(right) and left == right


@pytest.mark.parametrize("text", DOCUMENTS)
def test_the_fast_walk_reads_as_the_safe_loader(text: str) -> None:
    value, lines = yamlio.load(text)
    expected, expected_lines = yamlio._load_safely(text)
    assert same(value, expected), (value, expected)
    assert lines == expected_lines


@pytest.mark.parametrize("text", BAD)
def test_bad_yaml_is_the_safe_loaders_error(text: str) -> None:
    with pytest.raises(yamlio.YamlProblem) as fast:
        yamlio.load(text)
    with pytest.raises(yamlio.YamlProblem) as safe:
        yamlio._load_safely(text)
    assert (fast.value.message, fast.value.line) == (safe.value.message, safe.value.line)


def test_every_demo_file_takes_the_fast_walk_and_reads_the_same() -> None:
    texts = [split(path.read_text(encoding="utf-8")).meta
             for path in sorted((ROOT / "content").rglob("*.md")) if path.name != "guide.md"]
    texts += [path.read_text(encoding="utf-8") for path in
              [ROOT / "site.yaml", *sorted((ROOT / "data").rglob("*.yaml"))]]
    assert len(texts) > 30
    for text in texts:
        fast = yamlio._fast(text)  # raises if the walk left it to the safe loader
        safe = yamlio._load_safely(text)
        assert same(fast[0], safe[0]) and fast[1] == safe[1]
