"""`secrecy-review`: a 主动公开 item passed the secrecy review (保密审查) before publication.

"先审查、后公开": the review has a name and a date, on or before the day the item goes public.
"""

from __future__ import annotations

from collections.abc import Iterator

from gxgk_site.findings import Finding, error
from gxgk_site.model import Attribute, Site
from gxgk_site.rules import rule


@rule("secrecy-review", "a 保密审查 with name and date before publication")
def check(site: Site) -> Iterator[Finding]:
    for item in site.items:
        if item.attribute is not Attribute.PROACTIVE:
            continue
        review = item.secrecy_review
        line = item.line_of("secrecy_review") or item.line_of("attribute")
        if review is None or not review.complete:
            what = "is missing" if review is None else (
                "has no name" if not review.name else "has no date")
            yield error("secrecy-review", item.path, line,
                        f"the secrecy review (保密审查) {what}; add secrecy_review: "
                        "{name: …, date: YYYY-MM-DD} — nothing goes online unreviewed")
            continue
        release = item.release_date or site.today
        if review.date is not None and review.date > release:
            yield error("secrecy-review", item.path, item.line_of("secrecy_review.date") or line,
                        f"the secrecy review on {review.date} is after publication ({release}); "
                        "review first, then publish (先审查、后公开)")
