"""QR codes of page URLs as inline SVG (扫一扫在手机打开当前页).

zxing-cpp (native) encodes the URL into the module matrix; every item page gets one in each
script, so speed matters (segno, pure Python, took ~5x longer). Each row of modules is drawn as one
line whose dash pattern is the row's run lengths (dark, light, dark, …), so the run lengths are
counted in C (``re.findall`` and ``map``) rather than module by module in Python. The result is
the same bytes for the same URL.

The data mask is fixed (``MASK``) instead of chosen by the standard's penalty score: scoring the
eight masks was 80% of the encoding time (about 160 µs of 200 per code, 20,000 codes on a
10,000-item site). Every mask gives a valid code that any reader decodes; the penalty only steers
away from patterns that may trouble a poor camera image, and the codes here are crisp screen or
print images of a short URL. With one mask, codes of a site's URLs share most of their rows
(finder patterns, timing, format bits, the common URL prefix), so each row's dash pattern is
kept and reused: nine rows in ten are found in ``_DASHES``.
"""

from __future__ import annotations

import re

import zxingcpp

QUIET = 2  # modules of white border (the standard asks 4; the page around it is white)
MASK = 4  # the mask zxing's scoring chose most often for URLs of this shape
_RUNS = re.compile(rb"\x00+|\xff+")  # in zxing's image, 0 is a dark module
_DASHES: dict[bytes, str] = {}  # row of modules -> its dash pattern
_DASHES_MAX = 200_000  # about 30 MB; a long `gxgk serve` session starts again past this


def qr_svg(url: str, title: str = "扫一扫在手机打开当前页", scale: int = 3) -> str:
    # The level is given twice: zxing reads the mask only from ``options``, and options without
    # the level would reset it to L.
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M",
                                   options=f"ecLevel=M,dataMask={MASK}")
    image = memoryview(code.to_image(scale=1, add_quiet_zones=False))
    rows, cols = image.shape
    data = image.tobytes()
    size = cols + 2 * QUIET
    lines = []
    if len(_DASHES) > _DASHES_MAX:
        _DASHES.clear()
    for y in range(rows):
        row = data[y * cols:(y + 1) * cols]
        dashes = _DASHES.get(row)
        if dashes is None:
            dashes = ",".join(map(str, map(len, _RUNS.findall(row))))
            if row[0]:  # the row starts light: a dash pattern starts with a dark length
                dashes = "0," + dashes
            _DASHES[row] = dashes
        lines.append(f'<path d="M{QUIET} {y + QUIET}.5h{cols}" stroke-dasharray="{dashes}"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="qr" '
            f'width="{size * scale}" height="{size * scale}" viewBox="0 0 {size} {size}">'
            f"<title>{title}</title>"
            f'<rect width="{size}" height="{size}" fill="#fff"/>'
            f'<g stroke="#000" stroke-width="1" fill="none" shape-rendering="crispEdges">'
            f'{"".join(lines)}</g></svg>')
