"""`index-number`: a well-formed index number (索引号) on every 主动公开 item, no two alike.

The format is ``{agency code}/{YYYY}-{5-digit serial}``, e.g. ``11320183014160001K/2025-00012``. An
item's URL derives from its index number, so it is unique and never reused, across all items
whatever their attribute.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from gxgk_site.findings import Finding, error, quoted
from gxgk_site.model import Attribute, Site
from gxgk_site.rules import rule

_SHAPE = re.compile(r"(?P<code>[0-9A-Z]{9}|[0-9A-Z]{18})/(?P<year>\d{4})-(?P<serial>\d{5})")


def index_pattern_hint(code: str, year: int) -> str:
    return f"{code}/{year}-00001"


@rule("index-number", "a unique, well-formed index number on each public item")
def check(site: Site) -> Iterator[Finding]:
    code = site.config.agency.code
    holders: dict[str, list[tuple[str, int | None]]] = defaultdict(list)
    for item in site.items:
        line = item.line_of("index_no") or item.line_of("attribute")
        if item.index_no is None:
            if item.attribute is Attribute.PROACTIVE:
                yield error("index-number", item.path, line,
                            "a 主动公开 item needs index_no (索引号), e.g. "
                            f"{index_pattern_hint(code, item.formed.year)}")
            continue
        holders[item.index_no].append((item.path, line))
        match = _SHAPE.fullmatch(item.index_no)
        if match is None:
            yield error("index-number", item.path, line,
                        f"index_no {quoted(item.index_no)} is malformed; the format is "
                        f"{{agency code}}/{{YYYY}}-{{5 digits}}, e.g. "
                        f"{index_pattern_hint(code, item.formed.year)}")
        elif match["code"] != code:
            yield error("index-number", item.path, line,
                        f"index_no {quoted(item.index_no)} starts with {match['code']}, but the "
                        f"agency code in site.yaml is {code}")
    for number, places in sorted(holders.items()):
        if len(places) > 1:
            for path, line in places:
                others = ", ".join(other for other, _ in places if other != path)
                yield error("index-number", path, line,
                            f"index_no {number} is also used by {others}; an index number "
                            "is unique and never reused")
