"""YAML reading that remembers on which line every key stands.

Validation messages name the line of the offending key, so documents are composed into nodes first
(with the fast C parser when PyYAML has it) and the line of each key path is recorded before the
nodes are turned into Python values.

Every item's front-matter is read this way when there is no parse cache (a first build, a fresh
CI checkout), and PyYAML spends most of that time in Python: three calls of its resolver for
each node while composing, and its constructor for each value. So a document is first tried by
``_fast``: composed with no resolving at all (``_Composer``), then walked once, recording the
lines and typing each plain scalar with PyYAML's own implicit resolvers and constructors, the
rules of its safe loader. What the walk leaves alone (tags, anchors, merge keys, a value that
does not construct) goes to the safe loader, which also words the errors; tests/test_yamlio.py
checks that both give the same values and lines.

Hostile documents are refused before they can cost much: a key given twice in one mapping (YAML
would keep the last one silently: a second ``attribute:`` could publish a 不予公开 item), nesting
deeper than ``MAX_DEPTH`` (PyYAML's C composer recurses on the C stack: 100,000 levels of ``[``
crash the process), and aliases that would expand to more than ``ALIAS_NODES`` nodes beyond the
document's own (a 14-line "billion laughs" took minutes and gigabytes to walk).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from gxgk_site import site_files

try:  # the C loader is several times faster on large sites
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
    _BaseLoader: type[yaml.BaseLoader] = yaml.CBaseLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader
    _BaseLoader = yaml.BaseLoader

_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers  # the safe loader's, by first letter
_WILDCARD = _IMPLICIT.get(None, [])
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


class _Composer(_BaseLoader):  # type: ignore[misc, valid-type]
    """The base loader with its resolver hooks replaced by built-in methods that do nothing
    (the parser calls them for every node): each node is tagged str, and the walk types the
    plain scalars itself."""

    resolve = _STR.format
    descend_resolver = "".format
    ascend_resolver = "".format

# key paths look like "reviewers.first.name" or "categories.3.children.0.id"
KeyLines = dict[str, int]

# Front-matter needs 3 levels, site.yaml 2 per level of nested categories, the data files 4.
MAX_DEPTH = 50
# What aliases may add to a document, in nodes, when expanded: plenty for anchors shared by a
# few lists, far too few for an alias bomb.
ALIAS_NODES = 10_000
_NESTING_MARKS = "-?[{"


class YamlProblem(Exception):
    """YAML that cannot be read; ``line`` is 1-based within the parsed text, when known."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _record_lines(node: yaml.Node, prefix: str, lines: KeyLines) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[tuple[str, str]] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            path = f"{prefix}.{key}" if prefix else key
            lines.setdefault(path, key_node.start_mark.line + 1)
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != _MERGE:
                if (key_node.tag, key_node.value) in seen:
                    raise _repeated(key_node)
                seen.add((key_node.tag, key_node.value))
            _record_lines(value_node, path, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            path = f"{prefix}.{index}" if prefix else str(index)
            lines.setdefault(path, item.start_mark.line + 1)
            _record_lines(item, path, lines)


def _first_bad_value(node: yaml.Node) -> tuple[int, str]:
    """Find which value failed to construct (e.g. the date 2025-02-30) to name its line; each
    with a constructor of its own (one that failed keeps the node as half-built)."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            try:
                yaml.constructor.SafeConstructor().construct_object(value_node, deep=True)
            except (ValueError, TypeError, OverflowError, yaml.YAMLError) as exc:
                return value_node.start_mark.line + 1, f"{key_node.value}: {exc}"
            except Exception:  # what else a tag's constructor raises: see _load_safely
                return (value_node.start_mark.line + 1,
                        f"{key_node.value}: {value_node.tag.rpartition(':')[2]} cannot be "
                        f"read from {_quoted(str(value_node.value))}")
    return node.start_mark.line + 1, "a value cannot be read"


def load_path(path: Path) -> tuple[Any, KeyLines]:
    """Read and parse a YAML file; every failure (unreadable, not UTF-8, bad YAML) is a
    YamlProblem."""
    try:
        text = site_files.read_text(path)
    except site_files.NotText as exc:
        raise YamlProblem(str(exc), None) from None
    return load(text)


def line_of(lines: KeyLines, key: str) -> int | None:
    """The line of a key path, or of its nearest parent that has one."""
    while key:
        if key in lines:
            return lines[key]
        key = key.rpartition(".")[0]
    return None


class _Unusual(Exception):
    """Something the fast walk leaves to the safe loader."""


def _plain(node: yaml.ScalarNode) -> Any:
    """A plain scalar's value as the safe loader makes it: the tag its resolver gives (see
    Resolver.resolve), then the constructor of that tag."""
    value = node.value
    resolvers = _IMPLICIT.get(value[0] if value else "")
    if not resolvers and not _WILDCARD:  # most values: Chinese text
        return value
    tag = next((tag for tag, regexp in (resolvers or []) + _WILDCARD if regexp.match(value)),
               _STR)
    if tag == _STR:
        return value
    if tag == _MERGE or tag not in _CONSTRUCTOR.yaml_constructors:
        raise _Unusual
    try:
        return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, node)
    except (ValueError, TypeError, OverflowError, yaml.YAMLError):
        raise _Unusual from None


def _walk(node: yaml.Node, prefix: str, lines: KeyLines) -> Any:
    """The value of a mapping or sequence node, recording the line of each key path below
    ``prefix`` (empty, or ending with a dot). A style means quoted or a block: a string."""
    if isinstance(node, yaml.MappingNode):
        mapping = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Unusual
            key = key_node.value if key_node.style else _plain(key_node)
            path = prefix + str(key_node.value)
            if path not in lines:
                lines[path] = key_node.start_mark.line + 1
            elif key in mapping:
                raise _repeated(key_node)
            if isinstance(value_node, yaml.ScalarNode):
                value = value_node.value if value_node.style else _plain(value_node)
            else:
                value = _walk(value_node, path + ".", lines)
            try:
                mapping[key] = value
            except TypeError:  # an unhashable key
                raise _Unusual from None
        return mapping
    values = []
    for index, item in enumerate(node.value):
        path = f"{prefix}{index}"
        if path not in lines:
            lines[path] = item.start_mark.line + 1
        if isinstance(item, yaml.ScalarNode):
            values.append(item.value if item.style else _plain(item))
        else:
            values.append(_walk(item, path + ".", lines))
    return values


def _repeated(key_node: yaml.Node) -> YamlProblem:
    return YamlProblem(f"key {_quoted(str(key_node.value))} is given a second time here; YAML "
                       "would silently keep only this last value: delete one of the two",
                       key_node.start_mark.line + 1)


def _quoted(text: str, limit: int = 60) -> str:
    """``text`` in quotes for a message, cut when it is long."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _check_depth(text: str) -> None:
    """Refuse a document nested deeper than MAX_DEPTH. Nesting needs more indentation or a
    mark (``-`` ``?`` ``[`` ``{``) per level, so most documents are cleared by counting; the
    others are measured exactly with the parser's events (iterative, unlike the composer)."""
    indent = max((len(line) - len(line.lstrip(" ")) for line in text.split("\n")), default=0)
    if indent + sum(text.count(mark) for mark in _NESTING_MARKS) <= MAX_DEPTH:
        return
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _too_deep(event.start_mark.line + 1)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        # libyaml 0.2.6 stops at 1,000 levels itself, before any event reaches here
        if "nesting depth" in str(exc.problem) and exc.problem_mark is not None:
            raise _too_deep(exc.problem_mark.line + 1) from None
        return  # not YAML: the load words the error (it stops there too, no deeper)
    except yaml.YAMLError:
        return


def _too_deep(line: int) -> YamlProblem:
    return YamlProblem(f"values are nested more than {MAX_DEPTH} levels deep here; nothing gxgk "
                       "reads needs more than a few levels: check the brackets and indentation",
                       line)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_aliases(root: yaml.Node) -> None:
    """Refuse aliases that expand the document by more than ALIAS_NODES nodes, that nest it
    deeper than MAX_DEPTH, or that make it contain itself; in time linear in its own nodes
    (each node is measured once, however often aliases repeat it)."""
    measured: dict[int, tuple[int, int]] = {}  # node id -> (nodes once expanded, depth)
    uses: dict[int, int] = {}  # node id -> how many times it is a value (more: aliases)
    order: list[yaml.Node] = []  # children before parents
    open_nodes: set[int] = set()  # being measured: the ancestors of the node at hand
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_measured = stack.pop()
        key = id(node)
        if children_measured:
            parts = [measured[id(child)] for child in _children(node)]
            depth = 1 + max((part[1] for part in parts), default=0)
            if depth > MAX_DEPTH:
                raise _too_deep(node.start_mark.line + 1)
            measured[key] = (1 + sum(part[0] for part in parts), depth)
            order.append(node)
            open_nodes.discard(key)
            continue
        uses[key] = uses.get(key, 0) + 1
        if key in open_nodes:
            raise YamlProblem("an alias (*name) refers to a value that contains the alias "
                              "itself; write the value out instead", node.start_mark.line + 1)
        if key not in measured:
            open_nodes.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in _children(node))
    expanded, own = measured[id(root)][0], len(measured)
    if expanded > own + ALIAS_NODES:
        # point at the first value that aliases repeat beyond the bound
        where = next((node for node in order if uses[id(node)] > 1
                      and measured[id(node)][0] * uses[id(node)] > ALIAS_NODES), root)
        raise YamlProblem(f"aliases (*name) expand this document to {expanded:,} values, "
                          f"{expanded - own:,} more than it holds (at most {ALIAS_NODES:,} are "
                          "allowed); write the values out instead", where.start_mark.line + 1)


def _fast(text: str) -> tuple[Any, KeyLines]:
    """``load`` for the documents items are made of; raises _Unusual for anything else."""
    if "!" in text or "&" in text:  # a tag or an anchor (and so maybe aliases)
        raise _Unusual
    loader = _Composer(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError:
        raise _Unusual from None
    finally:
        loader.dispose()
    if not isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        raise _Unusual
    lines: KeyLines = {}
    return _walk(node, "", lines), lines


def load(text: str) -> tuple[Any, KeyLines]:
    """Parse one YAML document; return its value and the line of every key path."""
    _check_depth(text)
    try:
        return _fast(text)
    except _Unusual:
        return _load_safely(text)


def _load_safely(text: str) -> tuple[Any, KeyLines]:
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else None
            problem = exc.problem or exc.context or "invalid YAML"
            message, line = _explain(problem, text, line)
            raise YamlProblem(message, line) from None
        except yaml.YAMLError as exc:
            raise YamlProblem(f"invalid YAML: {exc}", None) from None
        if node is None:
            return None, {}
        _check_aliases(node)
        lines: KeyLines = {}
        _record_lines(node, "", lines)
        try:
            value = loader.construct_document(node)
        except yaml.constructor.ConstructorError as exc:
            mark = exc.problem_mark
            line = mark.line + 1 if mark else None
            raise YamlProblem(exc.problem or "invalid YAML value", line) from None
        except Exception:  # a tag's constructor fails in its own ways: ValueError,
            # OverflowError, AttributeError for '!!timestamp x', KeyError for '!!bool x'…
            line, message = _first_bad_value(node)
            raise YamlProblem(f"invalid value: {message}", line) from None
        return value, lines
    finally:
        loader.dispose()


def _explain(problem: str, text: str, line: int | None) -> tuple[str, int | None]:
    """Add a hint for the mistakes editors make most with Chinese text, and point at the line.

    The parser often notices a mistake one line late, so the line before is looked at too.
    """
    lines = text.splitlines()
    candidates = [n for n in (line, line - 1) if n is not None and 0 < n <= len(lines)] \
        if line is not None else []
    for number in candidates:
        source = lines[number - 1].split("#", 1)[0]
        if "：" in source and ":" not in source:
            return (f"invalid YAML: {problem}; use the ASCII colon ':' after a key, not the "
                    "full-width '：'"), number
        if source.startswith("\t") or "\t" in source[: len(source) - len(source.lstrip())]:
            return f"invalid YAML: {problem}; indent with spaces, not tabs", number
    if candidates:
        source = lines[candidates[0] - 1]
        if ": " in source.split(": ", 1)[-1]:
            return (f"invalid YAML: {problem}; a value that contains ': ' must be put in "
                    "quotes"), line
    return f"invalid YAML: {problem}", line
