"""Where every page lives in the output, and links between pages.

Listing pages are directory-style ("catalog/" is written to that folder's index.html, its later
pages beside it as index_2.html, …); item pages are files
("items/11990100MB0123456X-2025-00012.html", as on most government sites), one file each
without a folder of their own. Every link in a page is relative to that page, so the column
works under any base path and the Traditional mirror under ``zh-hant/`` links within itself
with the same markup. An item's URL derives from its index number alone, so it never changes.
"""

from __future__ import annotations

import re
from urllib.parse import quote

HANT_PREFIX = "zh-hant/"
_PLAIN = re.compile(r"[A-Za-z0-9_.~/-]*")  # what quote() leaves alone


def _encoded(path: str) -> str:
    """A site path as it goes in a URL: every character but letters, digits, '_.~-' and '/'
    percent-encoded, so that an attachment named '名单 1#2?.pdf' (or 'a%20b.pdf') is that file,
    not a fragment, a query or another name. The paths given here never hold a fragment."""
    return path if _PLAIN.fullmatch(path) else quote(path, safe="/")


def item_url(index_no: str) -> str:
    return f"items/{index_no.replace('/', '-')}.html"


def column_url(category_id: str, page: int = 1) -> str:
    return f"columns/{category_id}/" + paged(page)


def catalog_url(year: int | None = None, page: int = 1) -> str:
    return ("catalog/" if year is None else f"catalog/{year}/") + paged(page)


def paged(page: int) -> str:
    """Later pages of a listing sit beside its first, as index_2.html, index_3.html, … (the
    usual naming on government sites, and no folder to create per page)."""
    return "" if page == 1 else f"index_{page}.html"


def attachment_url(content_relative: str) -> str:
    return f"files/{content_relative}"


def output_file(url: str) -> str:
    """The file a URL is written to, relative to the output folder."""
    return url + "index.html" if url == "" or url.endswith("/") else url


def relative(from_url: str, to_url: str) -> str:
    """A link from the page at ``from_url`` to ``to_url`` (both site-relative, no '..').

    Pure string work: it runs for every link of every page.
    """
    base = from_url.split("/")[:-1]  # the folders the page is in ("a/b/" -> a, b; "x.html" -> -)
    target = to_url.split("/")
    common = 0
    while common < len(base) and common < len(target) - 1 and base[common] == target[common]:
        common += 1
    path = "../" * (len(base) - common) + "/".join(target[common:])
    return _encoded(path) if path else "./"


def via_root(from_url: str, to_url: str) -> str:
    """A link that climbs to the site root, then descends: for files that exist only at the
    root, so that the same link from a page's Traditional twin (one folder deeper) needs only
    one more "../". (relative() would shorten "search/" -> "search/t2s.json" to "t2s.json".)"""
    return _encoded("../" * from_url.count("/") + to_url)


def is_page(url: str) -> bool:
    """Pages have a Traditional twin under zh-hant/; files (assets, attachments, feeds,
    exports) exist once, at the root."""
    return url == "" or url.endswith("/") or url.endswith(".html")


def absolute(base_url: str, url: str) -> str:
    return base_url + _encoded(url)  # nearly every URL is plain: 0.05 s at 10,000 items
