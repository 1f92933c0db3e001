"""What the public search index holds, and how a query is turned into the same form.

Pagefind segments Chinese into words, and the browser segments a query differently from the
index, so plain queries are neither complete nor exact. Instead the index holds a search-only
representation of each item. The text is cut into runs at punctuation and each run into units
(each CJK character, each run of ASCII letters and digits). Each unit becomes one word of the
index: the unit together with the unit after it in its run, or with ``END`` for the last one,
spelled in ASCII letters and digits (``unit_code``) so that Pagefind keeps it whole:

    社会保险。  ->  <社><会> <会><保> <保><险> <险>m

A query of several units is the quoted phrase of its own pairs (社会保险 -> "<社><会> <会><保>
<保><险>"): consecutive pairs at consecutive positions, which is exactly the query's units in a
row within one run of the text, never across punctuation. A query of one unit is its code
unquoted, a prefix that Pagefind matches against every word starting with it: every occurrence
of that unit (no code is the beginning of another). Pairs are rarer words than single
characters, so a query downloads a smaller part of the index: a pair such as 会保 has a fraction
of the postings of 会 (a first query at 10,000 items fell from 556 to 427 KB with pairs).
``search.js`` does the same cutting in the browser (one search per part of the query); the
browser tests check its results against ``contains`` below.
"""

from __future__ import annotations

import functools
import hashlib
import re

SEPARATOR = "qzxq"  # a word no query sends (the only word of the bottom page, search_index.py)
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_UNIT = re.compile(f"[{_CJK}]|[A-Za-z0-9]+")
_RUN_BREAK = re.compile(r"[^\w]+")
_NOT_UNIT = re.compile(f"[^{_CJK}A-Za-z0-9|]+")  # after run breaks were marked with "|"
_MARKS = re.compile(r"[|-]*\|[|-]*")
_ASCII_RUN = re.compile(r"[a-z0-9]+")
_FIRST_OF_RUN = re.compile(r"\|(?:[0-9a-l][0-9a-z]{2}|x(?:z[yz]|[0-9a-x])*y) ")
END = "m"  # the code after the last unit of a run
_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_SYNTAX = re.compile(r"[#*_`~>|]+|^\s*[-+]\s|^\s*\d+\.\s|-{3,}", re.MULTILINE)


def filter_token(name: str, value: str) -> str:
    """The word that marks an item as having ``value`` for the filter ``name``.

    Filters are words of the index rather than Pagefind filters: Pagefind writes its filter
    files in a different order on every run, and the output must be byte-identical. Selecting a
    filter searches its word, and the results are intersected like the parts of a query.
    """
    digest = hashlib.blake2s(f"{name}:{value}".encode(), digest_size=5).hexdigest()
    return f"qzf{digest}"


def plain_text(markdown: str) -> str:
    """Readable text of a Markdown body: link texts kept, syntax characters dropped."""
    text = _MARKDOWN_LINK.sub(r"\1", markdown)
    text = _MARKDOWN_SYNTAX.sub(" ", text)
    return re.sub(r"[ \t]+", " ", text).strip()


def units(run: str) -> list[str]:
    return [unit.lower() for unit in _UNIT.findall(run)]


_SYMBOLS = "0123456789abcdefghijklmnopqrstuvwxyz"  # Pagefind keeps letters and digits as one word
_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))  # 28,096 code points


@functools.cache
def unit_code(unit: str) -> str:
    """A unit spelled in letters and digits, no code the beginning of another.

    A CJK character is its place among the CJK code points in three base-36 symbols (the first
    is one of 0-9a-l: 28,096 < 22 * 36²). An ASCII run (lower case) is x, the run with y and z
    escaped as zy and zz, and y: it ends at the first y that is not escaped. END is m, which
    begins no code. Filter words and the separator begin with q, which begins no code either.
    """
    if _ASCII_RUN.fullmatch(unit):
        return "x" + unit.replace("z", "zz").replace("y", "zy") + "y"
    place, point = 0, ord(unit)
    for low, high in _CJK_RANGES:
        if low <= point <= high:
            place += point - low
            break
        place += high - low + 1
    else:
        raise ValueError(f"not a unit: {unit!r}")
    return _SYMBOLS[place // 1296] + _SYMBOLS[place // 36 % 36] + _SYMBOLS[place % 36]


def query_words(query: str) -> list[str]:
    """What search.js sends for a query, one search per part (the parts between punctuation,
    which must all match): a quoted phrase of the part's pairs, or a single unit's code as a
    prefix."""
    sent = []
    for part in _RUN_BREAK.split(query):
        codes = [unit_code(unit) for unit in units(part)]
        if len(codes) == 1:
            sent.append(codes[0])
        elif codes:
            sent.append('"' + " ".join(map(str.__add__, codes, codes[1:])) + '"')
    return sent


@functools.cache
def _pairs_table() -> dict[int, str | None]:
    """str.translate table: each CJK character to its code, the end of its word, and the start
    of the next word (see represent); the run mark "|" to END and the mark."""
    table: dict[int, str | None] = {}
    for low, high in _CJK_RANGES:
        for point in range(low, high + 1):
            code = unit_code(chr(point))
            table[point] = f"{code} {code}"
    table[ord("|")] = END + "|"
    table[ord("-")] = None  # where a character that is no unit was, inside a run
    return table


def _ascii_twice(match: re.Match[str]) -> str:
    code = unit_code(match.group())
    return f"{code} {code}"


def represent(text: str) -> str:
    """The indexed form of ``text``: the words of its unit pairs (see the module's doc).

    Computed with whole-string operations, as this runs on every character of every item: runs
    are marked with "|" and characters that are no unit with "-" (dropped in the end, they keep
    ASCII runs apart), and each unit written as its code twice (closing the previous word,
    opening the next); the stray first code of each run is then removed. The result is the
    same as pairing the ``units`` of each run."""
    marked = _NOT_UNIT.sub("-", _RUN_BREAK.sub("|", text)).lower()
    if not _UNIT.search(marked):
        return ""
    marked = _MARKS.sub("|", f"|{marked}|")
    spelled = _ASCII_RUN.sub(_ascii_twice, marked).translate(_pairs_table())
    return _FIRST_OF_RUN.sub(" ", spelled)[2:-1]


def represent_slowly(text: str) -> str:
    """``represent`` unit by unit: the definition it is tested against."""
    words = []
    for run in _RUN_BREAK.split(text):
        found = units(run)
        codes = [unit_code(unit) for unit in found] + [END]
        words += map(str.__add__, codes, codes[1:])
    return " ".join(words)


def contains(text: str, query: str) -> bool:
    """What the index answers, computed directly: does ``text`` contain every part of the query
    (units in order within one run)? The ground truth for tests and benchmarks."""
    runs = [units(run) for run in _RUN_BREAK.split(text)]
    for part in _RUN_BREAK.split(query):
        wanted = units(part)
        if wanted and not any(_has_sublist(run, wanted) for run in runs):
            return False
    return True


def _has_sublist(haystack: list[str], needle: list[str]) -> bool:
    size = len(needle)
    return any(haystack[i:i + size] == needle for i in range(len(haystack) - size + 1))
