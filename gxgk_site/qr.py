"""QR codes of page URLs as inline SVG (扫一扫在手机打开当前页).

zxing-cpp (native) encodes the URL into the module matrix; every item page gets one in each
script, so speed matters (segno, pure Python, took ~5x longer). Each row of modules is drawn as one
line whose dash pattern is the row's run lengths (dark, light, dark, …), so the run lengths are
counted in C (``re.findall`` and ``map``) rather than module by module in Python. The result is
the same bytes for the same URL.
"""

from __future__ import annotations

import re

import zxingcpp

QUIET = 2  # modules of white border (the standard asks 4; the page around it is white)
_RUNS = re.compile(rb"\x00+|\xff+")  # in zxing's image, 0 is a dark module


def qr_svg(url: str, title: str = "扫一扫在手机打开当前页", scale: int = 3) -> str:
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = memoryview(code.to_image(scale=1, add_quiet_zones=False))
    rows, cols = image.shape
    data = image.tobytes()
    size = cols + 2 * QUIET
    lines = []
    for y in range(rows):
        row = data[y * cols:(y + 1) * cols]
        dashes = ",".join(map(str, map(len, _RUNS.findall(row))))
        if row[0]:  # the row starts light: a dash pattern starts with a dark length
            dashes = "0," + dashes
        lines.append(f'<path d="M{QUIET} {y + QUIET}.5h{cols}" stroke-dasharray="{dashes}"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="qr" '
            f'width="{size * scale}" height="{size * scale}" viewBox="0 0 {size} {size}">'
            f"<title>{title}</title>"
            f'<rect width="{size}" height="{size}" fill="#fff"/>'
            f'<g stroke="#000" stroke-width="1" fill="none" shape-rendering="crispEdges">'
            f'{"".join(lines)}</g></svg>')
