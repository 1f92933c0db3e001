"""QR codes of page URLs as inline SVG (扫一扫在手机打开当前页).

zxing-cpp (native) encodes the URL into the module matrix; every page of a 10,000-item column gets
one in each script, so encoding speed matters (segno, pure Python, took ~5x longer). The SVG is
one path of horizontal runs, a few hundred bytes, the same bytes for the same URL.
"""

from __future__ import annotations

import re

import zxingcpp

_DARK_RUN = re.compile(rb"\x00+")
QUIET = 2  # modules of white border (the standard asks 4; the page around it is white)


def qr_svg(url: str, title: str = "扫一扫在手机打开当前页", scale: int = 3) -> str:
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = code.to_image(scale=1, add_quiet_zones=False)
    rows, cols = memoryview(image).shape
    data = bytes(memoryview(image))  # 0 = dark module
    runs = [
        f"M{match.start() - y * cols + QUIET} {y + QUIET}h{len(match[0])}v1h-{len(match[0])}z"
        for y in range(rows)
        for match in _DARK_RUN.finditer(data, y * cols, (y + 1) * cols)
    ]
    size = cols + 2 * QUIET
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="qr" '
            f'width="{size * scale}" height="{size * scale}" viewBox="0 0 {size} {size}">'
            f"<title>{title}</title>"
            f'<rect width="{size}" height="{size}" fill="#fff"/>'
            f'<path fill="#000" d="{"".join(runs)}"/></svg>')
