"""Finding serious wording errors in a text: gxgk's list and the site's lists at once.

``Scanner(lists)`` is made once per check (every word in both scripts, Simplified and
Traditional), and ``scan(text, day)`` returns the hits of one text, ``day`` being the date the
item speaks for (its ``formed``), against which leaders' titles are judged.

Words are found with Aho-Corasick automata (``ahocorasick_rs``, Rust): one pass over a text
for all the words of every list, whatever their number (a vendor's 错敏词库 has thousands).
Homophones are judged with ``pypinyin``'s readings of each character, tones ignored (an input
method ignores them too), every reading of a character with several.

What is found:

- a word of gxgk's list (``builtin``) or of ``wrong.yaml``: the right form is given;
  a word of ``banned.yaml``;
- a near-miss of one of gxgk's names: the same length, one character different and of the
  same sound (中华人民共合国);
- a near-miss of a leader's name: the same surname and length, and every other character that
  differs of the same sound (张建果 for 张建国); or exactly one character different, where a
  title of the list or 同志 stands right before or after it (局长张建华);
- a leader named with a title (before the name: 副局长张建国, 党组书记、局长张建国; or after
  it: 张建国局长) that the person did not hold on the day: not yet, no longer (shown in
  office after ``to``), or never; 原 or 时任 before the title says it is a former one;
- listed leaders named together (only separators, titles and 同志 between the names) out of
  their ``order``.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

import ahocorasick_rs

from gxgk_site.render.traditional import to_traditional
from gxgk_site.wording import builtin
from gxgk_site.wording.lists import Leader, Tenure, Word, WordingLists

BUILTIN_SOURCE = f"gxgk's list {builtin.VERSION}"
COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐",
    "宇文", "长孙", "夏侯", "端木", "独孤", "西门", "南宫", "闻人", "轩辕", "司徒",
    "司空", "呼延", "万俟", "澹台", "公冶", "太史", "申屠", "钟离", "宗政", "濮阳",
    "淳于", "单于",
})
FORMER = ("原", "前", "时任", "曾任")
SEPARATORS = "、，, 　和及与"
HONORIFIC = "同志"
LAW_ENDINGS = ("法", "条例")


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    end: int
    key: str  # what wording_allow names to allow it (the word as written, or a leader's name)
    serious: bool
    problem: str  # what is wrong
    fix: str  # what to write instead


@functools.cache
def readings(char: str) -> frozenset[str]:
    """The toneless pinyin readings of a character (itself when it has none)."""
    # one character at a time: pypinyin's phrase dictionary is of no use here, and loading it
    # is 0.45 s of the 0.5 s that importing pypinyin takes (it reads this before its import)
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
    from pypinyin import Style, pinyin  # imported only when a near-miss is judged

    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors=lambda text: [text])
    return frozenset(found[0]) if found and found[0] else frozenset({char})


def homophone(a: str, b: str) -> bool:
    return a != b and bool(readings(a) & readings(b))


def _surname(name: str) -> str:
    return name[:2] if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else name[:1]


def _variants(text: str) -> tuple[str, ...]:
    """The text, and its Traditional form when that differs."""
    traditional = to_traditional(text)
    return (text,) if traditional == text else (text, traditional)


def _automaton(words: list[str], overlapping: bool = False) -> ahocorasick_rs.AhoCorasick | None:
    if not words:
        return None
    kind = (ahocorasick_rs.MatchKind.Standard if overlapping
            else ahocorasick_rs.MatchKind.LeftmostLongest)
    return ahocorasick_rs.AhoCorasick(words, matchkind=kind)


def _context_fix(word: Word, written: str) -> str:
    right = word.right or ""
    if written != word.word:  # found in Traditional: the right form in Traditional too
        right = to_traditional(right)
    return right


class Scanner:
    def __init__(self, lists: WordingLists) -> None:
        self.lists = lists
        self._words(lists)
        self._names()
        self._leaders(lists.leaders)

    # -- building ------------------------------------------------------------------------

    def _words(self, lists: WordingLists) -> None:
        entries: dict[str, Word] = {}
        for wrong, right in builtin.MISSPELLINGS.items():
            entries[wrong] = Word(wrong, right, True, BUILTIN_SOURCE)
        for word in (*lists.wrong, *lists.banned):
            entries.setdefault(word.word, word)
        self.word_of: list[Word] = []
        patterns: list[str] = []
        for word in entries.values():
            for variant in _variants(word.word):
                if variant not in patterns:
                    patterns.append(variant)
                    self.word_of.append(word)
        self.word_automaton = _automaton(patterns)

    def _names(self) -> None:
        """Anchors for near-misses of gxgk's names: a slip of one character leaves one half of
        the name as it is, so either half found points at a window to compare."""
        self.anchor_of: list[tuple[str, int, bool]] = []  # (name, offset of the anchor, law)
        patterns: list[str] = []
        for right in builtin.NAMES:
            law = right.endswith(LAW_ENDINGS)
            for name in _variants(right):
                half = len(name) // 2
                for anchor, offset in ((name[:half], 0), (name[half:], half)):
                    patterns.append(anchor)
                    self.anchor_of.append((name, offset, law))
        self.anchor_automaton = _automaton(patterns, overlapping=True)

    def _leaders(self, leaders: tuple[Leader, ...]) -> None:
        self.leader_of: dict[str, Leader] = {}  # every written form of a name -> the leader
        for leader in leaders:
            for variant in _variants(leader.name):
                self.leader_of.setdefault(variant, leader)
        names = list(self.leader_of)
        self.name_automaton = _automaton(names)
        self.by_surname: dict[str, list[str]] = {}
        for name in names:
            self.by_surname.setdefault(_surname(name)[0], []).append(name)
        self.surnames = (re.compile("[" + "".join(map(re.escape, self.by_surname)) + "]")
                         if self.by_surname else None)
        titles = {variant for leader in leaders for tenure in leader.titles
                  for variant in _variants(tenure.title)}
        self.title_of = {variant: tenure.title for leader in leaders
                         for tenure in leader.titles for variant in _variants(tenure.title)}
        self.titles = sorted(titles, key=len, reverse=True)  # longest first
        alternatives = "|".join(map(re.escape, [*self.titles, HONORIFIC]))
        self.gap = re.compile(f"(?:[{SEPARATORS}]|{alternatives})*" if alternatives
                              else f"[{SEPARATORS}]*")

    # -- scanning ------------------------------------------------------------------------

    def scan(self, text: str, day: dt.date) -> list[Hit]:
        hits = list(self._word_hits(text))
        taken = [(hit.start, hit.end) for hit in hits]
        hits += [hit for hit in self._name_hits(text)
                 if not any(start < hit.end and hit.start < end for start, end in taken)]
        if self.name_automaton is not None:
            mentions = self._mentions(text)
            hits += self._near_leaders(text, {start for start, _, _ in mentions})
            hits += self._title_hits(text, mentions, day)
            hits += self._order_hits(text, mentions)
        hits.sort(key=lambda hit: (hit.start, hit.end, hit.problem))
        return hits

    def _word_hits(self, text: str) -> Iterator[Hit]:
        if self.word_automaton is None:
            return
        for index, start, end in self.word_automaton.find_matches_as_indexes(text):
            word = self.word_of[index]
            written = text[start:end]
            right = _context_fix(word, written)
            if right and _inside_right_form(text, start, written, right):
                continue
            yield _word_hit(word, written, right, start, end)

    def _name_hits(self, text: str) -> Iterator[Hit]:
        if self.anchor_automaton is None:
            return
        seen: set[tuple[int, str]] = set()
        for index, start, _ in self.anchor_automaton.find_matches_as_indexes(text,
                                                                           overlapping=True):
            name, offset, law = self.anchor_of[index]
            begin = start - offset
            if begin < 0 or (begin, name) in seen:
                continue
            seen.add((begin, name))
            window = text[begin:begin + len(name)]
            if len(window) != len(name) or window == name:
                continue
            if law and text[begin + len(name):begin + len(name) + 1] != "》":
                continue
            if _one_homophone_slip(window, name):
                yield Hit(begin, begin + len(name), window, True,
                          f"serious misspelling {window!r}",
                          f"write {name} ({BUILTIN_SOURCE})")

    def _mentions(self, text: str) -> list[tuple[int, int, Leader]]:
        assert self.name_automaton is not None
        return [(start, end, self.leader_of[text[start:end]])
                for _, start, end in self.name_automaton.find_matches_as_indexes(text)]

    def _near_leaders(self, text: str, exact: set[int]) -> Iterator[Hit]:
        if self.surnames is None:
            return
        for match in self.surnames.finditer(text):
            start = match.start()
            if start in exact:
                continue
            for name in self.by_surname[match.group()]:
                hit = self._near_leader(text, start, name)
                if hit is not None:
                    yield hit
                    break

    def _near_leader(self, text: str, start: int, name: str) -> Hit | None:
        window = text[start:start + len(name)]
        if len(window) != len(name) or window in self.leader_of:
            return None
        surname = _surname(name)
        if not window.startswith(surname):
            return None
        differing = [(a, b) for a, b in zip(window, name, strict=True) if a != b]
        if not all(_is_cjk(a) for a, _ in differing):
            return None
        sounds_alike = all(homophone(a, b) for a, b in differing)
        if not sounds_alike and not (len(differing) == 1
                                     and self._titled(text, start, start + len(name))):
            return None
        leader = self.leader_of[name]
        how = "sounds like" if sounds_alike else "is one character from"
        return Hit(start, start + len(name), window, True,
                   f"leader's name misspelt: {window!r} {how} {name}",
                   f"write {name} ({leader.where})")

    def _titled(self, text: str, start: int, end: int) -> bool:
        """Whether a title of the list (or 同志) stands right before or after text[start:end]."""
        return (self._title_before(text, start) is not None
                or self._title_after(text, end) is not None
                or text.startswith(HONORIFIC, end))

    def _title_before(self, text: str, end: int) -> str | None:
        return next((title for title in self.titles if text.endswith(title, 0, end)), None)

    def _title_after(self, text: str, start: int) -> str | None:
        return next((title for title in self.titles if text.startswith(title, start)), None)

    def _titles_of(self, text: str, start: int, end: int) -> Iterator[tuple[str, int, bool]]:
        """(title as written, where it starts, former) of each title naming the person at
        text[start:end]: those before it, joined by 、, and the one right after it."""
        position = start
        while (title := self._title_before(text, position)) is not None:
            position -= len(title)
            yield title, position, text.endswith(FORMER, 0, position)
            if not text.endswith("、", 0, position):
                break
            position -= 1
        after = self._title_after(text, end)
        if after is not None:
            yield after, end, False

    def _title_hits(self, text: str, mentions: list[tuple[int, int, Leader]],
                    day: dt.date) -> Iterator[Hit]:
        for start, end, leader in mentions:
            for written, at, former in self._titles_of(text, start, end):
                if former:
                    continue
                problem = _tenure_problem(leader, self.title_of[written], day)
                if problem is not None:
                    first, last = min(at, start), max(at + len(written), end)
                    yield Hit(first, last, leader.name, True,
                              f"{leader.name} as {written}: {problem}",
                              f"give the title held on that day ({leader.where})")

    def _order_hits(self, text: str, mentions: list[tuple[int, int, Leader]]) -> Iterator[Hit]:
        group: list[tuple[int, int, Leader]] = []
        for mention in mentions:
            if group and not self.gap.fullmatch(text, group[-1][1], mention[0]):
                yield from _order_problem(group)
                group = []
            group.append(mention)
        yield from _order_problem(group)


def _is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def _one_homophone_slip(window: str, name: str) -> bool:
    differing = [(a, b) for a, b in zip(window, name, strict=True) if a != b]
    return len(differing) == 1 and _is_cjk(differing[0][0]) and homophone(*differing[0])


def _inside_right_form(text: str, start: int, written: str, right: str) -> bool:
    """Whether the wrong word found at ``start`` is part of its own right form there (a list
    may say 公开 → 政府公开: 政府公开 itself is right)."""
    offset = right.find(written)
    while offset != -1:
        if start - offset >= 0 and text.startswith(right, start - offset):
            return True
        offset = right.find(written, offset + 1)
    return False


def _word_hit(word: Word, written: str, right: str, start: int, end: int) -> Hit:
    if word.right is None:
        why = f": {word.reason}" if word.reason else ""
        return Hit(start, end, written, True, f"banned word {written!r} ({word.source}{why})",
                   "remove or reword it")
    label = "serious misspelling" if word.serious else "wrong word"
    return Hit(start, end, written, word.serious, f"{label} {written!r}",
               f"write {right} ({word.source})")


def _tenure_problem(leader: Leader, title: str, day: dt.date) -> str | None:
    tenures = [tenure for tenure in leader.titles if tenure.title == title]
    if any(tenure.holds(day) for tenure in tenures):
        return None
    held = _held_on(leader, day)
    now = (f"on {day}, the item's date, they were {held}" if held
           else f"on {day}, the item's date, they held no listed title")
    ended = [tenure for tenure in tenures if tenure.end is not None and tenure.end < day]
    if ended:
        last = max(ended, key=lambda tenure: tenure.end or tenure.start)
        return f"shown in office after their term as {title} ended on {last.end}; {now}"
    later = [tenure for tenure in tenures if tenure.start > day]
    if later:
        return f"became {title} only on {min(t.start for t in later)}; {now}"
    return f"never held this title (leaders.yaml lists none such); {now}"


def _held_on(leader: Leader, day: dt.date) -> str:
    return "、".join(tenure.title for tenure in leader.titles if tenure.holds(day))


def _order_problem(group: list[tuple[int, int, Leader]]) -> Iterator[Hit]:
    ranked = [(start, end, leader) for start, end, leader in group if leader.order is not None]
    for (_, _, before), (start, end, after) in itertools.pairwise(ranked):
        assert before.order is not None and after.order is not None
        if after.order < before.order:
            expected = "、".join(leader.name for _, _, leader in
                                sorted(ranked, key=lambda mention: mention[2].order or 0))
            yield Hit(start, end, after.name, True,
                      f"leaders out of order: {after.name} (order {after.order}) after "
                      f"{before.name} (order {before.order})",
                      f"list them as {expected} ({after.where})")
            return


__all__ = ["Hit", "Scanner", "Tenure", "homophone", "readings"]
