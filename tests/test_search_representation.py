"""The search representation on its own (no browser): the words written for the index and the
words sent for a query match exactly when the text contains the query.

Pagefind's two ways of matching are simulated here: a quoted phrase matches its words at
consecutive positions, an unquoted word matches every word it begins. The browser tests in
test_public_search.py check the same against the real index.
"""

from __future__ import annotations

import itertools
import random
import re

import pytest

from gxgk_site.public_search.representation import (
    END,
    SEPARATOR,
    contains,
    filter_token,
    query_words,
    represent,
    represent_slowly,
    unit_code,
)

# characters that make the cases: CJK (also at the ends of the ranges and outside them), ASCII
# letters and digits (y and z are escaped in codes), punctuation, and word characters that are
# no unit (full-width digits, kana, the Kelvin sign that lower-cases to an ASCII k)
ALPHABET = [*"社会保险费会。，、 \n|_-aZ09yzKかアＡ２·—「」",
            "\u3400", "\u4dbf", "\u9fff", "\uf900", "\ufaff", "\u212a", "\U00020000", "ab", "12"]


def random_texts(seed: int, count: int, longest: int = 30) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, longest)))
            for _ in range(count)]


def index_matches(words: list[str], query: str) -> bool:
    """What Pagefind answers for one item with these words: every part of the query matches."""
    for sent in query_words(query):
        if sent.startswith('"'):
            phrase = sent.strip('"').split()
            if not any(words[i:i + len(phrase)] == phrase for i in range(len(words))):
                return False
        elif not any(word.startswith(sent) for word in words):
            return False
    return True


@pytest.mark.parametrize("seed", range(3))
def test_the_fast_representation_is_the_unit_by_unit_one(seed: int) -> None:
    for text in random_texts(seed, 20_000):
        assert represent(text) == represent_slowly(text), text


@pytest.mark.parametrize("seed", range(3))
def test_matching_the_words_is_containing_the_query(seed: int) -> None:
    texts = random_texts(seed, 300, longest=60)
    queries = [*random_texts(seed + 100, 300, longest=4), "社会保险", "会", "险", "12", "1", "ab"]
    for text in texts:
        words = represent(text).split()
        for query in queries:
            assert index_matches(words, query) == contains(text, query), (text, query)


def test_no_code_begins_another() -> None:
    """A one-unit query is a prefix: it must match no word that starts with another unit."""
    runs = ("y", "z", "yz", "zy", "zzy", "a", "ab", "1", "12")
    codes = sorted({unit_code(chr(point)) for low, high in
                    ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
                    for point in range(low, high + 1)} | {unit_code(run) for run in runs})
    assert len(codes) == 28_096 + len(runs)
    for before, after in itertools.pairwise(codes):  # sorted: a code's extensions follow it
        assert not after.startswith(before), (before, after)
    assert all(re.fullmatch("[0-9a-z]+", code) for code in codes)  # one word for Pagefind
    for other in (END, SEPARATOR, filter_token("column", "工作动态")):
        assert not any(other.startswith(code) or code.startswith(other) for code in codes)


def test_a_pair_never_spans_punctuation() -> None:
    words = represent("社会，保险").split()
    assert query_words("会保")[0].strip('"') not in words
    assert words == [unit_code("社") + unit_code("会"), unit_code("会") + END,
                     unit_code("保") + unit_code("险"), unit_code("险") + END]
