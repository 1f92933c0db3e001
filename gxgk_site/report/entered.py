"""The report's tables entered by hand in ``data/reports/YEAR.yaml``, cell by cell.

Rows, groups and columns are named as the table prints them (matched with ``labels``). Every
cell that is not a number of the right kind, every name that is no row of the table and every
row given twice (under two spellings: the YAML reader already refuses one key written twice)
is a problem at its own line, and the row is *rejected*: ``Entered.rejected`` names it, so that
no table is ever printed, nor cross-checked, as if the rejected cell were 0.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gxgk_site.findings import QUOTE_LIMIT, quoted
from gxgk_site.report.labels import (
    REGULATION_COLUMN_NAMES,
    TABLE2_BLOCK_NAMES,
    TABLE2_ROW_NAMES,
    TABLE3_COLUMN_NAMES,
    TABLE3_GROUP_NAMES,
    TABLE3_ROW_NAMES,
    TABLE4_COLUMN_NAMES,
    TABLE4_GROUP_NAMES,
    Names,
    normalise,
)
from gxgk_site.report.national_format import (
    COLUMNS,
    LITIGATION,
    OUTCOME_ROWS,
    RESULT_COLUMNS,
    RESULTS_LABEL,
    RESULTS_TOTAL_ROW,
    TABLE2,
    TABLE4_GROUPS,
)
from gxgk_site.schema import Context, Invalid, Spec

ANY_ROW = "*"  # in Entered.rejected: a name that is no row, so any row may be missing
Number = int | float

# ---- one cell ----

_NONE_MARKS = {"-", "—", "–", "/", "无", "空", "x", "X", "×"}
# a number written as text: full-width digits, thousands separators, a unit after it
_NUMBER_TEXT = re.compile(r"([0-9][0-9,]*(?:\.[0-9]+)?)\s*(万元|元|件|条|次)?")


def _text_cell(text: str, what: str) -> str:
    """What is wrong with a cell given as text, and the fix."""
    number = _NUMBER_TEXT.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if number is not None and len(text) <= QUOTE_LIMIT:
        digits = number[1].replace(",", "")
        return (f"{quoted(text)} is text; write the number alone, without quotes, separators "
                f"or unit: {digits}")
    if not text.strip():
        return "the cell is empty; write 0 when the report has none"
    if text.strip() in _NONE_MARKS:
        return f"{quoted(text)} is not a number; write 0 when the report means none"
    return f"expected {what}, got {quoted(text)}"


def _number(value: Any, what: str) -> Number:
    """A cell's number, or Invalid naming what is wrong and the fix."""
    if value is None:
        raise Invalid("the cell is empty; write 0 when the report has none")
    if isinstance(value, str):
        raise Invalid(_text_cell(value, what))
    if isinstance(value, bool) or not isinstance(value, int | float):
        kind = "true/false" if isinstance(value, bool) else f"a {type(value).__name__}"
        raise Invalid(f"expected {what}, got {kind}")
    if isinstance(value, float) and not math.isfinite(value):
        raise Invalid(f"{value} is not a number")
    if value < 0:
        raise Invalid(f"{value} is negative; a report's numbers cannot be")
    return value


def count(value: Any) -> int:
    """A non-negative whole number of cases."""
    number = _number(value, "a whole number")
    if isinstance(number, float) and not number.is_integer():
        raise Invalid(f"{number} is not a whole number; counts are whole numbers of cases")
    return int(number)


def amount(value: Any, decimals: int | None = None) -> float:
    """A non-negative amount of money; ``decimals`` limits its decimal places (元: 2, 分)."""
    number = float(_number(value, "an amount"))
    if decimals is not None and round(number, decimals) != number:
        raise Invalid(f"{value} has more than {decimals} decimal places")
    return number


class Count(Spec):
    def convert(self, value: Any, key: str, ctx: Context) -> int:
        return count(value)


@dataclass(frozen=True)
class Amount(Spec):
    decimals: int | None = None

    def convert(self, value: Any, key: str, ctx: Context) -> float:
        return amount(value, self.decimals)


# ---- one row: its cells, as a list in column order or a mapping by column ----

Cell = Callable[[Any], Number]


@dataclass(frozen=True)
class Cells:
    """How a row's cells are given: ``printed`` columns (a list in that order, or a mapping
    named with ``names``), each converted with ``cell``."""

    printed: tuple[str, ...]
    names: Names[str]
    cell: Cell = count

    def row(self, value: Any, key: str, ctx: Context) -> tuple[Number, ...] | None:
        """The row's numbers; None when a cell is wrong (each reported at its line)."""
        if len(self.printed) == 1 and not isinstance(value, list | dict):
            number = self.one(value, key, None, ctx)  # a one-column row: just its number
            return None if number is None else (number,)
        if isinstance(value, list):
            return self._listed(value, key, ctx)
        if isinstance(value, dict):
            return self._named(value, key, ctx)
        ctx.report(key, f"expected {self._expected()}, got {quoted(value)}")
        return None

    def _expected(self) -> str:
        if len(self.printed) == 1:
            return f"a number ({self.printed[0]})"
        return (f"a list of {len(self.printed)} numbers ({', '.join(self.printed)}) or a "
                "mapping by column")

    def _listed(self, value: list[Any], key: str, ctx: Context) -> tuple[Number, ...] | None:
        if len(value) != len(self.printed):
            ctx.report(key, f"expected {len(self.printed)} numbers ({', '.join(self.printed)}),"
                            f" got {len(value)}")
            return None
        cells = [self.one(v, f"{key}.{i}", column, ctx)
                 for i, (column, v) in enumerate(zip(self.printed, value, strict=True))]
        return None if None in cells else tuple(c for c in cells if c is not None)

    def _named(self, value: dict[Any, Any], key: str,
               ctx: Context) -> tuple[Number, ...] | None:
        cells: dict[str, Number | None] = dict.fromkeys(self.printed, 0)
        seen: dict[str, str] = {}
        failed = False
        for name, raw in value.items():
            path = f"{key}.{name}"
            column = self.names.find(name)
            if column is None:
                ctx.report(path, f"not a column here{self.names.hint(name)} (columns: "
                                 f"{', '.join(self.printed)})")
                failed = True
            elif column in seen:
                ctx.report(path, f"column {column} is given twice, also as {quoted(seen[column])};"
                                 " keep one")
                failed = True
            else:
                seen[column] = str(name)
                cells[column] = self.one(raw, path, None, ctx)  # the key names the column
        if failed or None in cells.values():
            return None
        return tuple(cells[column] or 0 for column in self.printed)

    def one(self, value: Any, key: str, column: str | None, ctx: Context) -> Number | None:
        """One cell's number; None when it is wrong (reported at its line)."""
        try:
            return self.cell(value)
        except Invalid as exc:
            ctx.report(key, f"column {column}: {exc}" if column else str(exc))
            return None


# ---- a table: its rows by name ----


@dataclass(frozen=True)
class Entered:
    """A table, or part of one, entered by hand: row key -> numbers, where each row was
    written (its key path in the file), and the rows rejected (ANY_ROW: a name that is no
    row)."""

    values: dict[str, tuple[Number, ...]] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)
    rejected: tuple[str, ...] = ()  # sorted (a set would make the report page's
    # fingerprint differ from one process to the next: see publish/fingerprints.py)


@dataclass
class _Rows:
    """Collects a table's rows; a row given twice, under any two spellings, is rejected."""

    table: str  # e.g. 表三
    ctx: Context
    values: dict[str, tuple[Number, ...]] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)
    rejected: set[str] = field(default_factory=set)

    def place(self, row: str, printed: str, path: str, numbers: tuple[Number, ...] | None) -> None:
        if row in self.paths:
            first = self.paths[row]
            line = self.ctx.line_of(first)
            where = f" on line {line}" if line is not None else ""
            self.ctx.report(path, f"{self.table} row {printed} is given twice: also as "
                                  f"{first}{where}; keep one")
            self.rejected.add(row)
            return
        self.paths[row] = path
        if numbers is None:
            self.rejected.add(row)
        else:
            self.values[row] = numbers

    def unknown(self, path: str, what: str, hint: str) -> None:
        self.ctx.report(path, f"not {what}{hint}")
        self.rejected.add(ANY_ROW)

    def entered(self) -> Entered:
        return Entered(self.values, self.paths, tuple(sorted(self.rejected)))


def _mapping(value: Any, what: str) -> dict[Any, Any]:
    if not isinstance(value, dict):
        raise Invalid(f"expected a mapping of {what}")
    return value


# ---- table 三 ----

TABLE3_CELLS = Cells(COLUMNS, TABLE3_COLUMN_NAMES)


class Table3Input(Spec):
    """Table 三: row -> seven numbers (the six applicant columns and 总计). 三、本年度办理结果 and
    each numbered group (（三）不予公开 …) may hold their rows as a mapping, as printed."""

    def convert(self, value: Any, key: str, ctx: Context) -> Entered:
        rows = _Rows("表三", ctx)
        self._rows(_mapping(value, "table 三's rows to their seven numbers"), key, None, rows)
        return rows.entered()

    def _rows(self, value: dict[Any, Any], key: str, group: str | None, rows: _Rows) -> None:
        for name, numbers in value.items():
            path = f"{key}.{name}"
            row = _row_in(name, group)
            inner = TABLE3_GROUP_NAMES.find(name)
            if row is not None:
                rows.place(row, TABLE3_ROW_NAMES.printed[row], path,
                           TABLE3_CELLS.row(numbers, path, rows.ctx))
            elif inner is not None and group in (None, RESULTS_LABEL) and inner != group:
                self._group(inner, numbers, path, rows)
            else:
                rows.unknown(path, f"a row of {group or 'table 三'}", _row_hint(name, group))

    def _group(self, group: str, value: Any, path: str, rows: _Rows) -> None:
        if not isinstance(value, dict):
            rows.ctx.report(path, f"{group} has no numbers of its own: give its rows under it, "
                                  "or each row on its own as the table prints it")
            rows.rejected.add(ANY_ROW)
            return
        self._rows(value, path, group, rows)


_GROUP_OF = {row.key: row.group for row in OUTCOME_ROWS}


def _row_hint(name: Any, group: str | None) -> str:
    """The fix for a name that is no row (of ``group``)."""
    elsewhere = TABLE3_ROW_NAMES.find(name) if group is not None else None
    if elsewhere is not None:
        return f": it is {TABLE3_ROW_NAMES.printed[elsewhere]}; give it outside {group}"
    return TABLE3_ROW_NAMES.hint(f"{group or ''}{name}")


def _row_in(name: Any, group: str | None) -> str | None:
    """The row ``name`` gives, given under ``group`` (None: at the top of table 三)."""
    if group is None:
        return TABLE3_ROW_NAMES.find(name)
    row = TABLE3_ROW_NAMES.find(f"{group}{name}") or TABLE3_ROW_NAMES.find(name)
    if row is None or (group != RESULTS_LABEL and _GROUP_OF.get(row) != group):
        return None
    return row if row in _GROUP_OF or row == RESULTS_TOTAL_ROW.key else None


# ---- table 二 ----

_REGULATIONS = {key for key, _ in TABLE2[0].rows}
def _one_column(header: str, *others: str) -> Names[str]:
    return Names.of({header: others}, {header: header})


_COLUMNS2 = {
    "rules": Cells(TABLE2[0].header[1:], REGULATION_COLUMN_NAMES),
    "normative": Cells(TABLE2[0].header[1:], REGULATION_COLUMN_NAMES),
    **{key: Cells(block.header[1:], _one_column(block.header[1])) for block in TABLE2[1:3]
       for key, _ in block.rows},
    "fees": Cells(TABLE2[3].header[1:], _one_column(TABLE2[3].header[1], "本年收费金额"),
                  amount),
}


@dataclass(frozen=True)
class Table2Input(Spec):
    """Rows of table 二, as printed: 规章 and 行政规范性文件 (本年制发件数, 本年废止件数,
    现行有效件数), 行政许可, 行政处罚, 行政强制 (本年处理决定数量) and 行政事业性收费
    (本年收费金额, 万元); a block title (第二十条第（一）项 …) may hold its rows. ``rows`` are the
    keys allowed here."""

    rows: frozenset[str]
    what: str

    def convert(self, value: Any, key: str, ctx: Context) -> Entered:
        rows = _Rows("表二", ctx)
        self._rows(_mapping(value, f"{self.what} to their numbers"), key, rows, nested=False)
        return rows.entered()

    def _rows(self, value: dict[Any, Any], key: str, rows: _Rows, nested: bool) -> None:
        for name, numbers in value.items():
            path = f"{key}.{name}"
            row = TABLE2_ROW_NAMES.find(name)
            if row is not None and row in self.rows:
                rows.place(row, TABLE2_ROW_NAMES.printed[row], path,
                           _COLUMNS2[row].row(numbers, path, rows.ctx))
            elif (not nested and TABLE2_BLOCK_NAMES.find(name) is not None
                  and isinstance(numbers, dict) and len(self.rows) > len(_REGULATIONS)):
                self._rows(numbers, path, rows, nested=True)
            else:
                allowed = ", ".join(TABLE2_ROW_NAMES.printed[r] for r in _ordered(self.rows))
                hint = (f": {TABLE2_ROW_NAMES.printed[row]} is given under table2" if row
                        else _hint(TABLE2_ROW_NAMES, name, self.rows))
                rows.unknown(path, f"a row of {self.what} ({allowed})", hint)


def _ordered(rows: frozenset[str]) -> list[str]:
    return [key for block in TABLE2 for key, _ in block.rows if key in rows]


def _hint(names: Names[str], name: Any, allowed: frozenset[str]) -> str:
    near = names.suggest(name)
    if near is None or names.find(near) not in allowed:
        return ""
    return f"; did you mean {near}?"


TABLE2_ROWS = frozenset(key for block in TABLE2 for key, _ in block.rows)
DECISION_ROWS = TABLE2_ROWS - _REGULATIONS


# ---- table 四 ----

TABLE4_CELLS = Cells(tuple(label for _, label in RESULT_COLUMNS), TABLE4_COLUMN_NAMES)
_TABLE4_WIDTH = len(TABLE4_GROUPS) * len(RESULT_COLUMNS)


class Table4Input(Spec):
    """Table 四: 行政复议, 未经复议直接起诉 and 复议后起诉 (also under 行政诉讼), five numbers
    each (结果维持, 结果纠正, 其他结果, 尚未审结, 总计); or the table's one line of 15 numbers."""

    def convert(self, value: Any, key: str, ctx: Context) -> Entered:
        rows = _Rows("表四", ctx)
        if isinstance(value, list):
            self._line(value, key, rows)
        else:
            self._groups(_mapping(value, "table 四's groups to their five numbers"), key, rows,
                         nested=False)
        return rows.entered()

    @staticmethod
    def _line(value: list[Any], key: str, rows: _Rows) -> None:
        if len(value) != _TABLE4_WIDTH:
            rows.ctx.report(key, f"expected the table's {_TABLE4_WIDTH} numbers (行政复议, "
                                 f"未经复议直接起诉, 复议后起诉: five each), got {len(value)}")
            rows.rejected.add(ANY_ROW)
            return
        width = len(RESULT_COLUMNS)
        for index, (group, label) in enumerate(TABLE4_GROUPS):
            cells = [TABLE4_CELLS.one(v, f"{key}.{index * width + i}", column, rows.ctx)
                     for i, (column, v) in enumerate(zip(TABLE4_CELLS.printed,
                                                         value[index * width:][:width],
                                                         strict=True))]
            numbers = None if None in cells else tuple(c for c in cells if c is not None)
            rows.place(group, label, key, numbers)

    def _groups(self, value: dict[Any, Any], key: str, rows: _Rows, nested: bool) -> None:
        for name, numbers in value.items():
            path = f"{key}.{name}"
            group = TABLE4_GROUP_NAMES.find(name)
            if group is not None:
                rows.place(group, TABLE4_GROUP_NAMES.printed[group], path,
                           TABLE4_CELLS.row(numbers, path, rows.ctx))
            elif not nested and normalise(str(name)) == normalise(LITIGATION) and isinstance(
                    numbers, dict):
                self._groups(numbers, path, rows, nested=True)
            else:
                rows.unknown(path, "a group of table 四 (行政复议, 行政诉讼: 未经复议直接起诉, "
                                   "复议后起诉)", TABLE4_GROUP_NAMES.hint(name))
