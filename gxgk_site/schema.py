"""Declarative validation of parsed YAML, with messages that name the key, the line and the fix.

A schema is a tree of ``Spec`` objects. ``Record`` checks a mapping against its declared fields
(missing required keys, unknown keys with the nearest known one suggested) and converts each value
with the field's spec. Problems are collected, never raised, so one pass reports all of them.
The site configuration (``config.py``) and the item front-matter (``item_schema.py``) are both
declared with it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from gxgk_site.findings import QUOTE_LIMIT, quoted
from gxgk_site.yamlio import KeyLines, line_of

_MISSING = object()


@dataclass(frozen=True, slots=True)
class Problem:
    key: str  # dotted key path, "" for the document itself
    message: str
    line: int | None
    rule: str


@dataclass
class Context:
    """Where problems go, and how to find the line of a key path."""

    lines: KeyLines
    rule: str
    line_offset: int = 0  # added to every line (front-matter starts below the '---')
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, key: str) -> int | None:
        line = line_of(self.lines, key)
        return None if line is None else line + self.line_offset

    def report(self, key: str, message: str, rule: str | None = None, *, labelled: bool = True,
               line_key: str | None = None) -> None:
        """Record a problem; the message is prefixed with the key unless ``labelled`` is False.

        ``line_key`` names the key whose line to show when it differs from ``key`` (a missing key
        has no line of its own: its parent's is shown).
        """
        label = f"{key if len(key) <= QUOTE_LIMIT else quoted(key)}: " if key and labelled else ""
        line = self.line_of(key if line_key is None else line_key)
        self.problems.append(Problem(key, label + message, line, rule or self.rule))


class Invalid(Exception):
    """Raised by a spec's ``convert`` with the message to show."""


class _Failed(Invalid):
    """A record whose fields had problems (already reported) cannot be built."""

    def __init__(self) -> None:
        super().__init__("")


def _type_name(value: Any) -> str:
    match value:
        case bool():
            return "true/false"
        case int() | float():
            return "a number"
        case str():
            return "text"
        case dt.datetime() | dt.date():
            return "a date"
        case list():
            return "a list"
        case dict():
            return "a mapping"
        case None:
            return "nothing"
    return type(value).__name__


class Spec:
    def convert(self, value: Any, key: str, ctx: Context) -> Any:
        raise NotImplementedError


# Characters no editor types and no page, feed or export may hold: control characters (tab and
# line feed aside; XML forbids them, and a NUL delimits the build's sentinels, see render.py) and
# lone surrogates (a YAML escape like "\ud800"; they cannot be written as UTF-8).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


def _unprintable_problem(value: str) -> str | None:
    found = _UNPRINTABLE.search(value)
    if found is None:
        return None
    return (f"contains the invisible character U+{ord(found.group()):04X} at position "
            f"{found.start() + 1}; delete it (it is often pasted in with the text)")


@dataclass(frozen=True)
class Text(Spec):
    max_len: int | None = None
    pattern: re.Pattern[str] | None = None
    pattern_hint: str = ""
    allow_empty: bool = False
    check: Callable[[str], str | None] | None = None  # returns what is wrong, or None

    def convert(self, value: Any, key: str, ctx: Context) -> str:
        if not isinstance(value, str):
            hint = " (put it in quotes)" if isinstance(value, int | float | bool) else ""
            raise Invalid(f"expected text, got {_type_name(value)}{hint}")
        value = value.strip()
        if not value and not self.allow_empty:
            raise Invalid("must not be empty")
        if (problem := _unprintable_problem(value)) is not None:
            raise Invalid(problem)
        if self.max_len is not None and len(value) > self.max_len:
            raise Invalid(f"is {len(value)} characters long; at most {self.max_len} are allowed")
        if self.pattern is not None and not self.pattern.fullmatch(value):
            raise Invalid(f"{quoted(value)} is malformed; expected {self.pattern_hint}")
        if self.check is not None and (problem := self.check(value)):
            raise Invalid(problem)
        return value


@dataclass(frozen=True)
class Integer(Spec):
    minimum: int | None = None
    maximum: int | None = None

    def convert(self, value: Any, key: str, ctx: Context) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(f"expected a whole number, got {_type_name(value)}")
        if self.minimum is not None and value < self.minimum:
            raise Invalid(f"must be at least {self.minimum}, got {value}")
        if self.maximum is not None and value > self.maximum:
            raise Invalid(f"must be at most {self.maximum}, got {value}")
        return value


@dataclass(frozen=True)
class Flag(Spec):
    def convert(self, value: Any, key: str, ctx: Context) -> bool:
        if not isinstance(value, bool):
            raise Invalid(f"expected true or false, got {_type_name(value)}")
        return value


@dataclass(frozen=True)
class Choice(Spec):
    choices: tuple[str, ...]

    def convert(self, value: Any, key: str, ctx: Context) -> str:
        text = value.strip() if isinstance(value, str) else value
        if text not in self.choices:
            near = difflib.get_close_matches(str(text), self.choices, n=1, cutoff=0.3)
            hint = f"; did you mean {near[0]}?" if near else ""
            raise Invalid(f"{quoted(value)} is not allowed; use one of "
                          f"{' | '.join(self.choices)}{hint}")
        return text


_CHINESE_DATE = re.compile(r"(\d{4})\s*[年/.\-]\s*(\d{1,2})\s*[月/.\-]\s*(\d{1,2})\s*日?")


def _suggest_date(text: str) -> str:
    match = _CHINESE_DATE.fullmatch(text.strip())
    if match:
        try:
            day = dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            return ""
        return f" (write {day.isoformat()})"
    return ""


# Dates gxgk accepts: far beyond any document's, and far enough from the ends of Python's dates
# that counting working days, windows and periods from them never overflows.
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2099, 12, 31)


def date_problem(day: dt.date) -> str | None:
    """What is wrong with a date outside EARLIEST..LATEST (e.g. 9999-12-31), or None."""
    if EARLIEST <= day <= LATEST:
        return None
    return (f"{day.isoformat()} is not a plausible date; gxgk takes dates from "
            f"{EARLIEST.isoformat()} to {LATEST.isoformat()}")


def _plausible(day: dt.date) -> dt.date:
    problem = date_problem(day)
    if problem:
        raise Invalid(problem)
    return day


@dataclass(frozen=True)
class Day(Spec):
    """A calendar date written YYYY-MM-DD (a YAML date)."""

    def convert(self, value: Any, key: str, ctx: Context) -> dt.date:
        if isinstance(value, dt.datetime):
            return _plausible(value.date())
        if isinstance(value, dt.date):
            return _plausible(value)
        if isinstance(value, str):
            raise Invalid(f"{quoted(value)} is not a date; write YYYY-MM-DD{_suggest_date(value)}")
        raise Invalid(f"expected a date YYYY-MM-DD, got {_type_name(value)}")


_DAY_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?")


@dataclass(frozen=True)
class Moment(Spec):
    """A date, optionally with a time of day: YYYY-MM-DD or YYYY-MM-DD HH:MM."""

    def convert(self, value: Any, key: str, ctx: Context) -> dt.datetime | dt.date:
        if isinstance(value, dt.datetime):
            _plausible(value.date())
            return value.replace(tzinfo=None, second=0, microsecond=0)
        if isinstance(value, dt.date):
            return _plausible(value)
        if isinstance(value, str):
            match = _DAY_TIME.fullmatch(value.strip())
            if match:
                try:
                    day = _plausible(dt.date.fromisoformat(match[1]))
                    return dt.datetime.combine(day, dt.time(int(match[2]), int(match[3])))
                except ValueError as exc:
                    raise Invalid(f"{quoted(value)} is not a valid date and time: {exc}") from None
            raise Invalid(
                f"{quoted(value)} is not a date; write YYYY-MM-DD or YYYY-MM-DD HH:MM"
                f"{_suggest_date(value)}"
            )
        raise Invalid(f"expected a date YYYY-MM-DD, got {_type_name(value)}")


@dataclass(frozen=True)
class ListOf(Spec):
    item: Spec
    allow_scalar: bool = False  # a single value stands for a one-element list

    def convert(self, value: Any, key: str, ctx: Context) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            if self.allow_scalar:
                value = [value]
            else:
                raise Invalid(f"expected a list, got {_type_name(value)}")
        result = []
        for index, element in enumerate(value):
            converted = convert_field(self.item, element, f"{key}.{index}", ctx)
            if converted is not _MISSING:
                result.append(converted)
        return result


@dataclass(frozen=True)
class MapOf(Spec):
    """A mapping of editors' keys (each checked with ``key``) to values (``value``)."""

    key: Spec
    value: Spec
    what: str = "mapping"

    def convert(self, value: Any, key: str, ctx: Context) -> dict[Any, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise Invalid(f"expected a {self.what}, got {_type_name(value)}")
        result = {}
        for name, element in value.items():
            path = f"{key}.{name}"
            checked = convert_field(self.key, name, path, ctx)
            converted = convert_field(self.value, element, path, ctx)
            if checked is not _MISSING and converted is not _MISSING:
                result[checked] = converted
        return result


@dataclass(frozen=True)
class Field:
    spec: Spec
    required: bool = False
    default: Any = None
    rule: str | None = None  # problems with this field belong to another rule than the record's


def convert_field(spec: Spec, value: Any, key: str, ctx: Context, rule: str | None = None) -> Any:
    """Convert one value; on failure report it and return the _MISSING marker."""
    try:
        return spec.convert(value, key, ctx)
    except _Failed:  # its problems are already reported
        return _MISSING
    except Invalid as exc:
        ctx.report(key, str(exc), rule)
        return _MISSING


@dataclass(frozen=True)
class Record(Spec):
    """A mapping with declared keys. ``build`` turns the converted dict into the model object."""

    fields: Mapping[str, Field]
    build: Callable[[dict[str, Any]], Any] | None = None
    what: str = "mapping"

    def convert(self, value: Any, key: str, ctx: Context) -> Any:
        if not isinstance(value, dict):
            raise Invalid(f"expected a {self.what} of keys, got {_type_name(value)}")
        prefix = f"{key}." if key else ""
        result: dict[str, Any] = {}
        failed = False
        for name in value:
            if str(name) not in self.fields:
                near = difflib.get_close_matches(str(name), self.fields, n=1, cutoff=0.6)
                hint = f"; did you mean {near[0]!r}?" if near else ""
                known = ", ".join(self.fields)
                ctx.report(f"{prefix}{name}", f"unknown key{hint} (known keys: {known})")
        for name, spec_field in self.fields.items():
            raw = value.get(name)
            if raw is None:
                if spec_field.required:
                    where = f" under {key!r}" if key else ""
                    ctx.report(prefix + name, f"required key {name!r} is missing{where}",
                               spec_field.rule, labelled=False, line_key=key)
                    failed = True
                result[name] = spec_field.default
                continue
            converted = convert_field(spec_field.spec, raw, prefix + name, ctx, spec_field.rule)
            if converted is _MISSING:
                failed = True
                result[name] = spec_field.default
            else:
                result[name] = converted
        if failed:
            raise _Failed
        return self.build(result) if self.build is not None else result


def validate(spec: Spec, value: Any, ctx: Context) -> Any | None:
    """Validate a whole document; None when it cannot be turned into the model."""
    try:
        return spec.convert(value, "", ctx)
    except _Failed:
        return None
    except Invalid as exc:
        ctx.report("", str(exc))
        return None
