"""Matching the labels of the report's tables as real reports print them.

A published report is typed, pasted from a PDF or converted from Word, and its labels come out
in many spellings of one text: ``1.属于国家秘密``, ``1、属于国家秘密``, ``1．属于国家秘密``,
``（1）属于国家秘密``; full-width or ASCII brackets and commas; curly or straight quotes; a
stray space from a line break (``商业 企业``). A label is therefore matched after
``normalise``: Unicode NFKC (full-width forms become ASCII), then every space, punctuation mark
and invisible character dropped, so that only the words and the numbering's digits are
compared. A typo changes the words and stays unmatched; ``Names.suggest`` then names the
nearest label as the table prints it.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from gxgk_site.report.national_format import (
    CARRIED_IN_ROW,
    CARRIED_OUT_ROW,
    COLUMNS,
    GROUP_LABELS,
    LITIGATION,
    NEW_ROW,
    ORGANISATION_TYPES,
    ORGANISATIONS_HEADER,
    OUTCOME_ROWS,
    RESULT_COLUMNS,
    RESULTS_LABEL,
    RESULTS_TOTAL_ROW,
    TABLE2,
    TABLE3_ROWS,
    TABLE4_GROUPS,
    Row,
    outcome_names,
)

Value = TypeVar("Value", bound=Hashable)

# Unicode categories dropped: punctuation (P*), separators (Z*: spaces), and control and
# format characters (C*: a zero-width space or a BOM pasted in from a web page)
_DROPPED = ("P", "Z", "C")


def normalise(label: str) -> str:
    """The words and digits of a label, without spacing, punctuation or width differences."""
    text = unicodedata.normalize("NFKC", label)
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in _DROPPED)


@dataclass(frozen=True)
class Names(Generic[Value]):
    """The names under which something (a row, a column, a group) may be given.

    ``printed`` is the label to show for each value, as the table prints it; ``spelled`` the
    first spelling of each normalised name (the printed label first), to suggest.
    """

    by_name: Mapping[str, Value]
    printed: Mapping[Value, str]
    spelled: Mapping[str, str]

    @classmethod
    def of(cls, names: Mapping[Value, Iterable[str]],
           printed: Mapping[Value, str]) -> Names[Value]:
        by_name: dict[str, Value] = {}
        spelled: dict[str, str] = {}
        for value, spellings in names.items():
            for spelling in (printed[value], *sorted(spellings)):
                key = normalise(spelling)
                if by_name.setdefault(key, value) != value:  # a bug in the tables, not input
                    raise ValueError(f"{spelling!r} names both {by_name[key]!r} and {value!r}")
                spelled.setdefault(key, spelling)
        return cls(by_name, dict(printed), spelled)

    def find(self, name: object) -> Value | None:
        return self.by_name.get(normalise(str(name)))

    def suggest(self, name: object) -> str | None:
        """The known spelling nearest to ``name``, or None when nothing is near."""
        near = difflib.get_close_matches(normalise(str(name)), list(self.by_name), n=1,
                                         cutoff=0.5)
        return self.spelled[near[0]] if near else None

    def hint(self, name: object) -> str:
        """'; did you mean X?' for the nearest label, or ''."""
        near = self.suggest(name)
        return f"; did you mean {near}?" if near else ""


# ---- the names of each table's rows, groups and columns ----


def _row_names(row: Row) -> set[str]:
    """Table 三's row as printed, by key, without its numbering, in its group (with or without
    the row's number), and after the 三、本年度办理结果 cell printed on its line (or just 三、)."""
    names = {row.key, row.label, _CHINESE_NUMBERING.sub("", row.label)}
    names |= _SHORT_ROW_NAMES.get(row.key, set())
    if row.outcome:
        names |= outcome_names(row)
        group = row.group or ""
        bare = row.label.split(".", 1)[1] if row.group else row.label
        in_results = {f"{group}{row.label}", f"{group}{bare}"}
        names |= in_results | {f"{prefix}{name}" for prefix in (RESULTS_LABEL, "三、")
                               for name in in_results}
    return names


_CHINESE_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")
_SHORT_ROW_NAMES = {
    NEW_ROW.key: {"本年新收"}, CARRIED_IN_ROW.key: {"上年结转"},
    RESULTS_TOTAL_ROW.key: {"总计", f"{RESULTS_LABEL}{RESULTS_TOTAL_ROW.label}",
                            f"三、{RESULTS_TOTAL_ROW.label}"},
    CARRIED_OUT_ROW.key: {"结转下年度"}, "partly_disclosed": {"（二）部分公开"},
}

TABLE3_ROW_NAMES: Names[str] = Names.of({row.key: _row_names(row) for row in TABLE3_ROWS},
                                        {row.key: row.label for row in TABLE3_ROWS})
TABLE3_GROUP_NAMES: Names[str] = Names.of(
    {group: {group.split("）", 1)[1]} for group in GROUP_LABELS}
    | {RESULTS_LABEL: {"本年度办理结果"}},
    {group: group for group in (*GROUP_LABELS, RESULTS_LABEL)})
TABLE3_COLUMN_NAMES: Names[str] = Names.of(
    {column: {f"{ORGANISATIONS_HEADER}{column}"} if column in ORGANISATION_TYPES else ()
     for column in COLUMNS},
    {column: column for column in COLUMNS})
# a ledger names the outcome of one application: only the outcome rows
OUTCOME_NAMES: Names[str] = Names.of({row.key: _row_names(row) for row in OUTCOME_ROWS},
                                     {row.key: row.label for row in OUTCOME_ROWS})

# table 二: the rows of its four blocks, each block title naming its rows as a group
TABLE2_ROW_NAMES: Names[str] = Names.of(
    {"rules": {"rules"}, "normative": {"normative", "规范性文件"}, "licensing": {"licensing"},
     "penalty": {"penalty"}, "coercion": {"coercion"}, "fees": {"fees"}},
    {key: label for block in TABLE2 for key, label in block.rows})
TABLE2_BLOCK_NAMES: Names[str] = Names.of({block.title: () for block in TABLE2},
                                          {block.title: block.title for block in TABLE2})
REGULATION_COLUMN_NAMES: Names[str] = Names.of(
    {"本年制发件数": {"制发", "本年制发"}, "本年废止件数": {"废止", "本年废止"},
     "现行有效件数": {"现行有效"}},
    {label: label for label in TABLE2[0].header[1:]})

# table 四: 行政复议, and 行政诉讼's two groups, under 行政诉讼 or on their own
TABLE4_GROUP_NAMES: Names[str] = Names.of(
    {key: {key, f"{LITIGATION}{label}"} for key, label in TABLE4_GROUPS},
    dict(TABLE4_GROUPS))
TABLE4_COLUMN_NAMES: Names[str] = Names.of(
    {label: {key, label.removeprefix("结果")} for key, label in RESULT_COLUMNS},
    {label: label for _, label in RESULT_COLUMNS})
