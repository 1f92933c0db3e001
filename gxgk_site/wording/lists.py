"""The site's wording lists under ``data/wording/``: its leaders, its own wrong words, its
banned words. Read in the load step (through site_files, never through a link); a broken list
is a finding of the rule ``wording`` at its file and line, and what could be read is used.

``leaders.yaml``: a list of people, each ``name``, ``order`` (listing several leaders
together, the smaller comes first) and ``titles``, each ``title``, ``from`` and ``to`` (the
last day; none while in office)::

    - name: 张建国
      order: 1
      titles:
        - {title: 局长, from: 2021-06-01}
        - {title: 副局长, from: 2016-03-01, to: 2021-05-31}

``wrong.yaml``: wrong → right, a warning each; ``{right: …, serious: true}`` makes it an
error. ``banned.yaml``: words never to publish, a list, or word → why; always an error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gxgk_site import site_files, yamlio
from gxgk_site.findings import Finding, error, quoted
from gxgk_site.schema import (
    Context,
    Day,
    Field,
    Flag,
    Integer,
    Invalid,
    ListOf,
    Record,
    Text,
    validate,
)

WORDING_DIR = "data/wording"
RULE = "wording"
LEADERS, WRONG, BANNED = "leaders.yaml", "wrong.yaml", "banned.yaml"
MIN_WORD = 2  # a one-character word would be found in almost every text


@dataclass(frozen=True, slots=True)
class Tenure:
    title: str
    start: dt.date
    end: dt.date | None  # the last day in this title; None while in office
    line: int | None

    def holds(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class Leader:
    name: str
    order: int | None
    titles: tuple[Tenure, ...]
    line: int | None  # of the record in leaders.yaml

    @property
    def where(self) -> str:
        return f"{WORDING_DIR}/{LEADERS}:{self.line}" if self.line else f"{WORDING_DIR}/{LEADERS}"


@dataclass(frozen=True, slots=True)
class Word:
    """A wrong or banned word of the site's lists (or of gxgk's own, ``source`` then names
    the list's version)."""

    word: str
    right: str | None  # None for a banned word
    serious: bool
    source: str  # e.g. data/wording/wrong.yaml:4
    reason: str = ""  # why a word is banned, when the list says


@dataclass(frozen=True)
class WordingLists:
    leaders: tuple[Leader, ...] = ()
    wrong: tuple[Word, ...] = ()
    banned: tuple[Word, ...] = ()


def _word_check(value: str) -> str | None:
    if len(value) < MIN_WORD:
        return (f"is one character; a word of the list needs at least {MIN_WORD} (one "
                "character is found in almost every text)")
    if "\n" in value:
        return "is several lines; a word of the list is one line"
    return None


WORD = Text(max_len=50, check=_word_check)
NAME = Text(max_len=20, check=_word_check)
TENURE = Record({"title": Field(Text(max_len=40), required=True),
                 "from": Field(Day(), required=True), "to": Field(Day())}, what="title")
LEADER = Record({"name": Field(NAME, required=True), "order": Field(Integer(minimum=0)),
                 "titles": Field(ListOf(TENURE), required=True)}, what="leader")
WRONG_ENTRY = Record({"right": Field(WORD, required=True), "serious": Field(Flag())},
                     what="right form")


def _read(site_dir: Path, name: str, listed: set[str],
          findings: list[Finding]) -> tuple[Any, yamlio.KeyLines, str] | None:
    relative = f"{WORDING_DIR}/{name}"
    if relative not in listed:
        return None
    try:
        data, lines = yamlio.load_path(site_dir / relative)
    except yamlio.YamlProblem as exc:
        findings.append(error(RULE, relative, exc.line, exc.message))
        return None
    return data, lines, relative


def _sub_lines(lines: yamlio.KeyLines, prefix: str) -> yamlio.KeyLines:
    return {key[len(prefix):]: line for key, line in lines.items() if key.startswith(prefix)}


def _leader(record: Any, index: int, lines: yamlio.KeyLines, relative: str,
            findings: list[Finding]) -> Leader | None:
    record_lines = _sub_lines(lines, f"{index}.")
    ctx = Context(lines=record_lines, rule=RULE)
    values = validate(LEADER, record, ctx)
    line = lines.get(str(index))
    findings += [error(RULE, relative, p.line or line, f"leader {index + 1}: {p.message}")
                 for p in ctx.problems]
    if values is None:
        return None
    tenures = []
    for number, tenure in enumerate(values["titles"]):
        tenure_line = record_lines.get(f"titles.{number}", line)
        if tenure["to"] is not None and tenure["to"] < tenure["from"]:
            findings.append(error(RULE, relative, tenure_line,
                                  f"{values['name']}: {tenure['title']} to {tenure['to']} is "
                                  f"before from {tenure['from']}"))
            continue
        tenures.append(Tenure(tenure["title"], tenure["from"], tenure["to"], tenure_line))
    return Leader(values["name"], values["order"], tuple(tenures), line)


def _leaders(site_dir: Path, listed: set[str], findings: list[Finding]) -> tuple[Leader, ...]:
    read = _read(site_dir, LEADERS, listed, findings)
    if read is None or read[0] is None:
        return ()
    data, lines, relative = read
    if not isinstance(data, list):
        findings.append(error(RULE, relative, 1, "expected a list of leaders (- name: …, "
                              "order: …, titles: [...])"))
        return ()
    leaders: list[Leader] = []
    for index, record in enumerate(data):
        leader = _leader(record, index, lines, relative, findings)
        if leader is None:
            continue
        if any(other.name == leader.name for other in leaders):
            findings.append(error(RULE, relative, leader.line,
                                  f"{leader.name} is listed twice; give each person one entry "
                                  "with all their titles"))
            continue
        leaders.append(leader)
    return tuple(leaders)


def _word(value: Any, key: str, ctx: Context) -> str | None:
    try:
        return WORD.convert(value, key, ctx)
    except Invalid as exc:
        ctx.report(key, str(exc))
        return None


def _wrong_entry(word: str, value: Any, ctx: Context, source: str) -> Word | None:
    if isinstance(value, dict):
        values = validate(WRONG_ENTRY, value, Context(lines={}, rule=RULE))
        if values is None:
            ctx.report(word, "expected the right form, or {right: …, serious: true}")
            return None
        right, serious = values["right"], bool(values["serious"])
    else:
        right, serious = _word(value, word, ctx), False
    if right is None:
        return None
    if right == word:
        ctx.report(word, "the right form is the word itself")
        return None
    return Word(word, right, serious, source)


def _wrong(site_dir: Path, listed: set[str], findings: list[Finding]) -> tuple[Word, ...]:
    read = _read(site_dir, WRONG, listed, findings)
    if read is None or read[0] is None:
        return ()
    data, lines, relative = read
    if not isinstance(data, dict):
        findings.append(error(RULE, relative, 1, "expected wrong: right lines (秸杆: 秸秆)"))
        return ()
    ctx = Context(lines=lines, rule=RULE)
    words: list[Word] = []
    for raw, value in data.items():
        word = _word(raw, str(raw), ctx)
        if word is not None:
            entry = _wrong_entry(word, value, ctx, f"{relative}:{lines.get(str(raw), 1)}")
            if entry is not None:
                words.append(entry)
    findings += [error(RULE, relative, p.line, p.message) for p in ctx.problems]
    return tuple(words)


def _banned(site_dir: Path, listed: set[str], findings: list[Finding]) -> tuple[Word, ...]:
    read = _read(site_dir, BANNED, listed, findings)
    if read is None or read[0] is None:
        return ()
    data, lines, relative = read
    if isinstance(data, list):
        pairs = [(str(index), value, "") for index, value in enumerate(data)]
    elif isinstance(data, dict):
        pairs = [(str(key), key, value if isinstance(value, str) else "")
                 for key, value in data.items()]
    else:
        findings.append(error(RULE, relative, 1, "expected a list of words, or word: why"))
        return ()
    ctx = Context(lines=lines, rule=RULE)
    words = []
    for key, value, reason in pairs:
        word = _word(value, key, ctx)
        if word is not None:
            words.append(Word(word, None, True, f"{relative}:{lines.get(key, 1)}",
                              reason.strip()))
    findings += [error(RULE, relative, p.line, p.message) for p in ctx.problems]
    return tuple(words)


def load_wording(site_dir: Path) -> tuple[WordingLists, list[Finding]]:
    """The lists under data/wording/ (none: empty lists), and findings for broken ones."""
    listing = site_files.listing(site_dir, WORDING_DIR)
    listed = set(listing.files)
    known = {f"{WORDING_DIR}/{name}" for name in (LEADERS, WRONG, BANNED)}
    findings = [error(RULE, path, None,
                      f"gxgk reads only {LEADERS}, {WRONG} and {BANNED} in {WORDING_DIR}/; "
                      f"rename or remove {quoted(path.rpartition('/')[2])}")
                for path in sorted(listed - known) if path.endswith((".yaml", ".yml"))]
    lists = WordingLists(leaders=_leaders(site_dir, listed, findings),
                         wrong=_wrong(site_dir, listed, findings),
                         banned=_banned(site_dir, listed, findings))
    return lists, findings
