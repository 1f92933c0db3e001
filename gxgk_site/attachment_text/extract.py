"""The text of an attachment, with where each part of it stands (sheet and cell, page, line).

Formats and libraries (chosen by measuring on a 600-row 公示名单, see README "Attachments"):

- ``.txt`` and ``.csv``: UTF-8 (a byte-order mark allowed), UTF-16 with its mark, or GBK
  (GB18030), what spreadsheet programs on Chinese Windows save; a csv by cell (``cell B5``).
- ``.xlsx`` (and ``.xlsm``): ``python-calamine`` (Rust), every sheet, hidden ones too, by cell.
- ``.docx``: its XML read with ``lxml`` (entities never resolved, no network): the body by
  paragraph and table cell, and the headers, footers, footnotes, endnotes and comments.
- ``.pdf``: ``pypdfium2`` (PDFium), by page. A page without any text that holds an image is a
  scan: gxgk cannot read it (no OCR).
- Anything else (``.doc`` ``.xls`` ``.wps`` ``.ofd``, images, archives…) is not scanned.

The work is bounded: a file over ``MAX_FILE_BYTES``, a zip (xlsx, docx) that would unpack to
more than ``MAX_UNPACKED_BYTES`` or hold more than ``MAX_ZIP_ENTRIES`` entries (a zip bomb) is
not scanned; only the first ``MAX_CELLS`` cells, ``MAX_PAGES`` pages and ``MAX_CHARS``
characters are scanned, and the result says what was left. A file that cannot be read (broken,
encrypted) says why. Nothing here raises for a bad file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 10_000
MAX_CELLS = 1_000_000
MAX_PAGES = 2_000
MAX_CHARS = 10_000_000
# Bump when what is extracted changes: cached results of another version are not used.
EXTRACTION_VERSION = "1"

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp",
                            ".svg"})
BY_HAND = {  # formats gxgk does not read, and what they are
    ".doc": "a Word 97-2003 document (.doc)", ".xls": "an Excel 97-2003 workbook (.xls)",
    ".wps": "a WPS document (.wps)", ".et": "a WPS spreadsheet (.et)",
    ".ofd": "an OFD document (.ofd)",
}


class Status(StrEnum):
    SCANNED = "scanned"
    PARTIAL = "partial"  # scanned, but not all of it (the note says what was left)
    NOT_SCANNED = "not scanned"  # a format gxgk does not read, or too large
    FAILED = "failed"  # should have been read, but could not (broken, encrypted)


@dataclass(frozen=True, slots=True)
class Extracted:
    """An attachment's text: its parts joined by line feeds (a match never spans two), and
    where each part starts: (offset, label, whether lines count inside the part)."""

    status: Status
    note: str = ""
    text: str = ""
    parts: tuple[tuple[int, str, bool], ...] = ()

    def where(self, offset: int) -> str:
        """Where the text at ``offset`` stands: 'sheet 名单, cell B5', 'page 3', 'line 12'."""
        low, high = 0, len(self.parts)
        while high - low > 1:  # the last part starting at or before offset
            middle = (low + high) // 2
            if self.parts[middle][0] <= offset:
                low = middle
            else:
                high = middle
        if not self.parts:
            return ""
        start, label, lines = self.parts[low]
        if not lines:
            return label
        line = f"line {self.text.count(chr(10), start, offset) + 1}"
        return f"{label}, {line}" if label else line


@dataclass
class _Builder:
    """Collects labelled parts up to MAX_CHARS, then notes what was left."""

    chunks: list[str] = field(default_factory=list)
    parts: list[tuple[int, str, bool]] = field(default_factory=list)
    length: int = 0
    left: str = ""

    def add(self, label: str, text: str, lines: bool = False) -> bool:
        """Add a part; False once the text is full (the caller stops)."""
        if not text.strip():
            return True
        if self.length + len(text) > MAX_CHARS:
            self.left = f"only the first {MAX_CHARS:,} characters were scanned"
            return False
        self.parts.append((self.length, label, lines))
        self.chunks.append(text)
        self.length += len(text) + 1
        return True

    def result(self, left: str = "") -> Extracted:
        note = "; ".join(part for part in (self.left, left) if part)
        return Extracted(Status.PARTIAL if note else Status.SCANNED, note,
                         "\n".join(self.chunks), tuple(self.parts))


class Unreadable(Exception):
    """The file cannot be read; the message says why (for a finding)."""


class TooMuch(Exception):
    """The file is beyond a limit; the message says which (not scanned)."""


# -- text files ---------------------------------------------------------------------------

def decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise Unreadable("not valid UTF-16 text") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Unreadable("neither UTF-8 nor GBK text")


def _txt(raw: bytes) -> Extracted:
    builder = _Builder()
    text = decode(raw).replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > MAX_CHARS:
        builder.left = f"only the first {MAX_CHARS:,} characters were scanned"
        text = text[:MAX_CHARS]
    builder.add("", text, lines=True)
    return builder.result()


def column_name(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    name = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        name = chr(65 + remainder) + name
    return name


def _cells(builder: _Builder, prefix: str, rows: Iterable[Iterable[Any]], first_row: int = 0,
           first_column: int = 0, budget: list[int] | None = None) -> str:
    """Add each non-empty cell of ``rows`` as a part ``{prefix}cell B5``; returns what was left
    when MAX_CELLS (shared through ``budget``) ran out."""
    budget = budget if budget is not None else [MAX_CELLS]
    for row_number, row in enumerate(rows, start=first_row + 1):
        for column, value in enumerate(row, start=first_column):
            text = cell_text(value)
            if not text:
                continue
            budget[0] -= 1
            if budget[0] < 0:
                return f"only the first {MAX_CELLS:,} cells were scanned"
            if not builder.add(f"{prefix}cell {column_name(column)}{row_number}", text):
                return ""
    return ""


def cell_text(value: Any) -> str:
    """A cell's value as text: whole numbers without '.0' (an ID or phone number typed as a
    number), dates in ISO form."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _csv(raw: bytes) -> Extracted:
    text = decode(raw)
    builder = _Builder()
    try:
        left = _cells(builder, "", csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise Unreadable(f"not a readable CSV file ({exc})") from None
    return builder.result(left)


# -- zip containers -----------------------------------------------------------------------

def _open_zip(raw: bytes, what: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise Unreadable(f"not a valid {what} file (it is not the zip package an {what} "
                         "is); save it again from the program that made it") from None
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise TooMuch(f"it holds {len(entries):,} parts, more than {MAX_ZIP_ENTRIES:,}")
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNPACKED_BYTES:
        raise TooMuch(f"it would unpack to {unpacked / 2**20:,.0f} MB, more than "
                      f"{MAX_UNPACKED_BYTES // 2**20} MB (a zip bomb?)")
    return archive


def _xlsx(raw: bytes) -> Extracted:
    _open_zip(raw, "xlsx").close()
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(raw))
    except (CalamineError, ValueError, OSError) as exc:
        raise Unreadable(f"the workbook cannot be read ({_short(exc)})") from None
    builder, budget, left = _Builder(), [MAX_CELLS], ""
    try:
        for sheet_info in workbook.sheets_metadata:
            name = sheet_info.name
            hidden = "" if str(sheet_info.visible).endswith("Visible") else " (hidden)"
            sheet = workbook.get_sheet_by_name(name)
            first_row, first_column = sheet.start or (0, 0)
            left = _cells(builder, f"sheet {name}{hidden}, ", sheet.iter_rows(), first_row,
                          first_column, budget)
            if left or builder.left:
                break
    except (CalamineError, ValueError, OSError) as exc:
        raise Unreadable(f"a sheet cannot be read ({_short(exc)})") from None
    finally:
        workbook.close()
    return builder.result(left)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DOCX_PARTS = (("header", "word/header"), ("footer", "word/footer"),
               ("footnotes", "word/footnotes.xml"), ("endnotes", "word/endnotes.xml"),
               ("comments", "word/comments.xml"))


def _xml(data: bytes) -> Any:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise Unreadable(f"its XML is broken ({_short(exc)})") from None


def _words(element: Any) -> str:
    return "".join(node.text or "" for node in element.iter(f"{_W}t", f"{_W}tab"))


def _docx_body(builder: _Builder, body: Any) -> None:
    paragraphs = tables = 0
    for child in body:
        if child.tag == f"{_W}p":
            paragraphs += 1
            if not builder.add(f"paragraph {paragraphs}", _words(child)):
                return
        elif child.tag == f"{_W}tbl":
            tables += 1
            for row_number, row in enumerate(child.iter(f"{_W}tr"), start=1):
                for cell_number, cell in enumerate(row.iter(f"{_W}tc"), start=1):
                    label = f"table {tables}, row {row_number}, cell {cell_number}"
                    if not builder.add(label, _words(cell)):
                        return


def _docx(raw: bytes) -> Extracted:
    archive = _open_zip(raw, "docx")
    builder = _Builder()
    with archive:
        names = archive.namelist()
        if "word/document.xml" not in names:
            raise Unreadable("it has no word/document.xml: not a Word document")
        try:
            root = _xml(archive.read("word/document.xml"))
            body = root.find(f"{_W}body")
            if body is not None:
                _docx_body(builder, body)
            for label, prefix in _DOCX_PARTS:
                for name in sorted(n for n in names if n.startswith(prefix)):
                    paragraphs = [_words(p) for p in _xml(archive.read(name)).iter(f"{_W}p")]
                    builder.add(label, "\n".join(p for p in paragraphs if p), lines=True)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise Unreadable(f"a part cannot be unpacked ({_short(exc)})") from None
    return builder.result()


# -- pdf ----------------------------------------------------------------------------------

def _pdf(raw: bytes) -> Extracted:
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    try:
        document = pypdfium2.PdfDocument(raw)
    except pypdfium2.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise Unreadable("it is encrypted: it needs a password to open, so the public "
                             "cannot open it either; attach it without a password") from None
        raise Unreadable(f"not a readable PDF ({_short(exc)})") from None
    builder, scans = _Builder(), []
    try:
        pages = len(document)
        for number in range(min(pages, MAX_PAGES)):
            page = document[number]
            textpage = page.get_textpage()
            text = textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n")
            textpage.close()
            if not text.strip() and any(obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE
                                        for obj in page.get_objects(max_depth=2)):
                scans.append(number + 1)
            page.close()
            if not builder.add(f"page {number + 1}", text):
                break
    finally:
        document.close()
    return _pdf_result(builder, pages, scans)


def _pages(numbers: list[int]) -> str:
    shown = ", ".join(map(str, numbers[:10]))
    return shown + (f" and {len(numbers) - 10} more" if len(numbers) > 10 else "")


def _pdf_result(builder: _Builder, pages: int, scans: list[int]) -> Extracted:
    if scans and not builder.parts:
        return Extracted(Status.NOT_SCANNED, "it has no text layer, only scanned images: "
                         "gxgk cannot read them (no OCR)")
    left = []
    if scans:
        left.append(f"page(s) {_pages(scans)} are scanned images without text")
    if pages > MAX_PAGES:
        left.append(f"only the first {MAX_PAGES:,} of {pages:,} pages were scanned")
    return builder.result("; ".join(left))


def _short(exc: BaseException) -> str:
    text = str(exc).strip().split("\n")[0] or type(exc).__name__
    return text if len(text) <= 120 else text[:120] + "…"


READERS: dict[str, Callable[[bytes], Extracted]] = {
    ".txt": _txt, ".csv": _csv, ".xlsx": _xlsx, ".xlsm": _xlsx, ".docx": _docx, ".pdf": _pdf,
}


def scanned_suffix(name: str) -> bool:
    return Path(name).suffix.lower() in READERS


def not_scanned(name: str) -> Extracted:
    """The result for a file of a format gxgk does not read."""
    suffix = Path(name).suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        what = "an image: gxgk cannot read text in it (no OCR)"
    elif suffix in BY_HAND:
        what = f"{BY_HAND[suffix]}, a format gxgk does not read"
    else:
        what = f"a {suffix or 'file without extension'} file, a format gxgk does not read"
    return Extracted(Status.NOT_SCANNED, what)


def extract(name: str, raw: bytes) -> Extracted:
    """The text of the attachment ``name`` (its suffix says the format) with bytes ``raw``."""
    reader = READERS.get(Path(name).suffix.lower())
    if reader is None:
        return not_scanned(name)
    try:
        return reader(raw)
    except TooMuch as exc:
        return Extracted(Status.NOT_SCANNED, f"too large to scan: {exc}")
    except Unreadable as exc:
        return Extracted(Status.FAILED, str(exc))
    except (MemoryError, RecursionError) as exc:
        return Extracted(Status.FAILED, f"reading it ran out of resources ({type(exc).__name__})")
    except BaseException as exc:  # a library's own failure (a Rust panic is a BaseException)
        if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit):
            raise
        return Extracted(Status.FAILED, f"it cannot be read ({type(exc).__name__}: "
                         f"{_short(exc)})")


def iter_parts(extracted: Extracted) -> Iterator[tuple[str, str]]:
    """(label, text) of each part (for tests and tools)."""
    for index, (start, label, _) in enumerate(extracted.parts):
        end = (extracted.parts[index + 1][0] - 1 if index + 1 < len(extracted.parts)
               else len(extracted.text))
        yield label, extracted.text[start:end]
