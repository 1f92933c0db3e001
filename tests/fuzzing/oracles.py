"""Oracles: what makes a run fail, judged from the processes' output and the files they left.

Each oracle is precise: it fires only on what the README rules out (a traceback, an exit status
other than 0/1/2, a hang, a file neither loaded nor reported, a missing finding the README
promises, a secret in the output, markup or template syntax taking effect, a placeholder
replaced, a formula cell, an output file that is not well-formed, a failed build that changed
the previous site or left its temporary folders).
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from fuzzing.context import Expectations
from fuzzing.sites import OUTPUT, item_files

LONG_LINE = 20_000  # a message quoting a huge value in full
# Python's own wording reaching an editor: an exception's text was printed, not explained
RAW_MESSAGES = ("codec can't decode", "codec can't encode", "has no attribute",
                "maximum recursion depth", "object is not subscriptable",
                "object is not iterable", "unhashable type", "NoneType",
                "not supported between instances", "object of type")
MARKUP_FILES = (".html", ".htm", ".xml", ".svg")
TEXT_FILES = (*MARKUP_FILES, ".json", ".csv", ".txt")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?%?")


@dataclass(frozen=True)
class Failure:
    kind: str  # crash, hang, exit-code, leak, … (see README of the harness)
    command: str  # check, build, deadlines
    detail: str
    exception: str = ""  # the exception's class, for crash and traceback

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.exception}" if self.exception else self.kind


@dataclass
class Proc:
    """One finished (or killed) child process."""

    command: str
    args: list[str]
    returncode: int | None
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool = False

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@dataclass
class CheckView:
    """What `gxgk check --format json` said."""

    errors: int = 0
    items: int = 0
    paths: set[str] = field(default_factory=set)
    config_error: bool = False


def _clip(text: str, size: int = 240) -> str:
    text = text.replace("\n", "⏎")
    return text if len(text) <= size else text[:size] + f"…(+{len(text) - size})"


def _line_with(text: str, needle: str) -> str:
    start = text.find(needle)
    begin = text.rfind("\n", 0, start) + 1
    end = text.find("\n", start)
    return text[begin:end if end >= 0 else len(text)]


def _traceback_failure(proc: Proc) -> Failure | None:
    text = proc.output
    if "Traceback (most recent call last)" not in text:
        return None
    tail = text[text.rindex("Traceback (most recent call last)"):].strip().split("\n")
    last = next((line for line in reversed(tail) if re.match(r"^[\w.]+(: |$)", line)), tail[-1])
    return Failure("traceback", proc.command, _clip(last), last.split(":")[0].split(".")[-1])


def process_failures(proc: Proc) -> list[Failure]:
    """What no command may ever do, whatever its input."""
    if proc.timed_out:
        return [Failure("hang", proc.command, f"killed after {proc.seconds:.1f} s")]
    found: list[Failure] = []
    traceback = _traceback_failure(proc)
    if traceback is not None:
        found.append(traceback)
    crash = re.search(r"internal error: ([\w.]+)", proc.output)
    if crash is not None:
        found.append(Failure("crash", proc.command, _clip(_line_with(proc.output, crash[0])),
                             crash[1]))
    if proc.returncode not in (0, 1, 2):
        found.append(Failure("exit-code", proc.command, f"exit status {proc.returncode}"))
    if not found:
        found += _message_failures(proc)
    return found


def _message_failures(proc: Proc) -> list[Failure]:
    found = []
    # a template's own error is named as Jinja raised it (the site's author reads it)
    text = "\n".join(line for line in proc.output.split("\n") if "template error:" not in line)
    for raw in RAW_MESSAGES:
        if raw in text:
            found.append(Failure("raw-message", proc.command,
                                 _clip(_line_with(text, raw)), raw))
            break
    longest = max((len(line) for line in proc.output.split("\n")), default=0)
    if longest > LONG_LINE:
        found.append(Failure("huge-message", proc.command, f"a line of {longest} characters"))
    return found


# ---------------------------------------------------------------- gxgk check


def read_check(proc: Proc) -> tuple[CheckView | None, list[Failure]]:
    if proc.timed_out or proc.returncode not in (0, 1):
        return None, []
    try:
        document = json.loads(proc.stdout)
        findings = document["findings"]
        summary = document["summary"]
    except (ValueError, KeyError, TypeError):
        return None, [Failure("bad-json", proc.command, _clip(proc.stdout or proc.stderr))]
    view = CheckView(
        errors=summary["errors"], items=summary["items"],
        paths={finding["path"] for finding in findings},
        config_error=any(f["rule"] == "config" and f["severity"] == "error" for f in findings))
    failures = []
    if (view.errors > 0) != (proc.returncode == 1):
        failures.append(Failure("inconsistent", proc.command,
                                f"exit {proc.returncode} with {view.errors} error(s)"))
    return view, failures


def missed_findings(view: CheckView, expect: Expectations, root: Path) -> list[Failure]:
    """Every file a mutation made wrong in a way the README names has a finding."""
    failures = []
    for path, why in sorted(expect.must_find.items()):
        if view.config_error and path != "site.yaml":
            continue  # nothing else is read without a valid site.yaml
        if not (root / path).is_file() or (root / path).is_symlink():
            continue  # moved or replaced by a later mutation
        if path not in view.paths:
            failures.append(Failure("missed-finding", "check", f"{path}: {why}"))
    return failures


def uncounted_items(view: CheckView, root: Path) -> list[Failure]:
    """Every item file under content/ is counted (`checked N item(s)`)."""
    if view.config_error:
        return []
    expected = len(item_files(root))
    if view.items < expected:
        return [Failure("dropped", "check",
                        f"{expected - view.items} of {expected} item file(s) not counted")]
    return []


def unreported_candidates(view: CheckView, root: Path, mutated: set[str]) -> list[str]:
    """Mutated item files without a finding: they must have loaded (asked of `gxgk
    deadlines`, which names the files it could not read as items)."""
    if view.config_error:
        return []
    return sorted(path for path in item_files(root) if path in mutated and path not in view.paths)


def dropped_files(candidates: list[str], deadlines: Proc) -> list[Failure]:
    match = re.search(r"not listed \(see gxgk check\): (.*)", deadlines.stderr)
    unreadable = set(match[1].strip().split(", ")) if match else set()
    return [Failure("dropped", "check", f"{path}: neither loaded nor reported")
            for path in candidates if path in unreadable]


# ---------------------------------------------------------------- gxgk build


def leftovers(root: Path) -> list[Failure]:
    """Temporary folders a build left beside its output (its lock file stays, by design)."""
    stray = sorted(p.name for p in root.iterdir()
                   if p.name.startswith(f".{OUTPUT}.") and p.name != f".{OUTPUT}.lock")
    return [Failure("temp-left", "build", ", ".join(stray))] if stray else []


def _output_files(out: Path) -> list[tuple[str, bytes]]:
    return [(path.relative_to(out).as_posix(), path.read_bytes())
            for path in sorted(out.rglob("*")) if path.is_file() and not path.is_symlink()]


def output_failures(out: Path, expect: Expectations) -> list[Failure]:
    """What a successful build's output must never hold."""
    failures: list[Failure] = []
    secrets = [marker.encode() for marker in expect.secrets]
    for name, data in _output_files(out):
        failures += [Failure("leak", "build", f"{marker.decode()} in {name}")
                     for marker in secrets if marker in data]
        failures += _forbidden(name, data, expect)
        if name.endswith(TEXT_FILES):
            failures += _well_formed(name, data)
    return _dedupe(failures)


def _forbidden(name: str, data: bytes, expect: Expectations) -> list[Failure]:
    failures = [Failure("template-evaluated", "build", f"{text!r} in {name}")
                for text in expect.forbid_anywhere if text.encode() in data]
    if name.endswith(MARKUP_FILES):
        failures += [Failure("markup", "build", f"{text!r} unescaped in {name}")
                     for text in expect.forbid_markup if text.encode() in data]
    if name.endswith(TEXT_FILES):
        failures += [Failure("placeholder", "build", f"{literal!r} not kept as text in {name}")
                     for probe, literal in expect.intact
                     if probe.encode() in data and literal.encode() not in data]
    return failures


def _well_formed(name: str, data: bytes) -> list[Failure]:
    try:
        if name.endswith(".xml"):
            ET.fromstring(data)
        elif name.endswith(".json"):
            json.loads(data)
        elif name.endswith(".csv"):
            return _formula_cells(name, data)
    except (ET.ParseError, ValueError) as exc:
        kind = "bad-xml" if name.endswith(".xml") else "bad-json"
        return [Failure(kind, "build", f"{name}: {_clip(str(exc), 120)}")]
    return []


def _formula_cells(name: str, data: bytes) -> list[Failure]:
    """A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first)."""
    rows = csv.reader(io.StringIO(data.decode("utf-8-sig", "replace"), newline=""))
    for row in rows:
        for cell in row:
            if cell.startswith(FORMULA_START) and not _NUMBER.fullmatch(cell):
                return [Failure("csv-formula", "build", f"{name}: cell {_clip(cell, 60)!r}")]
    return []


def _dedupe(failures: list[Failure]) -> list[Failure]:
    """One failure per kind and first detail word (a leak into 200 pages is one finding)."""
    seen: dict[tuple[str, str], Failure] = {}
    for failure in failures:
        seen.setdefault((failure.kind, failure.detail.split(" in ")[0]), failure)
    return list(seen.values())
