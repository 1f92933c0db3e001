"""Line numbers of places in a text, for findings that point into an item's body."""

from __future__ import annotations

import bisect
import re

_NEWLINE = re.compile("\n")


class Lines:
    """``lines.of(offset)``: how many lines of ``text`` come before ``offset`` (0 on the first
    line), in logarithmic time. A body with many matches (80,000 links) would be scanned again
    from its start for each one if lines were counted per match."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._newlines: list[int] | None = None  # made when first asked: most texts never are

    def of(self, offset: int) -> int:
        if self._newlines is None:
            self._newlines = [match.start() for match in _NEWLINE.finditer(self.text)]
        return bisect.bisect_left(self._newlines, offset)
