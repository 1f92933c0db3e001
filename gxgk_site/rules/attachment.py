"""`attachment`: an attachment of a 主动公开 item that gxgk could not scan for personal data
and wording: a format it does not read (.doc .xls .wps .ofd, images, archives…), a PDF of
scanned images, a file too large, or one it could not open (broken, encrypted); or one it
scanned only in part. A warning on the item, at its link: check that file by hand.

The findings inside attachments are the ``privacy`` and ``wording`` rules' own.
"""

from __future__ import annotations

from collections.abc import Iterator

from gxgk_site.attachment_text.extract import Extracted, Status
from gxgk_site.findings import Finding, warning
from gxgk_site.model import Attribute, Item, Site
from gxgk_site.rules import rule


def attached(site: Site, item: Item) -> Iterator[tuple[int, str, Extracted]]:
    """(line of the link, file, its text) of each attachment of a 主动公开 item."""
    for line, path in site.attachments.get(item.path, ()):
        extracted = site.attachment_texts.get(path)
        if extracted is not None:
            yield line, path, extracted


_WHAT = {
    Status.NOT_SCANNED: "was not scanned",
    Status.FAILED: "could not be scanned",
    Status.PARTIAL: "was scanned only in part",
}


@rule("attachment", "attachments gxgk could not scan are named, to be checked by hand")
def check(site: Site) -> Iterator[Finding]:
    for item in site.items:
        if item.attribute is not Attribute.PROACTIVE:
            continue
        for line, path, extracted in attached(site, item):
            if extracted.status is Status.SCANNED:
                continue
            yield warning("attachment", item.path, line,
                          f"attachment {path} {_WHAT[extracted.status]} ({extracted.note}): "
                          "check it by hand for personal data and wording errors before "
                          "publishing")
