"""`link`: relative links in item bodies lead to files and items that exist in the site.

A link to another item's ``.md`` file becomes that item's page, so it must be an item that is
published: a public item linking a 依申请公开 or 不予公开 item would show a broken link. Links may
not leave the site directory. ``interprets`` (a 政策解读 pointing at its policy) names the index
number of a 主动公开 item.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from gxgk_site.findings import Finding, error, quoted
from gxgk_site.model import Attribute, Item, Site
from gxgk_site.rules import rule
from gxgk_site.site_files import CONTENT_DIR
from gxgk_site.text_lines import Lines

_INLINE = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*(<[^>]*>|[^)\s]+)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)", re.MULTILINE)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def blank_code(body: str) -> str:
    """The body with code blocks and code spans blanked out (line count kept)."""
    lines = body.split("\n")
    fence: str | None = None
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)[0] * 3
            lines[index] = ""
        elif fence is not None:
            if line.strip().startswith(fence):
                fence = None
            lines[index] = ""
        else:
            lines[index] = _CODE_SPAN.sub(lambda m: " " * len(m.group()), line)
    return "\n".join(lines)


def body_links(body: str) -> Iterator[tuple[int, str]]:
    """(line offset within the body, target) of every Markdown link and image."""
    if "](" not in body and "]:" not in body:  # most bodies have no link at all
        return
    text = blank_code(body)
    lines = Lines(text)
    for pattern in (_INLINE, _REFERENCE):
        for match in pattern.finditer(text):
            target = match.group(1)
            if target.startswith("<"):
                target = target[1:-1]
            yield lines.of(match.start()), target


def is_relative(target: str) -> bool:
    return bool(target) and not target.startswith(("#", "/")) and not _SCHEME.match(target)


def resolve(site_root: Path, item_path: str, target: str) -> tuple[str | None, str]:
    """The site-relative POSIX path a relative link points to, or None with the reason."""
    clean = unquote(target.split("#", 1)[0].split("?", 1)[0])
    if not clean:
        return None, "empty"
    base = (site_root / item_path).parent
    resolved = (base / clean).resolve()
    try:
        return resolved.relative_to(site_root.resolve()).as_posix(), ""
    except ValueError:
        return None, "outside"


def publishable(path: str) -> bool:
    """Whether a site file may be published as an attachment when an item links it: a file
    under content/ that is not Markdown and not hidden (see build.attachments)."""
    parts = path.split("/")
    return (parts[0] == CONTENT_DIR and len(parts) > 1 and not path.endswith(".md")
            and not any(part.startswith(".") for part in parts))


def _item_problem(site: Site, item: Item, linked: Item | None, path: str) -> str | None:
    if linked is None:
        return f"leads to {path}, which has front-matter errors; fix that file"
    if item.is_public and not linked.is_public:
        state = "a draft" if linked.draft else f"{linked.attribute}"
        return (f"leads to {path}, which is {state} and not published; the link would be "
                "broken on the public site")
    return None


def _file_problem(site: Site, item: Item, path: str) -> str | None:
    """What is wrong with a link to a site file that is not an item, or None."""
    target = site.root / path
    if not target.exists():
        return f"leads to {path}, which does not exist"
    if item.attribute is not Attribute.PROACTIVE:  # never published: nothing to break
        return None
    if target.is_dir():
        return f"leads to the folder {path}; link a file in it"
    if not publishable(path):
        return (f"leads to {path}, which is never published (attachments are files under "
                f"{CONTENT_DIR}/, not hidden and not Markdown); the public would get a broken "
                f"link: copy what the public may see into {CONTENT_DIR}/ and link that")
    return None


def _link_problem(site: Site, item: Item, target: str, items: dict[str, Item],
                  files: set[str]) -> str | None:
    """What is wrong with one relative link of an item (without the 'link …' prefix)."""
    path, reason = resolve(site.root, item.path, target)
    if path is None:
        if reason == "outside":
            return ("points outside the site; copy the file into the site (e.g. an attachments "
                    "folder) and link it there")
        return None
    if path.endswith(".md") and path in files:
        return _item_problem(site, item, items.get(path), path)
    return _file_problem(site, item, path)


@rule("link", "relative links and interprets lead to existing, published targets")
def check(site: Site) -> Iterator[Finding]:
    items = site.items_by_path()
    by_index = {other.index_no: other for other in reversed(site.items) if other.index_no}
    files = set(site.files)
    for item in site.items:
        for offset, target in body_links(item.body):
            if not is_relative(target):
                continue
            problem = _link_problem(site, item, target, items, files)
            if problem is not None:
                yield error("link", item.path, item.body_line + offset,
                            f"link {quoted(target)} {problem}")
        if item.interprets:
            yield from _check_interprets(item, by_index.get(item.interprets))


def _check_interprets(item: Item, policy: Item | None) -> Iterator[Finding]:
    line = item.line_of("interprets")
    if policy is None:
        yield error("link", item.path, line,
                    f"interprets {quoted(item.interprets)}: no item has this index number; give "
                    "the index_no of the policy this item interprets")
    elif item.is_public and not policy.is_public:
        state = "a draft" if policy.draft else str(policy.attribute)
        yield error("link", item.path, line,
                    f"interprets {quoted(item.interprets)}: {policy.path} is {state}; "
                    "an interpretation is published together with a public policy")
