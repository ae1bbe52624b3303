"""What a condition kind supplies, and the registry that dispatches to the kinds.

A condition is written in a catalog file as a mapping with one key, the
kind (``item: mib``, ``all: [...]``), validated and compiled to a tuple whose
first element names the kind again (``("item", "mib")``). Every operation on
conditions (validating, compiling, triggers, evaluating one sighting or a
chunk of them, look-for-next, lint, export, fmt, the JSON Schema) goes
through :class:`Registry`, which hands each condition to its kind: an
instance of a :class:`ConditionKind` subclass, one module per kind in this
package. A kind made of other conditions (``all``, ``not``...) reaches its
parts through the registry it is given, never by importing another kind.

Importing this module is cheap: no pydantic, no numpy (the kinds import them
in the hooks that need them).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from equipid.catalog.compiled import Cond

if TYPE_CHECKING:
    import numpy as np

    from equipid.catalog.conditions.program import Env, Program

#: Trigger keys (see :meth:`ConditionKind.triggers`): an item id as is; a
#: category, and an item reported absent, under these prefixes.
CATEGORY_TRIGGER = "cat:"
ABSENT_TRIGGER = "absent:"
#: The tag of a chunk node that is one row of the seen-items array as is (see :meth:`Program.seen_row`).
SEEN_ROW = "seen-row"


@dataclass(slots=True)
class Context:
    """What the conditions of the indicators are evaluated against: one sighting."""

    seen: dict[str, float]
    """Item ids (with their variant_of ancestors) -> confidence."""
    cats: dict[str, float]
    pairs: dict[tuple[str, str], float]
    absent: set[str]
    date: tuple[int, int] | None
    country: str | None
    warnings: list[str] = field(default_factory=list)
    """What the scorer has to say of this sighting, beside the observer's own warnings (never written into them)."""


#: Whether a condition could hold in a context once items are supposed seen: (ctx, seen, cats, pairs) -> bool.
Holds = Callable[[Context, frozenset[str], frozenset[str], frozenset[tuple[str, str]]], bool]
#: Put the keys of a YAML mapping in an order (unknown keys last, comments kept): what ``catalog fmt`` does.
Reorder = Callable[[Any, tuple[str, ...]], None]


@dataclass(frozen=True)
class Known:
    """What lint checks a condition against: the catalog's item ids and the categories its items have."""

    items: Collection[str]
    categories: Collection[str]


@dataclass(frozen=True)
class Finding:
    """A lint finding in a condition: the field path below the record (``when.all[1].item``) and what is wrong."""

    path: tuple[Any, ...]
    message: str
    warning: bool = False
    """A warning rather than an error (the condition may match once the catalog grows)."""


@dataclass
class Facts:
    """What the parts of an ``all`` require of one sighting, gathered to find parts that contradict each other."""

    lo: tuple[int, str] | None = None
    """The latest first day any part allows, and how it was written."""
    hi: tuple[int, str] | None = None
    """The earliest last day any part allows, and how it was written."""
    countries: set[str] | None = None
    """The countries every part allows (None: any)."""
    seen: set[str] = field(default_factory=set)
    negated: set[str] = field(default_factory=set)
    absent: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class SchemaParts:
    """The pieces of JSON Schema a kind builds its own from."""

    ref: dict[str, Any]
    """A reference to the condition schema itself (for parts)."""
    item: dict[str, Any]
    """An item id."""
    country: dict[str, Any]
    """A country code."""
    date: dict[str, Any]
    """A partial date."""


class ConditionKind(ABC):
    """Everything about one kind of condition.

    ``v`` is the value under the kind's key in the catalog (``mib`` in
    ``{item: mib}``); ``c`` is the compiled tuple (``("item", "mib")``); ``r``
    is the registry, through which a kind reaches the kinds of its parts.
    The abstract methods are what every kind must supply; the others have
    defaults that suit a kind that names no item and is no combination of
    other conditions.
    """

    key: ClassVar[str]
    """The key in the catalog and the first element of the compiled tuple."""
    example: ClassVar[Any]
    """A valid value of the kind (for the docs and the tests that hold every kind to its hooks)."""

    # -- the catalog form ---------------------------------------------------
    @abstractmethod
    def check(self, v: Any, where: str, r: Registry) -> None:
        """Validate the shape of ``v``; raise ValueError naming ``where`` (``when.all[0].item``)."""

    @abstractmethod
    def compile(self, v: Any, r: Registry) -> Cond:
        """The compiled tuple of a validated ``v``: plain data, hashable, picklable."""

    @abstractmethod
    def describe(self, v: Any, r: Registry) -> str:
        """``v`` in one short line, for ``catalog export`` (``item mib``)."""

    @abstractmethod
    def schema(self, parts: SchemaParts) -> dict[str, Any]:
        """The JSON Schema of ``v``."""

    def mentions(self, v: Any, r: Registry) -> Iterator[str]:
        """Every item id ``v`` names, at any depth, positive, negated or absent, in order (tolerates a bad shape)."""
        return iter(())

    def required_item(self, v: Any) -> str | None:
        """The item id when ``v`` is just "this item is seen" (what a ``not`` of it rules out), else None."""
        return None

    def lint(self, v: Any, path: tuple[Any, ...], known: Known, r: Registry) -> Iterator[Finding]:
        """What is wrong with ``v`` against the catalog; ``path`` ends with the kind's key."""
        return iter(())

    def facts(self, v: Any, into: Facts, r: Registry) -> None:
        """Add to ``into`` what ``v``, as a part of an ``all``, requires of a sighting (by default: nothing lint compares)."""
        return

    def tidy(self, v: Any, reorder: Reorder, r: Registry) -> None:
        """Put the keys of ``v`` (a round-trip YAML node) in canonical order (by default: nothing to order)."""
        return

    # -- the compiled form: what it needs seen ------------------------------
    def parts(self, c: Cond) -> tuple[Cond, ...]:
        """The conditions ``c`` is made of."""
        return ()

    counts_parts: ClassVar[bool] = False
    """Holds on how many of its parts hold: one alternative seen meets a look-for-next group but not the count."""

    def triggers(self, c: Cond, r: Registry) -> set[str] | None:
        """Keys at least one of which must be observed for ``c`` to hold; None: evaluate it for every sighting."""
        return None

    def positive_items(self, c: Cond, r: Registry) -> list[str]:
        """Items ``c`` asks to see (not under a ``not``), in order."""
        return []

    def need_groups(self, c: Cond, r: Registry) -> list[tuple[str, ...]]:
        """What ``c`` asks to see, as groups of alternatives that must all be met."""
        return []

    def lone_item(self, c: Cond) -> str | None:
        """The seen key when ``c`` is exactly one seen key's confidence, else None."""
        return None

    def simple(self, c: Cond, r: Registry) -> bool:
        """Whether ``c`` speaks only of items and categories being present."""
        return False

    def sure(self, c: Cond, r: Registry) -> bool:
        """Whether a simple ``c`` holds as soon as all its own items are present."""
        return False

    def where_when(self, c: Cond, r: Registry) -> bool:
        """Whether ``c`` looks only at the sighting's country and date."""
        return False

    def cacheable(self, c: Cond, r: Registry) -> bool:
        """Whether ``c``, its items supposed present, depends on the sighting's date and country alone."""
        return False

    def item_only(self, c: Cond, r: Registry) -> bool:
        """Whether ``c`` names items and nothing else (an item, or any of items)."""
        return False

    def kit_rule(self, c: Cond, r: Registry) -> bool:
        """Whether ``c`` is "one of these items", alone or bounded by country and date only (see counts)."""
        return r.item_only(c)

    def holds_at(self, c: Cond, country: str, day: int, r: Registry) -> bool:
        """Whether ``c`` holds at a place and day, its item parts taken as seen."""
        return True

    def places_and_days(self, c: Cond, r: Registry) -> tuple[set[str], set[int]]:
        """Every country and boundary day ``c`` names, to test others against it."""
        return set(), set()

    # -- the compiled form: evaluation ---------------------------------------
    @abstractmethod
    def evaluate(self, c: Cond, ctx: Context, r: Registry) -> float:
        """Confidence with which ``c`` holds in ``ctx`` (0.0: it does not)."""

    def could_hold(self, c: Cond, r: Registry) -> Holds:
        """Whether :meth:`evaluate` gives more than 0 once items, categories and pairs are supposed seen, as a closure.

        The default suits a kind that reads nothing the supposition adds.
        """
        evaluate = self.evaluate
        return lambda x, seen, cats, pairs: evaluate(c, x, r) > 0.0

    @abstractmethod
    def node(self, c: Cond, prog: Program) -> tuple[Any, ...]:
        """The chunk node of ``c`` (numbering its parts with ``prog.node``, its rows with ``prog.row``)."""

    @abstractmethod
    def value(self, node: tuple[Any, ...], env: Env, memo: list[np.ndarray | None], prog: Program) -> np.ndarray:
        """A node's value over a chunk: what :meth:`evaluate` gives each sighting, as an array never written to."""


class OneItem(ConditionKind):
    """A kind whose value is one item id (``item``, ``absent``): its catalog form, written once."""

    def check(self, v: Any, where: str, r: Registry) -> None:
        """An item id."""
        from equipid.catalog.values import check_slug

        if not isinstance(v, str):
            raise ValueError(f"{where}: an item id")
        check_slug(v)

    def compile(self, v: Any, r: Registry) -> Cond:
        """``(KEY, ID)``."""
        return (self.key, v)

    def describe(self, v: Any, r: Registry) -> str:
        """``KEY ID``."""
        return f"{self.key} {v}"

    def schema(self, parts: SchemaParts) -> dict[str, Any]:
        """An item id."""
        return parts.item

    def mentions(self, v: Any, r: Registry) -> Iterator[str]:
        """The item."""
        if isinstance(v, str):
            yield v

    def lint(self, v: Any, path: tuple[Any, ...], known: Known, r: Registry) -> Iterator[Finding]:
        """An unknown item."""
        if v not in known.items:
            yield unknown_item(path, v)


class Combination(ConditionKind):
    """A kind made of a list of other conditions (``all``, ``any``, ``n_of``): what is done part by part, written once."""

    def listed(self, v: Any) -> Iterable[Any]:
        """The parts of ``v`` as written (nothing for a bad shape)."""
        return v if isinstance(v, list) else ()

    def part_path(self, path: tuple[Any, ...], i: int) -> tuple[Any, ...]:
        """Where the ``i``-th part of the value at ``path`` stands."""
        return (*path, i)

    def mentions(self, v: Any, r: Registry) -> Iterator[str]:
        """Those of the parts."""
        for s in self.listed(v):
            yield from r.mentions(s)

    def lint(self, v: Any, path: tuple[Any, ...], known: Known, r: Registry) -> Iterator[Finding]:
        """The parts' findings."""
        for i, s in enumerate(self.listed(v)):
            yield from r.lint(s, self.part_path(path, i), known)

    def tidy(self, v: Any, reorder: Reorder, r: Registry) -> None:
        """The parts."""
        for s in self.listed(v):
            r.tidy(s, reorder)

    def positive_items(self, c: Cond, r: Registry) -> list[str]:
        """Those of the parts."""
        return [i for s in self.parts(c) for i in r.positive_items(s)]

    def simple(self, c: Cond, r: Registry) -> bool:
        """When every part is."""
        return all(r.simple(s) for s in self.parts(c))


def triggers_of_every_part(parts: tuple[Cond, ...], r: Registry) -> set[str] | None:
    """The triggers of a combination any one part of which may hold alone: every part's; None if a part has none."""
    out: set[str] = set()
    for s in parts:
        t = r.triggers(s)
        if t is None:
            return None
        out |= t
    return out


def one_group_of_alternatives(parts: tuple[Cond, ...], r: Registry) -> list[tuple[str, ...]]:
    """What such a combination needs seen: one group, every item of the parts as alternatives."""
    alternatives = [i for s in parts for g in r.need_groups(s) for i in g]
    return [tuple(dict.fromkeys(alternatives))] if alternatives else []


def places_and_days_of_parts(parts: tuple[Cond, ...], r: Registry) -> tuple[set[str], set[int]]:
    """Every country and boundary day the parts name."""
    countries: set[str] = set()
    days: set[int] = set()
    for s in parts:
        cs, ds = r.places_and_days(s)
        countries |= cs
        days |= ds
    return countries, days


class Registry:
    """Every condition kind by its key, and each operation dispatched to the kind of the condition it is given."""

    def __init__(self, kinds: Iterable[ConditionKind]) -> None:
        self.kinds: dict[str, ConditionKind] = {k.key: k for k in kinds}
        """The kinds in the order the schema and the docs list them."""

    def of(self, c: Cond) -> ConditionKind:
        """The kind of a compiled condition."""
        return self.kinds[c[0]]

    # -- the catalog form ---------------------------------------------------
    def check(self, c: Any, where: str = "when") -> None:
        """Validate the shape of a condition; raise ValueError naming the path."""
        if not isinstance(c, dict) or len(c) != 1:
            raise ValueError(f"{where}: a condition is a mapping with exactly one of {sorted(self.kinds)}")
        ((k, v),) = c.items()
        kind = self.kinds.get(k)
        if kind is None:
            raise ValueError(f"{where}: unknown condition {k!r}; use one of {sorted(self.kinds)}")
        kind.check(v, f"{where}.{k}", self)

    def compile(self, c: dict[str, Any]) -> Cond:
        """Turn a validated condition mapping into nested tuples."""
        ((k, v),) = c.items()
        return self.kinds[k].compile(v, self)

    def mentions(self, c: Any) -> Iterator[str]:
        """Every item id a condition names (positive, negated or absent), in order."""
        if not isinstance(c, dict):
            return
        for k, v in c.items():
            kind = self.kinds.get(k)
            if kind is not None:
                yield from kind.mentions(v, self)

    def required_item(self, c: Any) -> str | None:
        """The item id when ``c`` is just "this item is seen", else None."""
        if not isinstance(c, dict) or len(c) != 1:
            return None
        ((k, v),) = c.items()
        kind = self.kinds.get(k)
        return kind.required_item(v) if kind is not None else None

    def lint(self, c: Any, path: tuple[Any, ...], known: Known) -> Iterator[Finding]:
        """Findings of a condition at field path ``path`` (``("when",)``)."""
        if not isinstance(c, dict) or len(c) != 1:
            return
        ((k, v),) = c.items()
        kind = self.kinds.get(k)
        if kind is not None:
            yield from kind.lint(v, (*path, k), known, self)

    def facts(self, c: Any, into: Facts) -> None:
        """Add to ``into`` what a part of an ``all`` requires."""
        if not isinstance(c, dict) or len(c) != 1:
            return
        ((k, v),) = c.items()
        kind = self.kinds.get(k)
        if kind is not None:
            kind.facts(v, into, self)

    def describe(self, c: Any) -> str:
        """A condition in one short line: ``all(item mib, country SY)``."""
        if not isinstance(c, dict) or len(c) != 1:
            return str(c)
        ((k, v),) = c.items()
        kind = self.kinds.get(k)
        return kind.describe(v, self) if kind is not None else f"{k} {v}"

    def tidy(self, c: Any, reorder: Reorder) -> None:
        """Put the keys of a round-trip YAML condition in canonical order, in place."""
        if not isinstance(c, dict) or len(c) != 1:
            return
        ((k, v),) = c.items()
        kind = self.kinds.get(k)
        if kind is not None:
            kind.tidy(v, reorder, self)

    def schema(self, parts: SchemaParts) -> dict[str, Any]:
        """The JSON Schema of each kind's value, by key."""
        return {k: kind.schema(parts) for k, kind in self.kinds.items()}

    # -- the compiled form ----------------------------------------------------
    def triggers(self, c: Cond) -> set[str] | None:
        """Keys at least one of which must be observed for ``c`` to fire; None: always evaluate."""
        return self.kinds[c[0]].triggers(c, self)

    def positive_items(self, c: Cond) -> list[str]:
        """Items a condition asks to see (not under a ``not``), in order."""
        return self.kinds[c[0]].positive_items(c, self)

    def need_groups(self, c: Cond) -> list[tuple[str, ...]]:
        """What a condition asks to see, as groups of alternatives that must all be met.

        ``all: [A, any: [B, C]]`` needs A and one of B or C: ``[(A,), (B, C)]``.
        Used to say what to look for next ("B or C", not "B + C").
        """
        return self.kinds[c[0]].need_groups(c, self)

    def lone_item(self, c: Cond) -> str | None:
        """The seen key when a condition is exactly one seen key's confidence."""
        return self.kinds[c[0]].lone_item(c)

    def has_count(self, c: Cond) -> bool:
        """Whether a part that holds on a count of its parts (``n_of``) appears anywhere in ``c``."""
        kind = self.kinds[c[0]]
        return kind.counts_parts or any(self.has_count(s) for s in kind.parts(c))

    def simple(self, c: Cond) -> bool:
        """Whether a condition speaks only of items and categories being present."""
        return self.kinds[c[0]].simple(c, self)

    def sure(self, c: Cond) -> bool:
        """Whether a simple condition holds as soon as all its own items are present.

        Not so for a category: whether it holds depends on the sighting's
        other items, which a cache keyed on date and country alone cannot see.
        """
        return self.kinds[c[0]].sure(c, self)

    def where_when(self, c: Cond) -> bool:
        """Whether a condition looks only at the sighting's country and date."""
        return self.kinds[c[0]].where_when(c, self)

    def cacheable(self, c: Cond) -> bool:
        """Whether a condition, its items supposed present, depends on the sighting's date and country alone."""
        return self.kinds[c[0]].cacheable(c, self)

    def item_only(self, c: Cond) -> bool:
        """Whether a condition names items and nothing else (an item, or any of items)."""
        return self.kinds[c[0]].item_only(c, self)

    def kit_rule(self, c: Cond) -> bool:
        """Whether a condition is "one of these items", alone or bounded by country and date only."""
        return self.kinds[c[0]].kit_rule(c, self)

    def holds_at(self, c: Cond, country: str, day: int) -> bool:
        """Whether a condition holds at a place and day, its item parts taken as seen."""
        return self.kinds[c[0]].holds_at(c, country, day, self)

    def places_and_days(self, c: Cond) -> tuple[set[str], set[int]]:
        """Every country and boundary day a condition names."""
        return self.kinds[c[0]].places_and_days(c, self)

    def evaluate(self, c: Cond, ctx: Context) -> float:
        """Confidence with which condition ``c`` holds in ``ctx`` (0.0: it does not)."""
        return self.kinds[c[0]].evaluate(c, ctx, self)

    def could_hold(self, c: Cond) -> Holds:
        """Whether :meth:`evaluate` gives more than 0 once ``seen``, ``cats`` and ``pairs`` are added to ``ctx``, as a closure.

        Only whether each part is above 0 decides that, so the supposed items
        need no confidences, and ``ctx`` is not copied.
        """
        return self.kinds[c[0]].could_hold(c, self)


def check_parts(v: Any, where: str, r: Registry) -> None:
    """Validate a non-empty list of conditions (the value of ``all`` and ``any``)."""
    if not isinstance(v, list) or not v:
        raise ValueError(f"{where}: a non-empty list of conditions")
    for i, s in enumerate(v):
        r.check(s, f"{where}[{i}]")


def unknown_item(path: tuple[Any, ...], iid: Any) -> Finding:
    """The finding of a condition naming an item the catalog does not have."""
    return Finding(path, f"unknown item {iid!r}; the condition can never match")
