"""`wording`: serious wording errors (严重表述错误, a veto item of the national inspection) in a
主动公开 item's title, summary, keywords and body, and in the attachments it links.

What is found is ``wording/scan.py``'s: gxgk's list of misspelt names of the state, national
bodies, laws and regulations (``wording/builtin.py``, versioned), the site's wrong and banned
words and its leaders (``data/wording/``). Each finding quotes the text around the word and
gives the right form. Serious ones (gxgk's list, leaders, banned words, ``serious: true`` in
wrong.yaml) are errors, the site's other wrong words warnings. An item lets a word pass with a
reason, ``wording_allow: {词: 理由}`` (for a leader's title or order: the leader's name); an
allowed word that the item and its attachments no longer contain is a warning.
"""

from __future__ import annotations

from collections.abc import Iterator

from gxgk_site.findings import Finding, error, quoted, warning
from gxgk_site.model import Attribute, Item, Site
from gxgk_site.rules import rule
from gxgk_site.rules.attachment import attached
from gxgk_site.text_lines import Lines
from gxgk_site.wording.scan import Hit, Scanner

RULE = "wording"
AROUND = 12  # characters of context each side of a word


def context(text: str, start: int, end: int) -> str:
    """The text around text[start:end], on one line, with … where it was cut."""
    before = text[max(0, start - AROUND):start]
    after = text[end:end + AROUND]
    shown = ("…" if start > AROUND else "") + before + text[start:end] + after + (
        "…" if end + AROUND < len(text) else "")
    return " ".join(shown.split())


def _message(place: str, text: str, hit: Hit) -> str:
    return (f"{place}: {hit.problem} in \"{context(text, hit.start, hit.end)}\": {hit.fix}; "
            f"if it is right here, wording_allow: {{{hit.key}: 理由}}")


def _finding(item: Item, line: int, message: str, hit: Hit) -> Finding:
    return (error if hit.serious else warning)(RULE, item.path, line, message)


def _check_item(scanner: Scanner, site: Site, item: Item) -> Iterator[Finding]:
    allowed = item.wording_allow
    used: set[str] = set()
    for place, text, line in item.texts():
        lines = Lines(text)
        for hit in scanner.scan(text, item.formed):
            if hit.key in allowed:
                used.add(hit.key)
                continue
            where = line if line is not None else item.body_line + lines.of(hit.start)
            yield _finding(item, where, _message(place, text, hit), hit)
    for line, path, extracted in attached(site, item):
        for hit in scanner.scan(extracted.text, item.formed):
            if hit.key in allowed:
                used.add(hit.key)
                continue
            place = f"attachment {path}, {extracted.where(hit.start)}"
            yield _finding(item, line, _message(place, extracted.text, hit), hit)
    for word in sorted(set(allowed) - used):
        yield warning(RULE, item.path, item.line_of(f"wording_allow.{word}"),
                      f"wording_allow: nothing the rule reports in the item or its attachments "
                      f"is {quoted(word)} (any more); remove it")


@rule(RULE, "no misspelt name of the state, a body, a law or a leader, wrong title or order, "
      "or listed wrong or banned word in a public page or attachment")
def check(site: Site) -> Iterator[Finding]:
    scanner = Scanner(site.wording)
    for item in site.items:
        if item.attribute is Attribute.PROACTIVE:
            yield from _check_item(scanner, site, item)
