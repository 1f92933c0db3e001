"""`attribute`: an item that is not 主动公开 names its legal ground (条例第十四、十五、十六条)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from gxgk_site.findings import Finding, error, quoted, warning
from gxgk_site.model import EXEMPT_GROUNDS, NOT_PROACTIVE_SCOPE, Attribute, Site
from gxgk_site.rules import rule

# Punctuation editors write inside the grounds: 法律、行政法规禁止公开, 危及“三安全一稳定”.
_NOISE = re.compile(r"[\s、，,“”\"'‘’「」]")

ALLOWED_GROUNDS: dict[Attribute, tuple[str, ...]] = {
    Attribute.WITHHELD: EXEMPT_GROUNDS,
    Attribute.ON_REQUEST: (*EXEMPT_GROUNDS, NOT_PROACTIVE_SCOPE),
}


def normalise_ground(text: str) -> str:
    return _NOISE.sub("", text)


@rule("attribute", "a non-proactive item names one of the legal grounds")
def check(site: Site) -> Iterator[Finding]:
    for item in site.items:
        if item.attribute is Attribute.PROACTIVE:
            if item.exempt_ground:
                yield warning("attribute", item.path, item.line_of("exempt_ground"),
                              "exempt_ground is only for items that are not 主动公开; remove it "
                              "or correct the attribute")
            continue
        allowed = ALLOWED_GROUNDS[item.attribute]
        listing = " | ".join(allowed)
        if not item.exempt_ground:
            yield error("attribute", item.path, item.line_of("attribute"),
                        f"a {item.attribute} item must name its ground in exempt_ground: "
                        f"one of {listing}")
            continue
        if normalise_ground(item.exempt_ground) not in allowed:
            near = difflib.get_close_matches(normalise_ground(item.exempt_ground), allowed, n=1,
                                             cutoff=0.4)
            hint = f"; did you mean {near[0]}?" if near else ""
            yield error("attribute", item.path, item.line_of("exempt_ground"),
                        f"exempt_ground {quoted(item.exempt_ground)} is not a ground for "
                        f"{item.attribute}; use one of {listing}{hint}")
