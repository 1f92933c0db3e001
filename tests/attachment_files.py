"""Real attachments for the tests, written with the libraries offices use: xlsx (openpyxl),
docx (python-docx) and PDF (reportlab, with its built-in Chinese font STSong-Light, so that
the text is real text that a reader extracts)."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

# A real-looking citizen ID (valid check digit, born 1990-03-07), a mobile number, a
# UnionPay card number that passes the Luhn check, and their masked forms.
ID_NUMBER = "11010119900307002X"
MOBILE = "13912345678"
BANK_CARD = "6222021234567890128"
MASKED = ("110101**********002X", "139****5678", "6222 **** **** 0128")


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def write_docx(path: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    from docx import Document

    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=0, cols=len(table[0]))
        for row in table:
            cells = grid.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = value
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def write_pdf(path: Path, pages: list[list[str]], password: str | None = None) -> Path:
    """A PDF with a text layer: one list of lines per page."""
    from reportlab.pdfgen import canvas

    font = _font()
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf = canvas.Canvas(str(path), encrypt=password)
    for lines in pages:
        pdf.setFont(font, 11)
        for number, line in enumerate(lines):
            pdf.drawString(60, 780 - 18 * number, line)
        pdf.showPage()
    pdf.save()
    return path


def png(width: int = 40, height: int = 40) -> bytes:
    """A grey PNG image, made byte by byte."""
    raw = b"".join(b"\x00" + b"\x80" * width * 3 for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                              0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def write_scanned_pdf(path: Path, pages: int = 2) -> Path:
    """A PDF as a scanner makes it: each page an image, no text at all."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    path.parent.mkdir(parents=True, exist_ok=True)
    pdf = canvas.Canvas(str(path))
    for _ in range(pages):
        pdf.drawImage(ImageReader(io.BytesIO(png())), 50, 300, 400, 400)
        pdf.showPage()
    pdf.save()
    return path
