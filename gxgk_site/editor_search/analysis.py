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

Latin letters and digits make lower-cased words (full-width forms folded to ASCII first).
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
# Full-width ASCII (Ａ-Ｚ, ０-９, …) folded to ASCII, one character for one.
FOLD_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of CJK characters or one Latin/number word, with where it is in the text."""

    text: str
    cjk: bool
    start: int


def segments(text: str) -> list[Segment]:
    """The CJK runs and words of ``text``, in order; punctuation and spaces only separate."""
    folded = text.translate(FOLD_WIDTH)
    return [Segment(m.group(0) if m.lastgroup == "cjk" else m.group(0).lower(),
                    m.lastgroup == "cjk", m.start())
            for m in SEGMENT.finditer(folded)]


def run_tokens(run: str) -> list[str]:
    """One token per character of a CJK run: the character and the next; the last one alone."""
    return [run[index:index + 2] for index in range(len(run))]


def tokens(text: str) -> list[str]:
    """The index terms of ``text``, in position order (for tests and the benchmark)."""
    found: list[str] = []
    for segment in segments(text):
        found.extend(run_tokens(segment.text) if segment.cjk else [segment.text])
    return found


class BigramTokenizer(Tokenizer):
    """A whoosh tokenizer producing the tokens described in the module docstring."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

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
        for segment in segments(value):
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

