"""Safe YAML reading that keeps where every value came from.

PyYAML's ``safe_load`` forgets positions, accepts duplicate keys, turns
``2016-02-30`` into a crash of the whole document, and its C parser can
segfault on absurd nesting. Here we compose the node graph ourselves:

* only the safe tags are constructed; anything else (``!!python/object``) is
  refused with its position, never executed;
* timestamps stay strings, so an impossible date is a field error later;
* duplicate keys are an error naming both lines;
* nesting deeper than :data:`MAX_DEPTH` is refused before the parser recurses;
* aliases (``*a``) that would expand the document far beyond its own size (a
  "billion laughs" bomb) are refused: see :data:`NODE_BUDGET_PER_CHAR`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from equipid.errors import InputError, Location

#: Deeper nesting than this is refused (no real catalog or sighting needs it).
MAX_DEPTH = 64

#: Values a document may expand to, per character of its text (plus a small
#: allowance). Without aliases every value takes at least one character, so
#: only alias expansion can exceed this.
NODE_BUDGET_PER_CHAR = 1
NODE_BUDGET_EXTRA = 10_000

_SAFE_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"

Path = tuple[str | int, ...]


@dataclass
class Positions:
    """1-based (line, column) of every value, keyed by its path in the document."""

    path: str
    marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    """Where the key of a mapping entry stands (``marks`` holds its value's place)."""
    budget: int = NODE_BUDGET_EXTRA
    """Values still allowed before alias expansion is refused."""
    soft: list[InputError] | None = None
    """Where recoverable problems go when the caller wants them all (else they raise)."""

    def problem(self, err: InputError) -> None:
        """Record a recoverable problem, or raise it when the caller wants the first only."""
        if self.soft is None:
            raise err
        self.soft.append(err)

    def locate(self, key: Path, *, of_key: bool = False) -> Location:
        """The location of ``key`` (its value, or with ``of_key`` its key), else its nearest ancestor's."""
        k = tuple(key)
        if of_key and k in self.keys:
            line, col = self.keys[k]
            return Location(self.path, line, col)
        while k:
            if k in self.marks:
                line, col = self.marks[k]
                return Location(self.path, line, col)
            k = k[:-1]
        line, col = self.marks.get((), (1, 1))
        return Location(self.path, line, col)


def _depth_guard(text: str, where: str) -> None:
    """Refuse flow or block nesting beyond MAX_DEPTH before parsing.

    A cheap over-estimate: the running count of unclosed brackets, and the
    indentation depth in leading spaces. Real files are far below the bound.
    """
    depth = 0
    for at, ch in enumerate(text):
        if ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise InputError(f"nesting deeper than {MAX_DEPTH} levels refused", Location.of_offset(where, text, at))
        elif ch in "]}":
            depth -= 1
    for m in re.finditer(r"^( *)(?:- )+", text, re.M):
        if len(m.group(0)) > MAX_DEPTH * 4:
            raise InputError(f"nesting deeper than {MAX_DEPTH} levels refused", Location.of_offset(where, text, m.start()))


class _Constructor(yaml.constructor.SafeConstructor):
    """SafeConstructor used only for its scalar conversions."""


_SCALARS = _Constructor()


def _convert(node: Node, path: Path, pos: Positions, depth: int) -> Any:
    pos.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if depth > MAX_DEPTH:
        raise InputError(f"nesting deeper than {MAX_DEPTH} levels refused", pos.locate(path))
    pos.budget -= 1
    if pos.budget < 0:
        raise InputError("aliases expand the document far beyond its size; refused", pos.locate(path))
    if isinstance(node, ScalarNode):
        tag = node.tag
        if tag not in _SAFE_SCALAR_TAGS:
            pos.problem(InputError(f"tag {tag!r} is not allowed (only plain YAML data is read)", pos.locate(path)))
            return None
        if tag == "tag:yaml.org,2002:timestamp" or tag == "tag:yaml.org,2002:str":
            return node.value
        return _SCALARS.construct_object(node)
    if isinstance(node, SequenceNode):
        if node.tag != _SEQ_TAG:
            pos.problem(InputError(f"tag {node.tag!r} is not allowed", pos.locate(path)))
            return None
        return [_convert(child, (*path, i), pos, depth + 1) for i, child in enumerate(node.value)]
    if isinstance(node, MappingNode):
        if node.tag != _MAP_TAG:
            pos.problem(InputError(f"tag {node.tag!r} is not allowed", pos.locate(path)))
            return None
        out: dict[Any, Any] = {}
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            kloc = Location(pos.path, key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise InputError("merge keys (<<) are not supported", kloc)
            key = _convert(key_node, (*path, "<key>"), pos, depth + 1)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise InputError("a mapping key must be a plain value", kloc)
            key = str(key) if not isinstance(key, str) else key
            line = key_node.start_mark.line + 1
            if key in seen:
                pos.problem(InputError(
                    f"duplicate key {key!r} (first on line {seen[key]})",
                    Location(pos.path, line, key_node.start_mark.column + 1),
                ))
                continue  # the first value stands
            seen[key] = line
            pos.keys[(*path, key)] = (line, key_node.start_mark.column + 1)
            out[key] = _convert(value_node, (*path, key), pos, depth + 1)
        pos.marks.pop((*path, "<key>"), None)
        return out
    raise InputError("unsupported YAML node", pos.locate(path))  # pragma: no cover


def _yaml_error(exc: yaml.YAMLError, where: str, text: str) -> InputError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        problem = getattr(exc, "problem", None) or str(exc)
        return InputError(f"YAML syntax: {problem}", Location(where, mark.line + 1, mark.column + 1))
    if isinstance(exc, yaml.reader.ReaderError):
        # NOTE: the reader reports a character offset and no mark.
        return InputError(f"YAML syntax: unacceptable character #x{exc.character:04x} ({exc.reason})",
                          Location.of_offset(where, text, exc.position))
    return InputError(f"YAML syntax: {exc}", Location(where))


def load_yaml(text: str, where: str, problems: list[InputError] | None = None) -> tuple[Any, Positions]:
    """Parse one YAML document safely; return the data and its positions.

    Raises :class:`InputError` with a location for every refusal. Given a
    ``problems`` list, the recoverable ones (a duplicate key, whose first value
    stands; a refused tag, read as null) are appended there instead, so a
    caller can report them together with everything else wrong in the file.
    """
    _depth_guard(text, where)
    pos = Positions(where, budget=NODE_BUDGET_EXTRA + NODE_BUDGET_PER_CHAR * len(text), soft=problems)
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, where, text) from None
    except RecursionError:
        raise InputError("nesting too deep", Location(where, 1, 1)) from None
    if node is None:
        return None, pos
    return _convert(node, (), pos, 0), pos


def iter_yaml_items(text: str, where: str) -> Iterator[tuple[int, str]]:
    """Split a YAML list document into the text of its top-level items.

    Used to recover from a document that will not parse as a whole: each
    item (a line starting ``- `` at the list's indentation) is returned with
    its 1-based first line, so one broken record costs one record.
    """
    lines = text.splitlines(keepends=True)
    indent = None
    start = None
    for i, line in enumerate(lines):
        stripped = line.lstrip(" ")
        if stripped.startswith("- ") or stripped.rstrip("\r\n") == "-":
            ind = len(line) - len(stripped)
            if indent is None:
                indent = ind
            if ind == indent:
                if start is not None:
                    yield start + 1, _dedent(lines[start:i], indent)
                start = i
                continue
        if indent is not None and stripped.strip() and not stripped.startswith("#"):
            ind = len(line) - len(stripped)
            if ind < indent or (ind == indent and not stripped.startswith("-")):
                if start is not None:
                    yield start + 1, _dedent(lines[start:i], indent)
                    start = None
    if start is not None:
        yield start + 1, _dedent(lines[start:], indent or 0)


def _dedent(chunk: list[str], indent: int) -> str:
    return "".join(ln[indent:] if ln[:indent].strip() == "" else ln for ln in chunk)
