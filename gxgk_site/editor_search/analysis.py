"""Text analysis for the editors' search: overlapping character bigrams for Chinese.

A word segmenter (jieba) cuts 社会保险费 as one word, so 社会保险 is not found inside it. Here a
run of CJK characters becomes one token per character: the character and the next one (a bigram),
and for the last character of the run the character alone. 社会保险费 is indexed as
社会 会保 保险 险费 费 at consecutive positions, so that

- a query of n ≥ 2 characters is the phrase of its n - 1 bigrams at consecutive positions: it
  matches exactly the texts containing that string (社会保险 needs 会保, which 社会，保险 lacks);
- a query of one character is a prefix: the tokens starting with it (every occurrence of a
  character starts exactly one token);
- the lone character at the end of a run marks where the run stops, so a query mixing runs and
  Latin words or numbers (示人社发〔2025〕12号) matches them in the same order, side by side.

Latin letters and digits make lower-cased words (full-width forms folded to ASCII first). In
codes (index and document numbers, ``split_words``) each run of letters and each run of digits
is a word: 11990100MB0123456X is 11990100 mb 0123456 x, so that a part of the agency's code is
found (MB0123*) as well as the whole code (a phrase of its parts).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from whoosh.analysis import Token, Tokenizer

# Han ideographs (with extensions and compatibility forms), 〇, kana, and Hangul syllables.
CJK_RANGES = ("\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
              "\U00020000-\U0003134f")
SEGMENT = re.compile(f"(?P<cjk>[{CJK_RANGES}]+)|(?P<word>[^\\W_{CJK_RANGES}]+)")
# In a query, a word may hold the wildcards * and ?.
QUERY_SEGMENT = re.compile(f"(?P<cjk>[{CJK_RANGES}]+)|(?P<word>(?:[^\\W_{CJK_RANGES}]|[*?])+)")
# The parts of a word of a code: runs of letters, runs of digits (in a query, with the wildcards
# beside them; a wildcard between a run of letters and one of digits goes with the first).
CODE_PARTS = re.compile(r"[^\W\d_]+|\d+")
QUERY_CODE_PARTS = re.compile(r"[*?]*(?:[^\W\d_]+|\d+)[*?]*|[*?]+")
# Full-width ASCII (Ａ-Ｚ, ０-９, …) folded to ASCII, one character for one.
FOLD_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of CJK characters or one Latin/number word, with where it is in the text."""

    text: str
    cjk: bool
    start: int


def segments(text: str, split_words: bool = False, wildcards: bool = False) -> list[Segment]:
    """The CJK runs and words of ``text``, in order; punctuation and spaces only separate.

    ``split_words``: a word is cut into its runs of letters and of digits (codes).
    ``wildcards``: words keep the * and ? in them (a query).
    """
    folded = text.translate(FOLD_WIDTH)
    pattern = QUERY_SEGMENT if wildcards else SEGMENT
    if not split_words:
        return [Segment(m.group(0) if m.lastgroup == "cjk" else m.group(0).lower(),
                        m.lastgroup == "cjk", m.start())
                for m in pattern.finditer(folded)]
    parts = QUERY_CODE_PARTS if wildcards else CODE_PARTS
    found: list[Segment] = []
    for m in pattern.finditer(folded):
        if m.lastgroup == "cjk":
            found.append(Segment(m.group(0), True, m.start()))
        else:
            found.extend(Segment(part.group(0).lower(), False, m.start() + part.start())
                         for part in parts.finditer(m.group(0)))
    return found


def run_tokens(run: str) -> list[str]:
    """One token per character of a CJK run: the character and the next; the last one alone."""
    return [run[index:index + 2] for index in range(len(run))]


def tokens(text: str, split_words: bool = False) -> list[str]:
    """The index terms of ``text``, in position order (for tests and the benchmark)."""
    found: list[str] = []
    for segment in segments(text, split_words):
        found.extend(run_tokens(segment.text) if segment.cjk else [segment.text])
    return found


class BigramTokenizer(Tokenizer):
    """A whoosh tokenizer producing the tokens described in the module docstring."""

    def __init__(self, split_words: bool = False) -> None:
        self.split_words = split_words

    def __eq__(self, other: object) -> bool:
        return (type(other) is type(self)
                and getattr(other, "split_words", None) == self.split_words)

    def __hash__(self) -> int:
        return hash((type(self), self.split_words))

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "",
                 **kwargs: object) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = value
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        pos = start_pos
        for segment in segments(value, self.split_words):
            pieces = run_tokens(segment.text) if segment.cjk else [segment.text]
            for offset, text in enumerate(pieces):
                token.text = text
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    token.original = text
                if positions:
                    token.pos = pos
                if chars:
                    begin = segment.start + (offset if segment.cjk else 0)
                    token.startchar = start_char + begin
                    token.endchar = token.startchar + len(text)
                pos += 1
                yield token

