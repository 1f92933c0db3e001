"""Which findings `gxgk check --changed-since REF` reports.

The rules always run over the whole site; only the findings are filtered. A finding is kept when

1. its file changed since REF (or is new), or
2. its file is not an item file (site.yaml, data/ files, content/guide.md, an attachment):
   such findings are about the whole site and always shown, or
3. it comes from a rule that compares items with each other (``index-number``, ``link``,
   ``window``) and its message names something of a changed item: the path of a changed, new,
   deleted or renamed file, or the index number a changed item has now or had at REF. So a
   duplicate index number between a changed and an unchanged item is reported on both, and so
   is a link or an ``interprets`` that a change broke (a target deleted, renamed, made
   non-public, or given a new index number), or a 政策解读 made late by its policy's
   publication (its window names the policy's index number).
4. it comes from a rule that reads the attachments items link (``privacy``, ``wording``,
   ``attachment``) and its message names a changed attachment: a new or edited file is
   checked although the item that links it is unchanged.

Every other finding is about an unchanged item on its own, and is left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from gxgk_site import yamlio
from gxgk_site.changed import Changes, texts_at
from gxgk_site.findings import Finding
from gxgk_site.frontmatter import NoFrontMatter, split
from gxgk_site.loader import item_files
from gxgk_site.model import Site

CROSS_ITEM_RULES = frozenset({"index-number", "link", "window"})
ATTACHMENT_RULES = frozenset({"privacy", "wording", "attachment"})


@dataclass(frozen=True)
class Scope:
    ref: str
    changed_items: tuple[str, ...]  # item files changed since REF, sorted
    changed_files: frozenset[str]  # every changed file of the site, items or not
    items: frozenset[str]  # every item file of the site, changed or not
    involving: re.Pattern[str] | None  # what a cross-item message names to involve a change
    attachments: re.Pattern[str] | None = None  # "attachment PATH," of a changed file

    def keeps(self, finding: Finding) -> bool:
        if finding.path in self.changed_files or finding.path not in self.items:
            return True
        if finding.rule in ATTACHMENT_RULES and self.attachments is not None:
            return self.attachments.search(finding.message) is not None
        return (finding.rule in CROSS_ITEM_RULES and self.involving is not None
                and self.involving.search(finding.message) is not None)


def _old_index_number(text: str) -> str | None:
    try:
        data, _ = yamlio.load(split(text).meta)  # an old revision may be hostile too
    except (NoFrontMatter, yamlio.YamlProblem):
        return None
    value = data.get("index_no") if isinstance(data, dict) else None
    return value if isinstance(value, str) and value else None


def _mentions(words: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern finding any of the words as a whole (not inside a longer path or number)."""
    ordered = sorted(set(words), key=lambda word: (-len(word), word))
    if not ordered:
        return None
    either = "|".join(re.escape(word) for word in ordered)
    return re.compile(rf"(?<![\w/.-])(?:{either})(?![\w/-]|\.\w)")


def _scope(site_dir: Path, changes: Changes, site: Site | None) -> Scope:
    items = frozenset(site.files if site is not None else
                      (path.relative_to(site_dir).as_posix() for path in item_files(site_dir)))
    changed_items = sorted(changes.changed & items)
    words = set(changes.changed | changes.gone)
    if site is not None:
        by_path = site.items_by_path()
        words |= {by_path[path].index_no for path in changed_items
                  if path in by_path and by_path[path].index_no}
    # the index numbers the changed, deleted and renamed items had at REF
    before = [changes.repo_paths[path] for path in sorted(changes.changed | changes.gone)
              if path.endswith(".md") and path.startswith("content/")]
    for text in texts_at(site_dir, changes.ref, before).values():
        number = _old_index_number(text)
        if number:
            words.add(number)
    attachments = sorted(path for path in changes.changed if not path.endswith(".md"))
    named = ("|".join(re.escape(f"attachment {path} ") + "|" + re.escape(f"attachment {path},")
                      for path in attachments))
    return Scope(changes.ref, tuple(changed_items), changes.changed, items, _mentions(words),
                 re.compile(named) if named else None)


def limit_to_changes(findings: list[Finding], site_dir: Path, changes: Changes,
                     site: Site | None) -> tuple[list[Finding], Scope]:
    """The findings `--changed-since` reports, and what it looked at."""
    scope = _scope(site_dir, changes, site)
    return [finding for finding in findings if scope.keeps(finding)], scope
