"""What the public search index holds, and how a query is turned into the same form.

Pagefind segments Chinese into words, and the browser segments a query differently from the
index, so plain queries are neither complete nor exact. Instead the index holds a search-only
representation of each item: the text cut into units (each CJK character, each run of ASCII
letters and digits), units separated by spaces, and runs of text broken at punctuation by a
separator token that no query contains. A query in the same form, sent as a quoted phrase,
matches exactly the items whose text contains it: consecutive units at consecutive positions,
never across punctuation. ``search.js`` does the same cutting in the browser (one quoted phrase
per part of the query, the separator word dropped); the browser tests check its results against
``contains`` below.
"""

from __future__ import annotations

import hashlib
import re

SEPARATOR = "qzxq"  # between runs of text, so that no phrase spans punctuation
_UNIT = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[A-Za-z0-9]+")
_RUN_BREAK = re.compile(r"[^\w]+")
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


def represent(text: str) -> str:
    """The indexed form of ``text`` (lower-cased once at the end: units are CJK characters and
    ASCII runs, so this is the same as lower-casing each unit, at a fraction of the cost)."""
    runs = (" ".join(_UNIT.findall(run)) for run in _RUN_BREAK.split(text))
    return f" {SEPARATOR} ".join(run for run in runs if run).lower()


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
