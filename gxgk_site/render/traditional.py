"""Simplified to Traditional Chinese for the mirror, with OpenCC's ``s2t`` profile.

``s2t`` converts characters only. ``s2twp`` would also swap words for Taiwanese usage (信息 →
資訊, 软件 → 軟體), which rewrites the names of government documents and terms: not wanted here.

In HTML, the values of attributes that name or point at something (``id``, ``href``, ``src``,
``for``, ...) are references, not text: they stay as written, so that a heading's anchor
(``id="工作目标"``) and the links to it (``href="#工作目标"``, or its percent-encoded form) still
meet in the mirror, and a URL with Chinese in it still points where it did.
"""

from __future__ import annotations

import re
from functools import cache

import opencc

# only values with other than ASCII in them: OpenCC leaves ASCII as it is (and most values are
# ASCII or percent-encoded, so that most pages are converted in one piece)
_REFERENCE = re.compile(
    r"""(\s(?:id|href|src|srcset|name|for|headers|action|xlink:href|aria-labelledby|"""
    r"""aria-describedby|aria-controls|aria-owns)\s*=\s*"""
    r"""(?:"[^"]*[^\x00-\x7f"][^"]*"|'[^']*[^\x00-\x7f'][^']*'))""",
    re.IGNORECASE)
# joins the text between references for one conversion: the first that the page does not hold
_SEPARATORS = tuple(chr(code) for code in range(1, 9))


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    return _converter().convert(text)


def html_to_traditional(html: str) -> str:
    """``html`` in Traditional characters, its references (see above) as written."""
    parts = _REFERENCE.split(html)
    if len(parts) == 1:
        return to_traditional(html)
    separator = next((s for s in _SEPARATORS if s not in html), None)
    texts = parts[::2]
    converted = [] if separator is None else to_traditional(separator.join(texts)).split(separator)
    if len(converted) != len(texts):  # a page of control characters: one conversion per text
        converted = [to_traditional(text) for text in texts]
    parts[::2] = converted
    return "".join(parts)
