"""Parsing an editor's query with whoosh's query language, and running it on the index.

The query language is whoosh's (AND, OR, NOT, parentheses, "quotes", field:value, ranges
[A TO B] and field:>value), over the fields of ``index.FIELD_NAMES``; a term without a field
searches title, body and the text of the item's attachments. Whoosh is lenient with what it
cannot read (an unclosed bracket quietly matches nothing), so the query's structure is checked
first, and every error whoosh records while parsing, and every field the index does not have,
becomes a ``QueryProblem``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from whoosh import query
from whoosh.fields import FieldType, Schema
from whoosh.index import Index
from whoosh.qparser import (
    FieldsPlugin,
    GtLtPlugin,
    MultifieldPlugin,
    PhrasePlugin,
    QueryParser,
)
from whoosh.qparser.syntax import TextNode

from gxgk_site.editor_search.fields import ExactText, QueryProblem, exact_query
from gxgk_site.editor_search.index import FIELD_NAMES, UNREADABLE, make_schema
from gxgk_site.findings import quoted

DEFAULT_FIELDS = ("title", "body", "attachments")
# Operators with nothing to join: AND/OR/ANDNOT/ANDMAYBE first, any last, two binary in a row.
BINARY = r"(?:AND|OR|ANDNOT|ANDMAYBE)"
DANGLING = (re.compile(rf"^\s*(?P<op>{BINARY})(?=\s|$)"),
            re.compile(r"(?<!\S)(?P<op>AND|OR|NOT|ANDNOT|ANDMAYBE)\s*$"),
            re.compile(rf"(?<!\S){BINARY}\s+(?P<op>{BINARY})(?=\s|$)"))
RANGE_BODY = re.compile(r"\s*(?:\S.*?\s+)?to(?:\s+.*\S)?\s*", re.IGNORECASE | re.DOTALL)

__all__ = ["Hit", "QueryProblem", "SearchResult", "parse_query", "run_query"]


def _field(schema: Schema, fieldname: str | None) -> FieldType | None:
    """The schema's field of that name (whoosh's Schema has no ``get``)."""
    try:
        return schema[fieldname]
    except KeyError:
        return None


class ExactPhrasePlugin(PhrasePlugin):
    """"Quoted text": its words and Chinese runs side by side, exactly, in that order."""

    class PhraseNode(PhrasePlugin.PhraseNode):
        def query(self, parser: QueryParser) -> query.Query:
            if self.slop != 1:
                raise QueryProblem(f'"{self.text}"~{self.slop}: proximity (~N) is not '
                                   "supported; quoted text is matched exactly")
            fieldname = self.fieldname or parser.fieldname
            field = _field(parser.schema, fieldname)
            if isinstance(field, ExactText):
                found = exact_query(fieldname, self.text, self.boost, field.split_words)
                return found if found is not None else query.NullQuery
            if field is not None and field.self_parsing():
                return field.parse_query(fieldname, self.text, boost=self.boost)
            return query.Term(fieldname, self.text, boost=self.boost)

    class PhraseTagger(PhrasePlugin.PhraseTagger):
        def create(self, parser: QueryParser, match: re.Match[str]) -> TextNode:
            slop = match.group("slop")
            return ExactPhrasePlugin.PhraseNode(match.group("text"), match.start("text"),
                                                int(slop) if slop else 1)


class EditorQueryParser(QueryParser):
    """Whoosh's parser, keeping a trailing * (which whoosh turns into a Prefix) on text fields.

    A self-parsing field is handed the bare text without the query class, so ``abc*`` would
    otherwise be searched as ``abc``.
    """

    def term_query(self, fieldname: str, text: str, termclass: type[query.Query],
                   boost: float = 1.0, tokenize: bool = True,
                   removestops: bool = True) -> query.Query | None:
        if termclass is query.Prefix and isinstance(_field(self.schema, fieldname), ExactText):
            text += "*"
        return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)


def make_parser(today: dt.date | None) -> QueryParser:
    parser = EditorQueryParser(None, make_schema(today))
    parser.add_plugin(MultifieldPlugin(list(DEFAULT_FIELDS)))
    parser.remove_plugin_class(FieldsPlugin)
    parser.remove_plugin_class(PhrasePlugin)
    parser.add_plugins([FieldsPlugin(remove_unknown=False), ExactPhrasePlugin(),
                        GtLtPlugin()])
    return parser


def check_structure(text: str) -> None:
    """Raise QueryProblem for an unclosed quote, parenthesis or range, or a dangling operator.

    Whoosh reads them as words or quietly matches nothing.
    """
    for pattern in DANGLING:
        dangling = pattern.search(text)
        if dangling is not None:
            raise QueryProblem(f"{dangling['op']} at column {dangling.start('op') + 1} has "
                               "nothing to join on one side; write A AND B, A OR B, NOT B")
    opened: list[int] = []
    range_start: int | None = None
    quote: int | None = None
    for column, char in enumerate(text, start=1):
        if quote is not None:
            if char == '"':
                quote = None
            continue
        if char == '"':
            quote = column
        elif char == "(":
            opened.append(column)
        elif char == ")":
            if not opened:
                raise QueryProblem(f"the ')' at column {column} closes no '('")
            opened.pop()
        elif char in "[{":
            if range_start is not None:
                raise QueryProblem(f"the range opened at column {range_start} is not closed "
                                   f"before the {char!r} at column {column}")
            range_start = column
        elif char in "]}":
            if range_start is None:
                raise QueryProblem(f"the {char!r} at column {column} closes no range; "
                                   "a range is written formed:[20250101 TO 20251231]")
            if not RANGE_BODY.fullmatch(text[range_start:column - 1]):
                raise QueryProblem(f"the range at column {range_start} has no TO; a range is "
                                   "written formed:[20250101 TO 20251231]")
            range_start = None
    if quote is not None:
        raise QueryProblem(f'the quote at column {quote} is not closed')
    if range_start is not None:
        raise QueryProblem(f"the range opened at column {range_start} is not closed; "
                           "a range is written formed:[20250101 TO 20251231]")
    if opened:
        raise QueryProblem(f"the '(' at column {opened[-1]} is not closed")


def _problems(node: query.Query, known: frozenset[str]) -> list[str]:
    found: list[str] = []
    error = getattr(node, "error", None)
    if error is not None and error is not False:
        found.append(str(error))
    fieldname = getattr(node, "fieldname", None)
    if fieldname is not None and fieldname not in known:
        found.append(f"unknown field {quoted(fieldname)}; the fields are {', '.join(FIELD_NAMES)} "
                     "(put text with a colon in quotes)")
    for child in node.children():
        found.extend(_problems(child, known))
    return found


def parse_query(text: str, today: dt.date | None = None) -> query.Query:
    """The whoosh query for ``text``; raises QueryProblem naming what is wrong."""
    if not text.strip():
        raise QueryProblem("the query is empty")
    check_structure(text)
    parser = make_parser(today)
    try:
        parsed = parser.parse(text, normalize=False)
    except QueryProblem:
        raise
    except Exception as exc:  # whoosh's own parsing errors
        raise QueryProblem(f"cannot read the query: {exc}") from None
    problems = _problems(parsed, frozenset(FIELD_NAMES))
    if problems:
        raise QueryProblem("; ".join(dict.fromkeys(problems)))
    normalized = parsed.normalize()
    if normalized is query.NullQuery or isinstance(normalized, query.qcore._NullQuery):
        raise QueryProblem(f"{quoted(text)} has nothing to search for (only punctuation or "
                           "operators)")
    return normalized


@dataclass(frozen=True, slots=True)
class Hit:
    path: str
    title: str
    index_no: str | None
    attribute: str | None
    category: str | None
    kind: str | None
    validity: str | None
    formed: dt.date | None
    published: dt.date | None
    score: float


@dataclass(frozen=True, slots=True)
class SearchResult:
    total: int
    hits: list[Hit]


def _day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else None


def run_query(ix: Index, parsed: query.Query, limit: int) -> SearchResult:
    """The best ``limit`` hits, by relevance and then path; ``total`` counts them all."""
    with ix.searcher() as searcher:
        results = searcher.search(parsed, limit=None, mask=query.Term("entry", UNREADABLE))
        paths = list(searcher.reader().column_reader("path"))  # whole: faster than by hit
        ranked = sorted(((round(score, 6), docnum) for score, docnum in results.top_n),
                        key=lambda pair: (-pair[0], paths[pair[1]]))
        hits = []
        for score, docnum in ranked[:limit]:
            stored = searcher.stored_fields(docnum)
            hits.append(Hit(
                path=stored["path"], title=stored.get("title", ""),
                index_no=stored.get("index_no"), attribute=stored.get("attribute"),
                category=stored.get("category"), kind=stored.get("kind"),
                validity=stored.get("validity"), formed=_day(stored.get("formed")),
                published=_day(stored.get("published")), score=score))
        return SearchResult(total=len(ranked), hits=hits)
