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
  "billion laughs" bomb, or one long scalar repeated) are refused: the
  expanded values are counted in characters, see :data:`EXPANSION_PER_CHAR`;
* an integer too long for Python to read (over 4,300 digits) stays text;
  ``\\u`` escapes of UTF-16 surrogates are paired into their character, and a
  lone surrogate (which no UTF-8 output can hold) becomes U+FFFD.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from equipid.errors import InputError, Location

#: Deeper nesting than this is refused (no real catalog or sighting needs it).
MAX_DEPTH = 64

#: Characters a document may expand to, per character of its text, plus an
#: allowance. Each value costs its length plus one, so without aliases a
#: document stays within about its own size; only alias expansion can exceed
#: this. Counted in characters, not values: an anchor on one long scalar
#: repeated a few thousand times is refused like a billion laughs.
EXPANSION_PER_CHAR = 2
EXPANSION_EXTRA = 1 << 20

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
    budget: int = EXPANSION_EXTRA
    """Characters still allowed before alias expansion is refused."""
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


_BRACKETS = re.compile(r"[\[\]{}]")


def _depth_guard(text: str, where: str) -> None:
    """Refuse flow or block nesting beyond MAX_DEPTH before parsing.

    A cheap over-estimate: the running count of unclosed brackets, and the
    indentation depth in leading spaces. Real files are far below the bound.
    """
    depth = 0
    # NOTE: only the brackets are visited (found in C), not every character.
    for m in _BRACKETS.finditer(text):
        if m.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise InputError(f"nesting deeper than {MAX_DEPTH} levels refused", Location.of_offset(where, text, m.start()))
        else:
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
    if isinstance(node, ScalarNode):
        pos.budget -= len(node.value) + 1
        if pos.budget < 0:
            raise InputError("aliases expand the document far beyond its size; refused", pos.locate(path))
        tag = node.tag
        if tag not in _SAFE_SCALAR_TAGS:
            pos.problem(InputError(f"tag {tag!r} is not allowed (only plain YAML data is read)", pos.locate(path)))
            return None
        if tag == "tag:yaml.org,2002:str":
            if node.style == '"' and _SURROGATE.search(node.value):
                return _unpaired(node.value)
            return node.value
        if tag == "tag:yaml.org,2002:timestamp":
            return node.value
        try:
            return _SCALARS.construct_object(node)
        except ValueError:
            # NOTE: int() refuses more than 4,300 digits; such a number is kept as written.
            return node.value
    pos.budget -= 1
    if pos.budget < 0:
        raise InputError("aliases expand the document far beyond its size; refused", pos.locate(path))
    if isinstance(node, SequenceNode):
        if node.tag != _SEQ_TAG:
            # NOTE: the content is still read (as plain data), so a caller can tell which records the problem touches.
            pos.problem(InputError(f"tag {node.tag!r} is not allowed", pos.locate(path)))
        return [_convert(child, (*path, i), pos, depth + 1) for i, child in enumerate(node.value)]
    if isinstance(node, MappingNode):
        if node.tag != _MAP_TAG:
            pos.problem(InputError(f"tag {node.tag!r} is not allowed", pos.locate(path)))
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


_SURROGATE = re.compile("[\ud800-\udfff]")


def _unpaired(value: str) -> str:
    """``value`` with surrogate pairs joined into their characters and lone surrogates replaced (U+FFFD)."""
    return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


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
    pos = Positions(where, budget=EXPANSION_EXTRA + EXPANSION_PER_CHAR * len(text), soft=problems)
    nodes = _compose(text, where)
    if len(nodes) > 1:
        raise InputError("expected a single document in the stream, but found another document",
                         Location(where, nodes[1].start_mark.line + 1, nodes[1].start_mark.column + 1))
    node = nodes[0] if nodes else None
    if node is None:
        return None, pos
    return _convert(node, (), pos, 0), pos


def load_yaml_stream(text: str, where: str, problems: list[InputError] | None = None) -> list[tuple[Any, Positions]]:
    """Parse every document of a YAML stream (``---`` separated) safely: (data, positions) per document.

    As :func:`load_yaml`, for a stream; an empty stream gives no document. The
    alias budget is shared by the whole stream.
    """
    _depth_guard(text, where)
    budget = EXPANSION_EXTRA + EXPANSION_PER_CHAR * len(text)
    out: list[tuple[Any, Positions]] = []
    for node in _compose(text, where):
        # NOTE: each document keeps its own problems (pos.soft), and they all go to ``problems``.
        pos = Positions(where, budget=budget, soft=None if problems is None else [])
        out.append((None if node is None else _convert(node, (), pos, 0), pos))
        budget = pos.budget
        if problems is not None and pos.soft:
            problems += pos.soft
    return out


#: Documents up to this size that libyaml refuses are parsed again by PyYAML's
#: Python parser, whose messages and escapes (UTF-16 surrogate pairs) the rest
#: of the code knows; larger ones keep libyaml's error, so a broken 10 MB file
#: costs no more than a second.
_RETRY_BELOW = 1 << 20


def _compose(text: str, where: str) -> list[Node]:
    """The node graph of every document of ``text``, by libyaml where it is built in (a hundred times faster)."""
    loaders: list[Any] = [yaml.SafeLoader]
    if getattr(yaml, "__with_libyaml__", False):
        loaders.insert(0, yaml.CSafeLoader)
    for k, cls in enumerate(loaders):
        try:
            loader = cls(text)
            try:
                nodes = []
                while loader.check_node():
                    nodes.append(loader.get_node())
                return nodes
            finally:
                loader.dispose()
        except yaml.YAMLError as exc:
            if k + 1 < len(loaders) and len(text) < _RETRY_BELOW:
                continue
            raise _yaml_error(exc, where, text) from None
        except RecursionError:
            raise InputError("nesting too deep", Location(where, 1, 1)) from None
    return []  # pragma: no cover - the last loader returns or raises


# -- recovery from a document that does not parse ---------------------------

#: Line breaks as PyYAML counts them (its marks' line numbers follow these).
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_MARKER = re.compile(r"(?:---|\.\.\.)(?:[ \t]+#.*)?[ \t]*$")
_DOC_START = re.compile(r"---(?:[ \t]+#.*)?[ \t]*$")
_SIGHTINGS_LINE = re.compile(r"""(?:sightings|"sightings"|'sightings')[ \t]*:[ \t]*(?:#.*)?$""")


def yaml_lines(text: str) -> list[str]:
    """``text`` cut into lines (each with its line break) where PyYAML counts lines."""
    out: list[str] = []
    at = 0
    for m in _BREAK.finditer(text):
        out.append(text[at : m.end()])
        at = m.end()
    if at < len(text):
        out.append(text[at:])
    return out


def _bare(line: str) -> str:
    return line.rstrip("\r\n\x85\u2028\u2029")


def _content(line: str) -> bool:
    s = line.strip()
    return bool(s) and not s.startswith("#")


def _is_item(s: str) -> bool:
    """Whether ``s`` (a line without its indentation) opens a block list item."""
    return s.startswith("-") and (len(s) == 1 or s[1] in " \t\r\n\x85\u2028\u2029")


def split_documents(lines: list[str]) -> list[tuple[int, int]]:
    """[start, end) line ranges of the documents of a stream: cut before each ``---`` and after each ``...`` line.

    Lines holding only directives, comments or blanks go with the document after them.
    """
    cuts: list[tuple[int, int]] = []
    start = 0
    for i, line in enumerate(lines):
        b = _bare(line)
        if b.startswith("---") and (len(b) == 3 or b[3] in " \t") and i > start:
            if any(_content(ln) and not ln.startswith("%") for ln in lines[start:i]):
                cuts.append((start, i))
                start = i
        elif b.startswith("...") and (len(b) == 3 or b[3] in " \t"):
            cuts.append((start, i + 1))
            start = i + 1
    if start < len(lines):
        cuts.append((start, len(lines)))
    # NOTE: a piece of comments and markers alone holds no document.
    return [(a, b) for a, b in cuts if any(_content(ln) and not _MARKER.match(_bare(ln)) for ln in lines[a:b])]


def split_items(lines: list[str]) -> tuple[list[tuple[int, int]], int, str] | None:
    """The top-level sighting items of one document that does not parse, to read one by one.

    Returns ([start, end) line ranges of the items, their indentation, the
    text of the lines around the list), or None when the document is not a
    block list or a mapping whose ``sightings`` key holds a block list: then
    no part of it can be told to be a record. Every line of the list belongs
    to an item (a line the splitter does not understand stays inside the item
    before it, which then fails as a whole), and a nested list never becomes
    an item. The caller checks that the text around the list parses.
    """
    n = len(lines)
    i = 0
    while i < n:
        b = _bare(lines[i])
        if not _content(b) or b.startswith("%") or _DOC_START.match(b):
            i += 1
            continue
        break
    if i == n:
        return None
    first = lines[i].lstrip(" ")
    around = ""
    if _is_item(first):
        lo, hi = i, n
    else:
        k = next((j for j in range(i, n) if _SIGHTINGS_LINE.match(_bare(lines[j]))), None)
        if k is None:
            return None
        hi = k + 1
        # NOTE: the list ends at the next line that starts a key at the left
        # margin; a line opening with a space, a tab, '#' or '-' stays inside.
        while hi < n and not (_content(lines[hi]) and lines[hi][0] not in " \t#-"):
            hi += 1
        lo = k + 1
        around = "".join(lines[:k]) + "".join(lines[hi:])
    items: list[tuple[int, int]] = []
    indent: int | None = None
    cur: int | None = None
    for j in range(lo, hi):
        line = lines[j]
        if not _content(line):
            continue
        s = line.lstrip(" ")
        ind = len(line) - len(s)
        if indent is None:
            if not _is_item(s):
                return None
            indent = ind
        if ind == indent and _is_item(s):
            if cur is not None:
                items.append((cur, j))
            cur = j
    if cur is None or indent is None:
        return None
    items.append((cur, hi))
    return items, indent, around


def dedent(lines: list[str], indent: int) -> str:
    """The lines with ``indent`` leading spaces removed where they have them."""
    pad = " " * indent
    return "".join(ln[indent:] if ln.startswith(pad) else ln for ln in lines)
