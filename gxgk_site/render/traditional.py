"""Simplified to Traditional Chinese for the mirror, with OpenCC's ``s2t`` profile.

``s2t`` converts characters only. ``s2twp`` would also swap words for Taiwanese usage (信息 →
資訊, 软件 → 軟體), which rewrites the names of government documents and terms: not wanted here.
"""

from __future__ import annotations

from functools import cache

import opencc


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    return _converter().convert(text)
