"""`link`: relative links in item bodies lead to files and items that exist in the site.

A link to another item's ``.md`` file becomes that item's page, so it must be an item that is
published: a public item linking a 依申请公开 or 不予公开 item would show a broken link. Links may
not leave the site directory. ``interprets`` (a 政策解读 pointing at its policy) names the index
number of a 主动公开 item.
"""

from __future__ import annotations

from collections.abc import Iterator

from gxgk_site.findings import Finding, error, quoted
from gxgk_site.links import body_links, is_relative, publishable, resolve
from gxgk_site.model import Attribute, Item, Site
from gxgk_site.rules import rule
from gxgk_site.site_files import CONTENT_DIR


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
