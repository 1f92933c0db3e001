"""`image-alt`: every image in a public item has alternative text (GB/T 37668, WCAG 1.1.1).

A warning: screen-reader users hear nothing for an image without it. Write what the image
shows in the brackets: ``![2025年缴费档次表](files/table.png)``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from gxgk_site.findings import Finding, quoted, warning
from gxgk_site.links import blank_code
from gxgk_site.model import Attribute, Site
from gxgk_site.rules import rule
from gxgk_site.text_lines import Lines

_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*(<[^>]*>|[^)\s]+)")


@rule("image-alt", "images in public items have alternative text")
def check(site: Site) -> Iterator[Finding]:
    for item in site.items:
        if item.attribute is not Attribute.PROACTIVE or "![" not in item.body:
            continue
        text = blank_code(item.body)
        lines = Lines(text)
        for match in _IMAGE.finditer(text):
            if not match.group(1).strip():
                line = item.body_line + lines.of(match.start())
                yield warning("image-alt", item.path, line,
                              f"image {quoted(match.group(2))} has no alternative text; "
                              "describe it in the brackets, e.g. ![2025年缴费档次表](…)")
