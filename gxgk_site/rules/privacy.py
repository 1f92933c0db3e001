"""`privacy`: no citizen ID number, mobile number or bank-card number in a public item, nor in
the attachments it links.

A citizen ID number (公民身份号码, GB 11643) is 17 digits and a check character, with a real birth
date in positions 7-14. A mainland mobile number is 11 digits starting 13-19. A bank-card number
is 16 to 19 digits (in groups of four, or not) that pass the Luhn check and start as the card
schemes issue them (62 China UnionPay, 60 some mainland debit cards, 4 Visa, 51-55 and
2221-2720 Mastercard, 35 JCB): other long numbers (a 统一社会信用代码, an account of the
treasury, a serial) mostly fail one of the two. An 18-digit number that is a valid ID number is
reported as one, not as a card. Masked forms (139****5678, 3211**********1234,
6222 **** **** 1234), short hotlines (12333) and 18-digit numbers whose check character fails
are not reported. Messages never repeat the number in full.

Attachments (see ``attachment_text``) are searched the same way; their findings are on the item
that links them, at the link, and name the file and the sheet and cell, or page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from gxgk_site.findings import Finding, error
from gxgk_site.model import Attribute, Site
from gxgk_site.rules import rule
from gxgk_site.rules.attachment import attached
from gxgk_site.text_lines import Lines

_ID_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])[1-8]\d{16}[0-9Xx](?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
# Every ID or mobile number holds eight digits with at most one separator in the middle: a
# text without such a run is skipped (the full patterns cost 5x more than this one).
_MAYBE = re.compile(r"[0-9]{4}[- ]?[0-9]{4}")
_CARD = re.compile(r"(?<![0-9A-Za-z])(?:\d{4}[- ]){3}\d{4}(?:[- ]?\d{1,3})?(?![0-9A-Za-z])"
                   r"|(?<![0-9A-Za-z])\d{16,19}(?![0-9A-Za-z])")
_CARD_PREFIX = re.compile(r"62|60|4|5[1-5]|2(?:22[1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720)|35")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def is_citizen_id(candidate: str, today: dt.date) -> bool:
    if len(candidate) != 18 or not candidate[:17].isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(candidate, _ID_WEIGHTS, strict=False))
    if _ID_CHECK[total % 11] != candidate[17].upper():
        return False
    try:
        born = dt.date(int(candidate[6:10]), int(candidate[10:12]), int(candidate[12:14]))
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= born <= today


def mask(number: str) -> str:
    return f"{number[:3]}{'*' * (len(number) - 7)}{number[-4:]}"


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def is_bank_card(digits: str, today: dt.date) -> bool:
    """16-19 digits, a card scheme's prefix, the Luhn check; never a valid ID number."""
    return (16 <= len(digits) <= 19 and _CARD_PREFIX.match(digits) is not None
            and luhn_valid(digits) and not is_citizen_id(digits, today))


def find_leaks(text: str, today: dt.date) -> Iterator[tuple[int, str]]:
    """(offset, description) of each ID, mobile or bank-card number in ``text``."""
    if not _MAYBE.search(text):
        return
    for match in _ID_CANDIDATE.finditer(text):
        if is_citizen_id(match.group(), today):
            yield match.start(), f"a citizen ID number ({mask(match.group())})"
    for match in _MOBILE.finditer(text):
        yield match.start(), f"a mobile number ({mask(''.join(match.groups()))})"
    for match in _CARD.finditer(text):
        digits = re.sub(r"[- ]", "", match.group())
        if is_bank_card(digits, today):
            yield match.start(), f"a bank-card number ({mask(digits)})"


_FIX = "de-identify it before publishing (e.g. 139****5678, 3211**********1234)"


@rule("privacy", "no citizen ID, mobile or bank-card number in a public page or attachment")
def check(site: Site) -> Iterator[Finding]:
    for item in site.items:
        if item.attribute is not Attribute.PROACTIVE:
            continue
        for place, text, line in item.texts():
            lines = Lines(text)
            for offset, what in sorted(find_leaks(text, site.today)):
                where = line if line is not None else item.body_line + lines.of(offset)
                yield error("privacy", item.path, where, f"{place} contains {what}; {_FIX}")
        for line, path, extracted in attached(site, item):
            for offset, what in sorted(find_leaks(extracted.text, site.today)):
                yield error("privacy", item.path, line,
                            f"attachment {path}, {extracted.where(offset)}, contains {what}; "
                            f"{_FIX}")
