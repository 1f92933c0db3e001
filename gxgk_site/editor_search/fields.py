"""The whoosh field types of the editors' index, each parsing its own part of a query.

``ExactText`` turns a query word into the exact-substring query of ``analysis`` (a phrase of
bigrams, a prefix for one character, the terms a wildcard allows in a Latin word or number; in
codes, ``split_words``, the runs of letters and of digits of a word); ``DateField`` reads
dates as editors write them (2025, 2025-03, 2025-03-01, 20250301, today) and makes every term
a range of whole days.
A problem raises ``QueryProblem``, whose message is shown to the editor as it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator

from whoosh import fields, query
from whoosh.matching import ListMatcher, Matcher, NullMatcher
from whoosh.searching import Searcher

from gxgk_site.editor_search.analysis import CJK_RANGES, BigramTokenizer, run_tokens, segments
from gxgk_site.findings import quoted


class QueryProblem(Exception):
    """A query that cannot be run; the message says what is wrong and how to write it."""


WILDCARDS = re.compile(r"[*?]")
CJK_CHAR = f"[{CJK_RANGES}]"
# A * at either end of a text that goes on or starts with Chinese (or punctuation) adds nothing:
# Chinese already matches inside longer words.
LOOSE_ENDS = re.compile(rf"^\*+(?={CJK_CHAR}|[^\w*?])|(?<={CJK_CHAR})\*+$|(?<=[^\w*?])\*+$")
BESIDE_CJK = re.compile(rf"{CJK_CHAR}[*?]|[*?]{CJK_CHAR}")


def exact_query(fieldname: str, text: str, boost: float = 1.0,
                split_words: bool = False) -> query.Query | None:
    """Documents whose ``fieldname`` contains ``text`` (punctuation and spaces only separate).

    A Latin word or number with wildcards (* ?) matches the words they allow; ``split_words``
    (codes) cuts words into runs of letters and of digits as the index does. None when
    ``text`` has nothing to search for (only punctuation).
    """
    if WILDCARDS.search(text):
        if not WILDCARDS.sub("", text).strip():
            return query.Every(fieldname, boost=boost)  # title:* — every item with a title
        text = LOOSE_ENDS.sub("", text)
        if BESIDE_CJK.search(text):
            raise QueryProblem(f"{quoted(text)}: wildcards (* ?) work on Latin letters and numbers "
                               "only; Chinese text already matches inside longer words, so "
                               "drop them")
    parts = segments(text, split_words, wildcards=True)
    steps: list[query.Query] = []
    for index, segment in enumerate(parts):
        if not segment.cjk:
            steps.append(_word_query(fieldname, segment.text))
        elif index < len(parts) - 1:  # the run ends where the next word starts
            steps.extend(query.Term(fieldname, token) for token in run_tokens(segment.text))
        elif len(segment.text) == 1:  # any token starting with the character
            steps.append(query.Prefix(fieldname, segment.text))
        else:  # the run may go on in the text: its bigrams only
            steps.extend(query.Term(fieldname, token)
                         for token in run_tokens(segment.text)[:-1])
    if not steps:
        return None
    if len(steps) == 1:
        single = steps[0]
        single.boost = boost
        return single
    if all(isinstance(step, query.Term) for step in steps):
        return query.Phrase(fieldname, [step.text for step in steps], boost=boost)
    return query.Sequence([_positioned(step) for step in steps], slop=1, ordered=True,
                          boost=boost)


def _word_query(fieldname: str, word: str) -> query.Query:
    """One Latin word or number of a query: a term, or with * and ? the terms they allow."""
    if not WILDCARDS.search(word):
        return query.Term(fieldname, word)
    if not word.strip("*"):  # any one word (whoosh would make "*" every document, no word)
        return query.Wildcard(fieldname, "?*")
    if word.endswith("*") and not WILDCARDS.search(word[:-1]):
        return query.Prefix(fieldname, word[:-1])
    return query.Wildcard(fieldname, word)


class _KeepsPositions:
    """The terms a pattern matches, joined so that their positions are kept for a Sequence.

    Whoosh joins more than 1,024 terms (or more than two in an index of at most 5,000
    documents, unless asked otherwise) with a matcher without positions, and a Sequence then
    fails ("Field does not support spans"); its union that keeps them is a tree of matchers,
    slow for thousands of terms. Here every document's positions are collected at once.
    """

    def matcher(self, searcher: Searcher, context: object = None) -> Matcher:
        pattern: query.PatternQuery = self  # type: ignore[assignment]  # mixed into one
        reader = searcher.reader()
        found: defaultdict[int, list[int]] = defaultdict(list)
        for word in pattern._btexts(reader):
            postings = reader.postings(pattern.fieldname, word)
            while postings.is_active():
                found[postings.id()].extend(postings.value_as("positions"))
                postings.next()
        if not found:
            return NullMatcher()
        form = searcher.schema[pattern.fieldname].format
        docs = sorted(found)
        return ListMatcher(docs, [len(found[doc]) * pattern.boost for doc in docs],
                           [form.encode(sorted(found[doc])) for doc in docs], form)

    def normalize(self) -> query.Query:
        return self  # type: ignore[return-value]  # already the query it means


class _PositionedPrefix(_KeepsPositions, query.Prefix):
    pass


class _PositionedWildcard(_KeepsPositions, query.Wildcard):
    pass


def _positioned(step: query.Query) -> query.Query:
    """``step`` as a part of a Sequence."""
    if isinstance(step, query.Prefix):
        return _PositionedPrefix(step.fieldname, step.text)
    if isinstance(step, query.Wildcard):
        return _PositionedWildcard(step.fieldname, step.text)
    return step


class ExactText(fields.TEXT):
    """Text analysed into bigrams, where every query word is an exact substring search."""

    def __init__(self, stored: bool = False, field_boost: float = 1.0,
                 split_words: bool = False) -> None:
        super().__init__(analyzer=BigramTokenizer(split_words), phrase=True, stored=stored,
                         field_boost=field_boost)
        self.split_words = split_words  # a code: runs of letters and of digits are words

    def index(self, value: str, **kwargs: object) -> Iterator[tuple[bytes, int, float, bytes]]:
        """(term, frequency, weight, encoded positions) for each term of ``value``.

        The same terms and positions as the analyser gives, computed directly: whoosh's token
        pipeline costs more than the rest of indexing.
        """
        positions: dict[str, list[int]] = defaultdict(list)
        position = 0
        for segment in segments(value, self.split_words):
            if segment.cjk:
                for token in run_tokens(segment.text):
                    positions[token].append(position)
                    position += 1
            else:
                positions[segment.text].append(position)
                position += 1
        boost = self.format.field_boost
        encode = self.format.encode
        for term, where in positions.items():
            yield term.encode("utf-8"), len(where), len(where) * boost, encode(where)

    def self_parsing(self) -> bool:
        return True

    def parse_query(self, fieldname: str, qstring: str, boost: float = 1.0) -> query.Query:
        found = exact_query(fieldname, qstring, boost, self.split_words)
        return found if found is not None else query.NullQuery

    def parse_range(self, fieldname: str, start: str | None, end: str | None,
                    startexcl: bool, endexcl: bool, boost: float = 1.0) -> query.Query:
        raise QueryProblem("ranges ([… TO …], >, <) work on the dates only: write "
                           "formed:[…] or published:[…]")


DATE_FORMS = (
    re.compile(r"(?P<y>\d{4})(?:(?P<m>\d{2})(?P<d>\d{2})?)?"),
    re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})(?:[-/.](?P<d>\d{1,2}))?"),
)
HOW_TO_WRITE_DATES = ("write YYYY, YYYY-MM, YYYY-MM-DD (or YYYYMMDD), or today; "
                      "a range is [20250101 TO 20251231]")


class DateField(fields.DATETIME):
    """A day, searched as the span of days a query term names (2025 is the whole year)."""

    def __init__(self, stored: bool = False, today: dt.date | None = None) -> None:
        super().__init__(stored=stored)
        self.today = today

    def span(self, fieldname: str, text: str) -> tuple[dt.date, dt.date]:
        """The first and last day that ``text`` names."""
        value = text.strip()
        if value.lower() == "today":
            if self.today is None:
                raise QueryProblem(f"{fieldname}: 'today' is not known here")
            return self.today, self.today
        for form in DATE_FORMS:
            match = form.fullmatch(value)
            if match is None:
                continue
            year = int(match["y"])
            month = int(match["m"]) if match["m"] else None
            day = int(match["d"]) if match["d"] else None
            try:
                if month is None:
                    return dt.date(year, 1, 1), dt.date(year, 12, 31)
                first = dt.date(year, month, day or 1)
                if day is not None:
                    return first, first
                following = dt.date(year + month // 12, month % 12 + 1, 1)
                return first, following - dt.timedelta(days=1)
            except ValueError as exc:
                raise QueryProblem(f"{fieldname}: {quoted(text)} is not a date ({exc})") from None
        raise QueryProblem(f"{fieldname}: {quoted(text)} is not a date; {HOW_TO_WRITE_DATES}")

    def parse_query(self, fieldname: str, qstring: str, boost: float = 1.0) -> query.Query:
        first, last = self.span(fieldname, qstring)
        return query.DateRange(fieldname, _start_of(first), _end_of(last), boost=boost)

    def parse_range(self, fieldname: str, start: str | None, end: str | None,
                    startexcl: bool, endexcl: bool, boost: float = 1.0) -> query.Query:
        low = high = None
        if start:
            first, last = self.span(fieldname, start)
            low = _start_of(last + dt.timedelta(days=1) if startexcl else first)
        if end:
            first, last = self.span(fieldname, end)
            high = _end_of(first - dt.timedelta(days=1) if endexcl else last)
        if low is None and high is None:
            raise QueryProblem(f"{fieldname}: a range needs a start or an end; "
                               f"{HOW_TO_WRITE_DATES}")
        return query.DateRange(fieldname, low, high, boost=boost)


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)


def _end_of(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 23, 59, 59, 999999)


def as_datetime(day: dt.date | None) -> dt.datetime | None:
    """How a day is stored in a ``DateField``."""
    return None if day is None else _start_of(day)
