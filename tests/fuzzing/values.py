"""Hostile values: YAML snippets to put where a value goes, and texts to embed in fields.

A *raw* value is YAML source text (``[[[1]]]``, ``!!binary …``, ``9999-12-31``); a *payload* is a
string that, once inside a page, tells whether it was escaped and kept as text: each payload
carries what must never be found in the output (``forbid_markup``: raw markup in HTML/XML;
``forbid_anywhere``: an evaluated template expression) and what must stay whole (``intact``: a
probe and the literal it belongs to: where the probe is, the literal must be too).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

EXTREME_DATES = (
    "0001-01-01", "9999-12-31", "2025-02-30", "2025-02-29", "2024-02-29", "2025-13-01",
    "2025-00-10", "1900-01-01", "1969-12-31", "2100-01-01", "10000-01-01", "2025-3-3",
    "2025/03/03", "20250303", "'2025-03-03'", "2025-03-03 10:00", "2025-03-03 25:61",
    "2025-03-03T10:00:00+08:00", "2025-03-03 23:59:59.999999999 -12:00",
    "2025-03-03t00:00:00Z", "9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00",
    "9999-12-31 23:59", "0001-01-01 00:00", "2026-11-21", "2026-11-20", "2038-01-19",
    "-2025-01-01", "2025-W10", "二〇二五年三月三日",
)

# the ends of the calendar, an impossible day and a time zone (half of the extreme dates)
EDGE_DATES = ("0001-01-01", "9999-12-31", "2025-02-30", "2025-03-03T10:00:00+08:00")

SCALARS = (
    "~", "null", "''", '""', "[]", "{}", "[~]", "{~: ~}", "0", "-1", "1e400", "-1e400", ".inf",
    "-.inf", ".nan", "99999999999999999999999999999999", "-99999999999999999999999",
    "0x7fffffffffffffff", "0o777", "1_000", "12:30:00", "3.14", "-0", "true", "false", "yes",
    "no", "on", "off", "'0'", "' '", "'\t'", "=", "-", "[a, [b, [c]]]", "{a: {b: {c: d}}}",
    "[[], {}, ~, '', 0]", "|\n  多行\n  文本", ">-\n  折叠\n  文本",
)

TAGS = (
    "!!python/object/apply:os.system ['echo GXGK-PWNED']",
    "!!python/object:builtins.dict {}", "!!python/name:os.system ''",
    "!!python/tuple [1, 2]", "!!binary aGVsbG8gd29ybGQ=", "!!binary 'not base64!'",
    "!!set {a, b}", "!!omap [a: 1, b: 2]", "!!pairs [a: 1, a: 2]", "!!timestamp 2025-03-03",
    "!!timestamp 'not a date'", "!!str 2025-03-03", "!!int '12'", "!!int 'twelve'",
    "!!float 1", "!!bool 'yes'", "!!null ''", "!custom value", "!<tag:example.com,2025:x> 1",
    "!!map {a: 1}", "!!seq [1]", "!!str", "!!merge x", "*undefined_alias",
    "{<<: {a: 1}, b: 2}", "{<<: [{a: 1}, {b: 2}]}", "{<<: 5}", "&anchor value",
    "[&x a, *x, *x]",
)

# YAML double-quoted strings with escapes: control characters, NUL, lone surrogates, …
ESCAPED = (
    r'"\0"', r'"a\x00b"', r'"\x01\x07\x08\x0b\x0c\x1b[31mred\x7f"', r'"\ud800"',
    r'"\udfff tail"', r'"\ud83d"', r'"\U0010FFFF"', r'"\uFFFE\uFFFF"', r'"\u202eevil\u202c"',
    r'"\u200b\u200c\u200d\u2060"', r'"\ufeffbom"', r'"\N\_\L\P"', r'"\t\r\n\v"', r'"\x85"',
    r'"\e]0;title\a"', r'"\xff\xfe"',
)

UNICODE = (
    "👨‍👩‍👧‍👦🇨🇳🏳️‍🌈", "𠀀𪚥𰻞𱁬", "‮مرحبا‭", "Z̸̢̛͚̓a̷̡͎l̶̢̛g̴o̷",
    "ﾃｽﾄ　全角スペース", "\u3000\u3000\u3000", "𝕿𝖊𝖘𝖙", "ᄀᄀᄀ", "ﷺ﷽",
    "a\u0300\u0301\u0302\u0303\u0304", "\u2028line\u2029para", "\u00a0\u2007\u202f",
    "\ufe0f\ufe0e", "丂丄丅丆丏丒", "㐀㐁㐂", "\U000e0001\U000e0065\U000e007f",
)


def quote(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def deep_flow(depth: int, mapping: bool) -> str:
    if mapping:
        return "{a: " * depth + "1" + "}" * depth
    return "[" * depth + "1" + "]" * depth


def deep_block(depth: int) -> str:
    """A block mapping nested ``depth`` levels deep, one space more per level (multi-line)."""
    lines = [" " * level + "a:" for level in range(depth - 1)]
    lines.append(" " * (depth - 1) + "a: 1")
    return "\n".join(lines)


def deep_compact_sequence(depth: int) -> str:
    """``- - - - x``: a block sequence nested ``depth`` levels deep on one line."""
    return "\n" + "- " * depth + "x"


def alias_bomb(levels: int, width: int = 9) -> str:
    """A few hundred bytes that expand to ``width ** levels`` leaves when anchors are expanded."""
    parts = ["&a0 [" + ", ".join(["lol"] * width) + "]"]
    for level in range(1, levels + 1):
        parts.append(f"&a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    return "[" + ", ".join(parts) + "]"


def huge_string(rng: random.Random, size: int = 1_000_000) -> str:
    unit = rng.choice(("x", "公开", "𠀀", "<", "&amp;", "\\"))
    return quote(unit * (size // len(unit.encode("utf-8"))))


def long_list(count: int = 100_000) -> str:
    return "[" + ", ".join(["1"] * count) + "]"


def type_changes(rng: random.Random) -> str:
    return rng.choice(SCALARS)


def valid_id_number(rng: random.Random) -> str:
    """A citizen ID number (GB 11643) with a valid check digit and birth date."""
    body = f"110105{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}" \
           f"{rng.randint(100, 999)}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(digit) * weight for digit, weight in zip(body, weights, strict=True))
    return body + "10X98765432"[total % 11]


@dataclass(frozen=True)
class Payload:
    """A text to plant and what it must (not) become in the output."""

    text: str
    forbid_markup: tuple[str, ...] = ()
    forbid_anywhere: tuple[str, ...] = ()
    intact: tuple[tuple[str, str], ...] = ()


PLACEHOLDERS = ("qr", "partial-0", "partial-1", "partial-99999", "body", "lang", "other-lang",
                "switch-href", "switch-label", "self-url", "up")


def _markup(n: int) -> list[Payload]:
    return [
        Payload(f"<script>gxgkxss({n})</script>", forbid_markup=(f"<script>gxgkxss({n})",)),
        Payload(f'"><img src=x onerror=gxgkxss({n})>',
                forbid_markup=(f"<img src=x onerror=gxgkxss({n})",)),
        Payload(f"</title><script>gxgkxss({n})</script>",
                forbid_markup=(f"<script>gxgkxss({n})",)),
        Payload(f"]]><script>gxgkxss({n})</script><![CDATA[",
                forbid_markup=(f"<script>gxgkxss({n})",)),
        Payload(f"--><script>gxgkxss({n})</script><!--",
                forbid_markup=(f"<script>gxgkxss({n})",)),
        Payload(f"</script><script>gxgkxss({n})</script>",
                forbid_markup=(f"<script>gxgkxss({n})",)),
        Payload(f"<svg/onload=gxgkxss({n})>", forbid_markup=(f"<svg/onload=gxgkxss({n})",)),
    ]


def _templates(n: int) -> list[Payload]:
    return [
        Payload(f"gxgkjj{n}{{{{ 7*7 }}}}jj", forbid_anywhere=(f"gxgkjj{n}49jj",)),
        Payload(f"gxgkjs{n}{{{{ 7*'7' }}}}js", forbid_anywhere=(f"gxgkjs{n}7777777js",)),
        Payload(f"gxgkjf{n}{{% if 1 %}}yes{{% endif %}}jf", forbid_anywhere=(f"gxgkjf{n}yesjf",)),
        Payload("{{ self.__init__.__globals__ }}{% raw %}{{ x }}"),
        Payload("{{ 1/0 }} {% for x in range(10) %}{{ x }}{% endfor %} {# c #}"),
        Payload("${7*7} <%= 7*7 %> #{7*7} {7*7}"),
    ]


def _placeholders(n: int) -> list[Payload]:
    out = []
    for name in PLACEHOLDERS:
        literal = f"gxgkph{n}a @@gxgk-{name}@@ gxgkph{n}b"
        out.append(Payload(literal, intact=((f"gxgkph{n}a", literal),)))
    return out


def _spreadsheet(n: int) -> list[Payload]:
    return [Payload(f'=HYPERLINK("http://example.invalid","gxgkcsv{n}")'),
            Payload(f"+gxgkcsv{n}+1"), Payload(f"-gxgkcsv{n}-1"), Payload(f"@SUM(gxgkcsv{n})"),
            Payload(f"\tgxgkcsv{n}"), Payload(f"=1+1 gxgkcsv{n}"), Payload(f"\r=gxgkcsv{n}")]


def payloads(n: int) -> list[Payload]:
    """Every payload, numbered ``n`` so that its markers belong to one planting."""
    return _markup(n) + _templates(n) + _placeholders(n) + _spreadsheet(n)


def payload(rng: random.Random, n: int) -> Payload:
    return rng.choice(payloads(n))
