"""Every indicator's condition, evaluated for a whole chunk of sightings at once.

The conditions are cut into shared nodes (the same sub-condition is computed
once a chunk), each built and evaluated by its kind
(:meth:`~equipid.catalog.conditions.base.ConditionKind.node` and ``value``).
A node's value is an array over the chunk's sightings, exactly what
``evaluate`` gives each of them: only min, max, sort and comparisons of the
observed confidences, never arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain, repeat
from operator import attrgetter, is_not
from typing import Any

import numpy as np

from equipid.catalog.compiled import Cond
from equipid.catalog.conditions.base import SEEN_ROW, Context, Registry

_SEEN, _CATS, _PAIRS, _ABSENT = attrgetter("seen"), attrgetter("cats"), attrgetter("pairs"), attrgetter("absent")
_COUNTRY, _DATE = attrgetter("country"), attrgetter("date")


@dataclass
class Env:
    """A chunk's contexts as arrays, one column per sighting, rows as numbered by :class:`Program`."""

    seen: np.ndarray
    cats: np.ndarray
    pairs: np.ndarray
    absent: np.ndarray
    country: np.ndarray
    dated: np.ndarray
    first: np.ndarray
    last: np.ndarray
    seen_keys: set[str]
    """What was seen (with the variant_of ancestors), categories, absent items anywhere in the chunk: the triggers."""
    cat_keys: set[str]
    absent_keys: set[str]


def _rows_of(index: dict[Any, int], keys: list[Any], vals: list[float], lens: list[int]) -> np.ndarray:
    """A (row of ``index`` + 1, sighting) array of ``vals``; ``lens``: how many keys each sighting has, in order."""
    m = np.zeros((len(index) + 1, len(lens)))
    if keys:
        other = len(index)
        rows = np.fromiter(map(index.get, keys, repeat(other, len(keys))), dtype=np.intp, count=len(keys))
        m[rows, np.repeat(np.arange(len(lens)), lens)] = vals
    return m


class Program:
    """The nodes of a list of conditions, and their values over a chunk."""

    def __init__(self, conds: list[Cond], registry: Registry) -> None:
        self.registry = registry
        self.nodes: list[tuple[Any, ...]] = []
        self._value: list[Callable[[tuple[Any, ...], Env, list[np.ndarray | None], Program], np.ndarray]] = []
        self._ids: dict[Cond, int] = {}
        # Rows of the chunk's arrays (see Env); one more row, always 0, takes what no condition asks about.
        self.items: dict[str, int] = {}
        self.cats: dict[str, int] = {}
        self.pairs: dict[tuple[str, str], int] = {}
        self.absent: dict[str, int] = {}
        self.countries: dict[frozenset[str], int] = {}
        self.roots = [self.node(c) for c in conds]
        self._country_rows: dict[str | None, np.ndarray] = {}

    @staticmethod
    def row(table: dict[Any, int], key: Any) -> int:
        """The row of ``key`` in one of the tables (``items``, ``cats``...), numbered on first use."""
        return table.setdefault(key, len(table))

    def node(self, c: Cond) -> int:
        """The number of the node of ``c``, built (with its parts) by its kind on first use."""
        hit = self._ids.get(c)
        if hit is not None:
            return hit
        kind = self.registry.of(c)
        node = kind.node(c, self)
        self.nodes.append(node)
        self._value.append(kind.value)
        self._ids[c] = len(self.nodes) - 1
        return len(self.nodes) - 1

    def seen_row(self, j: int) -> int | None:
        """The row of the seen array that node ``j`` is as is, or None."""
        node = self.nodes[j]
        return node[1] if node[0] == SEEN_ROW else None

    def seen_rows(self, js: tuple[int, ...]) -> np.ndarray | None:
        """The rows of the seen array nodes ``js`` are, where every one is such a row (one gather for them all), else None."""
        rows = [r for r in map(self.seen_row, js) if r is not None]
        return np.array(rows, dtype=np.intp) if len(rows) == len(js) else None

    def country_row(self, country: str | None) -> np.ndarray:
        """Whether ``country`` is in each country condition's set, as 1.0 or 0.0."""
        hit = self._country_rows.get(country)
        if hit is None:
            hit = np.array([country is not None and country in cs for cs in self.countries], dtype=np.float64)
            if len(self._country_rows) > 10_000:
                self._country_rows.clear()
            self._country_rows[country] = hit
        return hit

    def value(self, j: int, env: Env, memo: list[np.ndarray | None]) -> np.ndarray:
        """Node ``j`` over the chunk: an array never to be written to (it may be a row of ``env``)."""
        v = memo[j]
        if v is not None:
            return v
        v = self._value[j](self.nodes[j], env, memo, self)
        memo[j] = v
        return v

    def env(self, ctxs: list[Context]) -> Env:
        """The chunk's contexts as the arrays the nodes read."""
        # NOTE: gathered with map and chain, C loops, not a Python loop over the chunk.
        seen = list(map(_SEEN, ctxs))
        keys = list(chain.from_iterable(seen))
        cats = list(map(_CATS, ctxs))
        cat_keys = list(chain.from_iterable(cats))
        pairs = list(map(_PAIRS, ctxs))
        pair_keys = list(chain.from_iterable(pairs))
        absent = list(map(_ABSENT, ctxs))
        absent_keys = list(chain.from_iterable(absent))
        countries = list(map(_COUNTRY, ctxs))
        at = {c: k for k, c in enumerate(dict.fromkeys(countries))}
        table = np.array([self.country_row(c) for c in at]).T
        dates_ = list(map(_DATE, ctxs))
        dated = np.fromiter(map(is_not, dates_, repeat(None)), dtype=bool, count=len(dates_))
        days = np.array([d if d is not None else (0, 0) for d in dates_], dtype=np.int64).reshape(-1, 2)
        return Env(
            _rows_of(self.items, keys, list(chain.from_iterable(map(dict.values, seen))), list(map(len, seen))),
            _rows_of(self.cats, cat_keys, list(chain.from_iterable(map(dict.values, cats))), list(map(len, cats))),
            _rows_of(self.pairs, pair_keys, list(chain.from_iterable(map(dict.values, pairs))), list(map(len, pairs))),
            _rows_of(self.absent, absent_keys, [1.0] * len(absent_keys), list(map(len, absent))),
            table[:, list(map(at.__getitem__, countries))],
            dated,
            days[:, 0],
            days[:, 1],
            set(keys),
            set(cat_keys),
            set(absent_keys),
        )
