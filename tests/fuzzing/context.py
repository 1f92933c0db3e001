"""What a mutation works with: the run's random source, the site, the registry of mutations, the
expectations they leave for the oracles, and helpers to edit YAML documents."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from fuzzing.sites import GUIDE, BaseSite, item_files
from fuzzing.values import Payload

# target kinds: which files a mutation may be given
ITEM, PUBLIC, PRIVATE = "item", "public", "private"
GUIDE_FILE, SITE, LEDGER, REPORTS, ROOT, TEMPLATE = (
    "guide", "site", "ledger", "reports", "root", "template")
TEXT_FILES = (ITEM, GUIDE_FILE, SITE, LEDGER, REPORTS)
YAML_FILES = (ITEM, SITE, LEDGER, REPORTS)


@dataclass
class Expectations:
    """What the oracles hold a run to, beyond never crashing."""

    secrets: dict[str, tuple[str, ...]]  # marker -> files whose edit may make it public
    forbid_markup: list[str] = field(default_factory=list)  # never in .html/.xml output
    forbid_anywhere: list[str] = field(default_factory=list)  # never in any output file
    intact: list[tuple[str, str]] = field(default_factory=list)  # (probe, literal)
    must_find: dict[str, str] = field(default_factory=dict)  # path -> why a finding is due
    must_mention: dict[str, str] = field(default_factory=dict)  # build must name this path


@dataclass(frozen=True)
class Applied:
    """One mutation applied: which, on what, and a few words on how."""

    name: str
    target: str
    note: str = ""

    def __str__(self) -> str:
        return f"{self.name}@{self.target}" + (f" ({self.note})" if self.note else "")


@dataclass
class Ctx:
    rng: random.Random
    root: Path
    outside: Path
    base: BaseSite
    build: bool
    expect: Expectations
    notes: list[str] = field(default_factory=list)
    counter: int = 0

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix() if path != self.root else "(site)"

    def new_id(self) -> int:
        self.counter += 1
        return self.counter

    def note(self, text: str) -> None:
        self.notes.append(text)

    def taint(self, relative: str) -> None:
        """The file was changed so that its markers may legitimately be published."""
        self.expect.secrets = {marker: files for marker, files in self.expect.secrets.items()
                               if relative not in files}

    def secret(self, marker: str, relative: str) -> None:
        self.expect.secrets[marker] = (relative,)

    def must_find(self, relative: str, why: str) -> None:
        self.expect.must_find.setdefault(relative, why)

    def plant(self, payload: Payload) -> str:
        self.expect.forbid_markup.extend(payload.forbid_markup)
        self.expect.forbid_anywhere.extend(payload.forbid_anywhere)
        self.expect.intact.extend(payload.intact)
        return payload.text

    def targets(self, kind: str) -> list[Path]:
        root = self.root
        found: dict[str, Callable[[], list[Path]]] = {
            ITEM: lambda: [root / p for p in item_files(root)],
            PUBLIC: lambda: [root / p for p in self.base.public_items if _regular(root / p)],
            PRIVATE: lambda: [root / p for p in self.base.private_items if _regular(root / p)],
            GUIDE_FILE: lambda: [root / GUIDE] if _regular(root / GUIDE) else [],
            SITE: lambda: [root / "site.yaml"] if _regular(root / "site.yaml") else [],
            LEDGER: lambda: _yaml_files(root / "data" / "requests"),
            REPORTS: lambda: _yaml_files(root / "data" / "reports"),
            ROOT: lambda: [root],
            TEMPLATE: lambda: [root / "templates"] if self.build else [],
        }
        return found[kind]()

    def kind_of(self, path: Path) -> str:
        """The target's kind; an item holding secrets (non-public in the base, flipped, or a
        copy of one) is PRIVATE, so that an edit that may publish it sets them free."""
        relative = self.rel(path)
        if relative in self.base.private_items or (relative.endswith(".md") and any(
                relative in files for files in self.expect.secrets.values())):
            return PRIVATE
        if relative == "site.yaml":
            return SITE
        if relative.startswith("data/reports/"):
            return REPORTS
        if relative.startswith("data/requests/"):
            return LEDGER
        return ITEM if relative.endswith(".md") and relative != GUIDE else "other"


def _regular(path: Path) -> bool:
    return path.is_file() and not path.is_symlink()


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and _regular(p))


# ---------------------------------------------------------------- the registry of mutations

Apply = Callable[[Ctx, Path], str]  # returns a note on what it did


@dataclass(frozen=True)
class Mutation:
    name: str
    apply: Apply
    targets: tuple[str, ...]
    may_publish: bool = False  # on a non-public item: may legitimately make it public
    opaque: bool = False  # keeps every marker of site.yaml and data/reports unpublishable
    build_focus: bool = False  # chosen first for build runs


MUTATIONS: dict[str, Mutation] = {}


def mutation(name: str, targets: tuple[str, ...], *, may_publish: bool = False,
             opaque: bool = False, build_focus: bool = False) -> Callable[[Apply], Apply]:
    def register(function: Apply) -> Apply:
        assert name not in MUTATIONS, name
        MUTATIONS[name] = Mutation(name, function, targets, may_publish, opaque, build_focus)
        return function

    return register


def apply_mutation(ctx: Ctx, chosen: Mutation, target: Path) -> Applied:
    kind = ctx.kind_of(target)
    note = chosen.apply(ctx, target)
    relative = ctx.rel(target)
    if (kind == PRIVATE and chosen.may_publish) or (kind in (SITE, REPORTS) and not chosen.opaque):
        ctx.taint(relative)
    return Applied(chosen.name, relative, note)


# ---------------------------------------------------------------- YAML documents

SENTINEL = "GXGKFUZZSENTINEL"


@dataclass
class Doc:
    """A YAML document inside a file: an item's front-matter, or a whole YAML file."""

    head: str
    text: str
    tail: str

    def save(self, path: Path) -> None:
        path.write_bytes((self.head + self.text + self.tail).encode("utf-8", "surrogatepass"))


def open_doc(path: Path) -> Doc | None:
    """The document of ``path``, or None when the file is no longer readable as one."""
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if path.suffix != ".md":
        return Doc("", text if text.endswith("\n") or not text else text + "\n", "")
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            meta = "\n".join(lines[1:index])
            return Doc("---\n", meta + "\n" if meta else "", "\n".join(lines[index:]))
    return None


def load_data(doc: Doc) -> Any:
    """The document's value, or None when it is not plain enough to edit as data (anchors,
    tags, huge or deep: a dump would expand or choke on them)."""
    if "&" in doc.text or "!" in doc.text or len(doc.text) > 200_000:
        return None
    try:
        return yaml.safe_load(doc.text)
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError):
        return None


def key_paths(data: Any, prefix: tuple = (), depth: int = 4) -> Iterator[tuple]:
    """Every key path (tuples of keys and list indexes) down to ``depth``."""
    if depth == 0:
        return
    if isinstance(data, dict):
        entries: Any = data.items()
    elif isinstance(data, list):
        entries = enumerate(data[:20])
    else:
        return
    for key, value in entries:
        path = (*prefix, key)
        yield path
        yield from key_paths(value, path, depth - 1)


def _child(data: Any, key: Any) -> Any:
    """The value under ``key``, made a mapping when a mapping lacks it; None when there is
    none to go into."""
    if isinstance(data, dict):
        return data.setdefault(key, {})
    if isinstance(data, list) and isinstance(key, int) and key < len(data):
        return data[key]
    return None


def set_at(data: Any, path: tuple, value: Any) -> None:
    for key in path[:-1]:
        data = _child(data, key)
    last = path[-1]
    if isinstance(data, dict) or (isinstance(data, list) and isinstance(last, int)
                                  and last < len(data)):
        data[last] = value


def delete_at(data: Any, path: tuple) -> bool:
    for key in path[:-1]:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return False
    try:
        del data[path[-1]]
    except (KeyError, IndexError, TypeError):
        return False
    return True


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=2**30)


def substitute(text: str, raw: str) -> str:
    """Put the raw YAML ``raw`` where the sentinel stands (a multi-line value goes on the lines
    below, indented under the key)."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if SENTINEL not in line:
            continue
        if "\n" not in raw:
            lines[index] = line.replace(SENTINEL, raw, 1)
        else:
            column = len(line) - len(line.lstrip(" -"))
            indent = " " * (column + 2)
            block = "\n".join(indent + part for part in raw.lstrip("\n").split("\n"))
            lines[index] = line.replace(SENTINEL, "", 1).rstrip() + "\n" + block
        break
    return "\n".join(lines)


def append_raw(doc: Doc, key: str, raw: str) -> None:
    """Add ``key: raw`` at the end of a top-level mapping (text edit: works on broken YAML)."""
    if "\n" in raw:
        body = "\n".join("  " + part for part in raw.lstrip("\n").split("\n"))
        doc.text += f"{key}:\n{body}\n"
    else:
        doc.text += f"{key}: {raw}\n"


def edit_value(doc: Doc, path: tuple, raw: str) -> str:
    """Set the value at ``path`` to the raw YAML ``raw``; returns the path as a note."""
    data = load_data(doc)
    name = ".".join(str(part) for part in path)
    if isinstance(data, dict | list) and path:
        set_at(data, path, SENTINEL)
        text = dump(data)
        if SENTINEL in text:
            doc.text = substitute(text, raw)
            return name
    append_raw(doc, str(path[-1]) if path else "gxgk_fuzz", raw)
    return f"{name} (appended)"
