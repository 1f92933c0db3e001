"""Mutations of any text or YAML file: lines, encodings, bytes, keys and values.

Each is a small function registered under a name; it edits its target in place and returns a
note on what it did (the key, the value's kind), which failure reports show.
"""

from __future__ import annotations

import re
from pathlib import Path

from fuzzing import values
from fuzzing.context import (
    ITEM,
    LEDGER,
    REPORTS,
    SITE,
    TEXT_FILES,
    YAML_FILES,
    Ctx,
    Doc,
    append_raw,
    delete_at,
    dump,
    edit_value,
    key_paths,
    load_data,
    mutation,
    open_doc,
)

# ---------------------------------------------------------------- helpers


def _text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", "surrogateescape")


def _write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8", "surrogateescape"))


def _lines(path: Path) -> list[str]:
    return _text(path).split("\n")


def _write_lines(path: Path, lines: list[str]) -> None:
    _write(path, "\n".join(lines))


def _expect_unreadable(ctx: Ctx, path: Path, why: str) -> None:
    """A file no reader can take as UTF-8 YAML/Markdown must get a finding (the guide is not
    read by `gxgk check`: the build must name it instead)."""
    relative = ctx.rel(path)
    if path.suffix == ".md" and relative.endswith("guide.md"):
        ctx.expect.must_mention[relative] = why
    else:
        ctx.must_find(relative, why)


def _touches_draft(*lines: str) -> bool:
    return any("draft" in line for line in lines)


# ---------------------------------------------------------------- lines


@mutation("delete-line", TEXT_FILES, may_publish=True)
def delete_line(ctx: Ctx, path: Path) -> str:
    lines = _lines(path)
    index = ctx.rng.randrange(len(lines))
    del lines[index]
    _write_lines(path, lines)
    return f"line {index + 1}"


@mutation("duplicate-line", TEXT_FILES)
def duplicate_line(ctx: Ctx, path: Path) -> str:
    lines = _lines(path)
    index = ctx.rng.randrange(len(lines))
    lines.insert(index, lines[index])
    _write_lines(path, lines)
    return f"line {index + 1}"


@mutation("swap-lines", TEXT_FILES, may_publish=True)
def swap_lines(ctx: Ctx, path: Path) -> str:
    lines = _lines(path)
    first, second = ctx.rng.randrange(len(lines)), ctx.rng.randrange(len(lines))
    lines[first], lines[second] = lines[second], lines[first]
    _write_lines(path, lines)
    return f"lines {first + 1} and {second + 1}"


@mutation("shuffle-lines", TEXT_FILES, may_publish=True)
def shuffle_lines(ctx: Ctx, path: Path) -> str:
    lines = _lines(path)
    start = ctx.rng.randrange(len(lines))
    block = lines[start:start + ctx.rng.randint(3, 8)]
    ctx.rng.shuffle(block)
    lines[start:start + len(block)] = block
    _write_lines(path, lines)
    return f"from line {start + 1}"


@mutation("reverse-lines", TEXT_FILES, may_publish=True)
def reverse_lines(ctx: Ctx, path: Path) -> str:
    _write_lines(path, _lines(path)[::-1])
    return ""


@mutation("truncate", TEXT_FILES)
def truncate(ctx: Ctx, path: Path) -> str:
    data = path.read_bytes()
    cut = ctx.rng.randrange(len(data) + 1)
    path.write_bytes(data[:cut])  # may cut a UTF-8 sequence in two
    return f"at byte {cut}"


@mutation("empty-file", TEXT_FILES)
def empty_file(ctx: Ctx, path: Path) -> str:
    path.write_bytes(ctx.rng.choice((b"", b"\n", b"   \n\t\n", b"---\n", b"---\n---\n",
                                     b"---\n...\n", b"\xef\xbb\xbf")))
    return ""


@mutation("tab-indent", TEXT_FILES)
def tab_indent(ctx: Ctx, path: Path) -> str:
    lines = [("\t" + line.lstrip(" ")) if line.startswith("  ") else line
             for line in _lines(path)]
    _write_lines(path, lines)
    return ""


@mutation("full-width-colon", YAML_FILES)
def full_width_colon(ctx: Ctx, path: Path) -> str:
    lines = _lines(path)
    candidates = [i for i, line in enumerate(lines) if re.match(r"^\s*[\w-]+: ", line)]
    if not candidates:
        return "no key line"
    index = ctx.rng.choice(candidates)
    lines[index] = lines[index].replace(": ", "：", 1)
    _write_lines(path, lines)
    return f"line {index + 1}"


# ---------------------------------------------------------------- bytes and encodings


@mutation("random-bytes", TEXT_FILES, opaque=True)
def random_bytes(ctx: Ctx, path: Path) -> str:
    data = path.read_bytes()
    at = ctx.rng.randrange(len(data) + 1)
    junk = b"\xff" + bytes(ctx.rng.randrange(256) for _ in range(ctx.rng.randint(1, 64)))
    path.write_bytes(data[:at] + junk + data[at:])
    _expect_unreadable(ctx, path, "holds bytes that are not UTF-8")
    return f"{len(junk)} bytes at {at}"


@mutation("insert-nul", TEXT_FILES, opaque=True)
def insert_nul(ctx: Ctx, path: Path) -> str:
    data = path.read_bytes()
    at = ctx.rng.randrange(len(data) + 1)
    path.write_bytes(data[:at] + b"\x00" + data[at:])
    _expect_unreadable(ctx, path, "holds a NUL byte")
    return f"at byte {at}"


@mutation("control-characters", TEXT_FILES, build_focus=True)
def control_characters(ctx: Ctx, path: Path) -> str:
    lines = _lines(path)
    index = ctx.rng.randrange(len(lines))
    junk = "".join(ctx.rng.choice("\x01\x07\x08\x0b\x0c\x1b\x7f\x85\u2028\u2029\ufeff\x9b")
                   for _ in range(ctx.rng.randint(1, 6)))
    lines[index] = lines[index] + junk
    _write_lines(path, lines)
    return f"line {index + 1}: {junk!r}"


@mutation("binary-garbage", TEXT_FILES, opaque=True)
def binary_garbage(ctx: Ctx, path: Path) -> str:
    kind = ctx.rng.choice(("pdf", "random", "zip"))
    if kind == "pdf":
        data = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00<<>>\nendobj\n"
    elif kind == "zip":
        data = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256))
    else:
        data = b"\x00" + bytes(ctx.rng.randrange(256) for _ in range(ctx.rng.randint(1, 4096)))
    path.write_bytes(data)
    _expect_unreadable(ctx, path, "is binary")
    return kind


@mutation("encode-gbk", TEXT_FILES, opaque=True, build_focus=True)
def encode_gbk(ctx: Ctx, path: Path) -> str:
    text = _text(path)
    try:
        data = text.encode("gbk")
    except UnicodeEncodeError:
        data = text.encode("gbk", "replace")
    path.write_bytes(data)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        _expect_unreadable(ctx, path, "is GBK, not UTF-8")
    return ""


@mutation("encode-utf16", TEXT_FILES, opaque=True)
def encode_utf16(ctx: Ctx, path: Path) -> str:
    encoding = ctx.rng.choice(("utf-16", "utf-16-le", "utf-16-be", "utf-32"))
    path.write_bytes(_text(path).encode(encoding, "surrogatepass"))
    return encoding


@mutation("byte-order-mark", TEXT_FILES, opaque=True)
def byte_order_mark(ctx: Ctx, path: Path) -> str:
    count = ctx.rng.choice((1, 1, 2))
    path.write_bytes(b"\xef\xbb\xbf" * count + path.read_bytes())
    return f"{count} BOM(s)"


@mutation("newlines", TEXT_FILES, opaque=True)
def newlines(ctx: Ctx, path: Path) -> str:
    style = ctx.rng.choice(("crlf", "cr", "mixed", "nel", "ls"))
    lines = _lines(path)
    if style == "mixed":
        text = "".join(line + ctx.rng.choice(("\n", "\r\n", "\r")) for line in lines)
    else:
        text = {"crlf": "\r\n", "cr": "\r", "nel": "\x85", "ls": "\u2028"}[style].join(lines)
    _write(path, text)
    return style


@mutation("mojibake", TEXT_FILES, opaque=True)
def mojibake(ctx: Ctx, path: Path) -> str:
    data = path.read_bytes()
    path.write_bytes(data.decode("latin-1").encode("utf-8"))  # valid UTF-8, wrong text
    return ""


# ---------------------------------------------------------------- keys


ITEM_REQUIRED = ("title", "attribute", "category", "formed", "summary", "index_no", "reviewers",
                 "reviewers.first", "reviewers.second", "reviewers.final", "secrecy_review",
                 "secrecy_review.name", "secrecy_review.date", "exempt_ground", "kind",
                 "validity", "published", "draft")
SITE_REQUIRED = ("agency", "agency.code", "agency.name", "agency.email", "site", "site.title",
                 "site.base_url", "categories", "categories.0", "categories.1.children",
                 "categories.0.id", "categories.0.name", "rules", "rules.roster",
                 "rules.roster.first", "calendar")
LEDGER_REQUIRED = ("0.id", "0.received", "0.applicant", "0.outcome", "0.decided", "0",
                   "1.id", "1.received")
REPORTS_REQUIRED = ("administrative", "review_litigation", "overview", "published",
                    "review_litigation.review", "administrative.licensing")


def _named_path(name: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in name.split("."))


def _pick_path(ctx: Ctx, path: Path, data: object, named: bool) -> tuple:
    if named:
        pool = {ITEM: ITEM_REQUIRED, SITE: SITE_REQUIRED, LEDGER: LEDGER_REQUIRED,
                REPORTS: REPORTS_REQUIRED}.get(ctx.kind_of(path).replace("private", ITEM),
                                               ITEM_REQUIRED)
        return _named_path(ctx.rng.choice(pool))
    paths = list(key_paths(data))
    return ctx.rng.choice(paths) if paths else ("title",)


def _is_draft_key(path: tuple) -> bool:
    return bool(path) and path[-1] == "draft"


def _delete_key(ctx: Ctx, path: Path, named: bool) -> str:
    doc = open_doc(path)
    data = load_data(doc) if doc else None
    if doc is None or not isinstance(data, dict | list):
        return delete_line(ctx, path)
    key = _pick_path(ctx, path, data, named)
    if not delete_at(data, key):
        return f"{'.'.join(map(str, key))} (absent)"
    doc.text = dump(data)
    doc.save(path)
    if _is_draft_key(key):
        ctx.taint(ctx.rel(path))
    return ".".join(map(str, key))


@mutation("delete-key", YAML_FILES)
def delete_key(ctx: Ctx, path: Path) -> str:
    return _delete_key(ctx, path, named=False)


@mutation("delete-required-key", YAML_FILES, build_focus=True)
def delete_required_key(ctx: Ctx, path: Path) -> str:
    return _delete_key(ctx, path, named=True)


_KEY_LINE = re.compile(r"^(?P<indent>(?: *- )* *)(?P<key>[A-Za-z_][\w-]*):(?: +(?P<value>\S.*))?$")


def key_lines(lines: list[str]) -> list[tuple[int, int, str, str | None]]:
    """(index, column, key, inline value) of each key line, block scalars' text left out."""
    found: list[tuple[int, int, str, str | None]] = []
    scalar_indent: int | None = None
    for index, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" "))
        if scalar_indent is not None:
            if not line.strip() or indent > scalar_indent:
                continue
            scalar_indent = None
        match = _KEY_LINE.match(line)
        if not match or line.lstrip().startswith("#"):
            continue
        value = match.group("value")
        if value is not None and re.match(r"^[|>][-+0-9]*\s*(#.*)?$", value):
            scalar_indent = len(match.group("indent"))
        found.append((index, len(match.group("indent")), match.group("key"), value))
    return found


def _block_end(lines: list[str], index: int, column: int) -> int:
    end = index + 1
    while end < len(lines) and (not lines[end].strip()
                                or len(lines[end]) - len(lines[end].lstrip(" ")) > column):
        end += 1
    return end


def _other_value(ctx: Ctx, key: str, value: str | None) -> str:
    if key == "attribute":
        return "主动公开" if value != "主动公开" else "不予公开"
    if key == "draft":
        return "false" if value == "true" else "true"
    options = ['"重复的值"', "2025-01-01", "0", "[]", "{name: 另一人, date: 2025-01-02}", "x"]
    return ctx.rng.choice([option for option in options if option != value])


@mutation("repeat-key", YAML_FILES, build_focus=True)
def repeat_key(ctx: Ctx, path: Path) -> str:
    """The same key twice in one mapping, with another value: never silently one of them."""
    doc = open_doc(path)
    if doc is None:
        return "unreadable"
    lines = doc.text.split("\n")
    candidates = key_lines(lines)
    if not candidates:
        return "no key"
    index, column, key, value = ctx.rng.choice(candidates)
    other = _other_value(ctx, key, value)
    at = _block_end(lines, index, column) if ctx.rng.random() < 0.5 else index
    lines.insert(at, " " * column + f"{key}: {other}")
    doc.text = "\n".join(lines)
    doc.save(path)
    ctx.must_find(ctx.rel(path), f"key {key!r} repeated with another value")
    return f"{key} at line {index + 1}, again as {other}"


@mutation("rename-key", YAML_FILES)
def rename_key(ctx: Ctx, path: Path) -> str:
    doc = open_doc(path)
    if doc is None:
        return "unreadable"
    lines = doc.text.split("\n")
    candidates = key_lines(lines)
    if not candidates:
        return "no key"
    index, column, key, _ = ctx.rng.choice(candidates)
    new = ctx.rng.choice((key[:-1] or "k", key.upper(), key + "_", "发布日期", key[::-1],
                          "x" * 300))
    lines[index] = lines[index][:column] + new + lines[index][column + len(key):]
    doc.text = "\n".join(lines)
    doc.save(path)
    if key == "draft":
        ctx.taint(ctx.rel(path))
    return f"{key} -> {new[:20]}"


@mutation("odd-key", YAML_FILES)
def odd_key(ctx: Ctx, path: Path) -> str:
    """Keys that are not strings: numbers, null, booleans, lists, mappings, huge."""
    doc = open_doc(path)
    if doc is None:
        return "unreadable"
    key = ctx.rng.choice(("1", "~", "true", "2025-03-03", "? [a, b]\n", "? {a: 1}\n",
                          "'\\u0000'", '"\\ud800"', "x" * 100_000, "<<", "'<<'"))
    # a complex key ("? [a, b]") takes its value on the next line, after ": "
    doc.text += f"{key}: value\n"
    doc.save(path)
    return key[:20]


@mutation("whole-document", YAML_FILES)
def whole_document(ctx: Ctx, path: Path) -> str:
    """The document is not a mapping: a scalar, a list, null, several documents."""
    doc = open_doc(path)
    if doc is None:
        return "unreadable"
    doc.text = ctx.rng.choice(("hello\n", "- 一\n- 二\n", "~\n", "42\n", "[]\n", "''\n",
                               doc.text + "---\nsecond: document\n", "--- !!set\n? a\n",
                               "%YAML 1.1\n---\n" + doc.text, "%TAG ! tag:x,2025:\n--- a\n"))
    doc.save(path)
    return doc.text.split("\n")[0][:20]


# ---------------------------------------------------------------- values


_DATE_KEYS = {
    ITEM: ("formed", "changed", "published", "repealed", "reviewers.first.date",
           "reviewers.second.date", "reviewers.final.date", "secrecy_review.date"),
    SITE: ("calendar.holidays", "calendar.workdays"),
    LEDGER: ("0.received", "0.decided", "0.correction_requested", "0.correction_received",
             "0.extended", "1.received", "1.decided"),
    REPORTS: ("published",),
}


def _value_path(ctx: Ctx, path: Path, doc: Doc) -> tuple:
    data = load_data(doc)
    return _pick_path(ctx, path, data, named=ctx.rng.random() < 0.4 or data is None)


def _set_value(ctx: Ctx, path: Path, raw: str, key: tuple | None = None) -> str:
    doc = open_doc(path)
    if doc is None:
        return "unreadable"
    key = key if key is not None else _value_path(ctx, path, doc)
    note = edit_value(doc, key, raw)
    doc.save(path)
    if _is_draft_key(key):
        ctx.taint(ctx.rel(path))
    return f"{note} = {raw[:40]!r}"


@mutation("change-type", YAML_FILES)
def change_type(ctx: Ctx, path: Path) -> str:
    return _set_value(ctx, path, values.type_changes(ctx.rng))


@mutation("extreme-date", YAML_FILES, build_focus=True)
def extreme_date(ctx: Ctx, path: Path) -> str:
    kind = ctx.kind_of(path).replace("private", ITEM)
    key = None
    if kind in _DATE_KEYS and ctx.rng.random() < 0.8:
        key = _named_path(ctx.rng.choice(_DATE_KEYS[kind]))
    raw = ctx.rng.choice(values.EXTREME_DATES if ctx.rng.random() < 0.5 else values.EDGE_DATES)
    if kind == SITE and key is not None:
        raw = f"[{raw}]"
    return _set_value(ctx, path, raw, key)


def _date_key(ctx: Ctx, path: Path, kind: str) -> str:
    """A date key of the kind of file set to one of the ends of the calendar (mostly)."""
    key = _named_path(ctx.rng.choice(_DATE_KEYS[kind]))
    pool = values.EDGE_DATES if ctx.rng.random() < 0.7 else values.EXTREME_DATES
    return _set_value(ctx, path, ctx.rng.choice(pool), key)


@mutation("item-date", (ITEM,), build_focus=True)
def item_date(ctx: Ctx, path: Path) -> str:
    return _date_key(ctx, path, ITEM)


@mutation("ledger-date", (LEDGER,))
def ledger_date(ctx: Ctx, path: Path) -> str:
    return _date_key(ctx, path, LEDGER)


_ENDS = {"future": "9999-12-31", "past": "0001-01-01"}
_RECORD_DATES = ("received", "decided", "correction_requested", "correction_received",
                 "extended")


def _dates_at_end(ctx: Ctx, path: Path, keys: tuple[tuple, ...]) -> str:
    """Every date of ``keys`` at one end of the calendar: whichever date a rule adds working
    days to, or subtracts them from, reaches the end."""
    doc = open_doc(path)
    if doc is None:
        return "unreadable"
    end = ctx.rng.choice(sorted(_ENDS))
    for key in keys:
        edit_value(doc, key, _ENDS[end])
    doc.save(path)
    return end


@mutation("item-dates-at-end", (ITEM,), build_focus=True)
def item_dates_at_end(ctx: Ctx, path: Path) -> str:
    return _dates_at_end(ctx, path, tuple(_named_path(key) for key in _DATE_KEYS[ITEM]))


@mutation("ledger-dates-at-end", (LEDGER,))
def ledger_dates_at_end(ctx: Ctx, path: Path) -> str:
    record = ctx.rng.randrange(2)
    return _dates_at_end(ctx, path, tuple((record, key) for key in _RECORD_DATES))


@mutation("huge-string", YAML_FILES)
def huge_string(ctx: Ctx, path: Path) -> str:
    return _set_value(ctx, path, values.huge_string(ctx.rng))


@mutation("long-list", YAML_FILES)
def long_list(ctx: Ctx, path: Path) -> str:
    return _set_value(ctx, path, values.long_list())


_DEPTHS = (500, 990, 1000, 1500, 2000)


@mutation("deep-flow", YAML_FILES, build_focus=True)
def deep_flow(ctx: Ctx, path: Path) -> str:
    depth = ctx.rng.choice(_DEPTHS)
    return _set_value(ctx, path, values.deep_flow(depth, ctx.rng.random() < 0.5))


@mutation("deep-block", YAML_FILES)
def deep_block(ctx: Ctx, path: Path) -> str:
    depth = ctx.rng.choice(_DEPTHS)
    raw = (values.deep_block(depth) if ctx.rng.random() < 0.5
           else values.deep_compact_sequence(depth))
    return _set_value(ctx, path, raw)


@mutation("alias-bomb", YAML_FILES)
def alias_bomb(ctx: Ctx, path: Path) -> str:
    return _set_value(ctx, path, values.alias_bomb(ctx.rng.choice((8, 9))))


@mutation("yaml-tag", YAML_FILES)
def yaml_tag(ctx: Ctx, path: Path) -> str:
    return _set_value(ctx, path, ctx.rng.choice(values.TAGS))


@mutation("escaped-string", YAML_FILES, build_focus=True)
def escaped_string(ctx: Ctx, path: Path) -> str:
    return _set_value(ctx, path, ctx.rng.choice(values.ESCAPED))


@mutation("unicode-string", YAML_FILES)
def unicode_string(ctx: Ctx, path: Path) -> str:
    text = ctx.rng.choice(values.UNICODE)
    return _set_value(ctx, path, values.quote(text))


@mutation("anchors-merge", YAML_FILES)
def anchors_merge(ctx: Ctx, path: Path) -> str:
    """Anchors, aliases and merge keys that are valid YAML (and mean the same as the text)."""
    doc = open_doc(path)
    if doc is None:
        return "unreadable"
    append_raw(doc, "gxgk_anchor", "&gxgk_a {name: 王某, date: 2025-03-04}")
    append_raw(doc, "gxgk_alias", "{<<: *gxgk_a, name: 李某}")
    doc.save(path)
    return ""
