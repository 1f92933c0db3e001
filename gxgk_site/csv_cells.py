"""CSV that spreadsheets open safely (catalog.csv, the annual reports' CSV).

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a formula
by Excel, WPS and LibreOffice: a title ``=HYPERLINK("https://evil.example","点击")`` in the catalog
would become a live link in the spreadsheet of whoever downloads it (CSV injection). As OWASP
recommends, such a cell gets a leading apostrophe, which spreadsheets show as text and do not
display; the csv module quotes every cell that needs it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> object:
    """The value as a spreadsheet should read it: text that would start a formula, defused."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def rows_text(rows: Iterable[Iterable[object]]) -> str:
    """The rows as CSV text, CRLF line ends, every cell defused (see cell)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(
        [cell(value) for value in row] for row in rows)
    return buffer.getvalue()
