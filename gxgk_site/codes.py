"""Check digits of the codes that identify an agency.

The unified social credit code (统一社会信用代码, GB 32100-2015) is 18 characters; the older
organisation code (组织机构代码, GB 11714-1997) is 9. Index numbers start with one of them and are
never reused, so a typo in the code would be baked into every index number for good.
"""

from __future__ import annotations

from gxgk_site.findings import quoted

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_CHARS.index(ch) * w for ch, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def org_check_char(first8: str) -> str:
    total = sum(_ORG_CHARS.index(ch) * w for ch, w in zip(first8, _ORG_WEIGHTS, strict=True))
    value = (11 - total % 11) % 11
    return "X" if value == 10 else str(value)


def agency_code_problem(code: str) -> str | None:
    """Why ``code`` is not a valid agency code, or None when it is."""
    if len(code) == 18:
        if any(ch not in _USCC_CHARS for ch in code):
            return (f"{quoted(code)} contains characters a unified social credit code cannot have "
                    "(digits and capital letters except I, O, S, V, Z)")
        expected = uscc_check_char(code[:17])
        if code[17] != expected:
            return (f"{quoted(code)} fails the GB 32100 check digit: the last character should be "
                    f"{expected!r}; check the code against the agency's certificate")
        return None
    if len(code) == 9:
        if any(ch not in _ORG_CHARS for ch in code[:8]):
            return (f"{quoted(code)} is not an organisation code (8 digits or capitals and a "
                    "check digit)")
        expected = org_check_char(code[:8])
        if code[8] != expected:
            return (f"{quoted(code)} fails the GB 11714 check digit: the last character should be "
                    f"{expected!r}")
        return None
    return (f"{quoted(code)} is neither an 18-character unified social credit code nor a "
            "9-character organisation code")
