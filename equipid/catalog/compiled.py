"""The compiled catalog: plain Python data the hot paths read.

Built once from the validated catalog by :mod:`equipid.catalog.compiler`, pickled to
the user cache keyed by the catalog's content hash, and loaded without
importing pydantic. Nothing here may reference a pydantic model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Bump when the compiled layout changes: older caches are then rebuilt.
FORMAT_VERSION = 24

Cond = tuple[Any, ...]


@dataclass
class Compiled:
    """Arrays, indexes and display records for one catalog state."""

    digest: str
    leaves: list[str]
    paths: list[tuple[str, ...]]
    """Root-to-leaf id path of each leaf."""
    groups: list[str]
    """Parent affiliations, in catalog order."""
    group_leaves: dict[str, list[int]]
    aff_names: dict[str, str]
    opposed: list[tuple[int, int]]
    """Pairs of leaf columns (i < j) whose forces fight each other (affiliations' ``opposes``)."""
    items: dict[str, dict[str, Any]]
    """Display record of each equipment item, as written in the catalog."""
    ancestors: dict[str, tuple[str, ...]]
    """Item id -> itself followed by its variant_of chain."""
    children: dict[str, list[str]]
    category: dict[str, str]
    in_service: dict[str, tuple[int | None, int | None]]
    alias_keys: dict[str, tuple[str, ...]]
    """Folded, space-free key -> the item ids it names."""
    patterns: list[tuple[str, str]]
    """(scan pattern, item id) for the text automaton."""
    indicators: list[dict[str, Any]]
    """Display record of each indicator."""
    ind_cond: list[Cond]
    ind_logp: list[list[float]]
    """log10 P(evidence | leaf), one row per indicator."""
    ind_p: list[list[float]]
    ind_supersedes: list[tuple[int, ...]]
    ind_items: list[tuple[str, ...]]
    """Items an indicator needs present, for 'look for next'."""
    ind_triggers: dict[str, list[int]]
    ind_always: list[int]
    item_indicators: dict[str, list[int]]
    priors: list[tuple[str, frozenset[str] | None, int | None, int | None, list[float]]]
    """(id, countries, first day, last day, normalised weights per leaf)."""
    tests: list[dict[str, Any]] = field(default_factory=list)
    place_keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Folded place-name key -> the countries it names."""
    place_patterns: list[tuple[str, str]] = field(default_factory=list)
    """(scan pattern, country) for finding place names inside a location text."""
    place_coords: dict[str, tuple[float, float, str]] = field(default_factory=dict)
    """Folded place-name key -> (lat, lon, the place's name), for the places the catalog gives coordinates."""
    place_held: list[tuple[str, tuple[tuple[str, int, int | None], ...]]] = field(default_factory=list)
    """(scan pattern, ((area item, first day, last day or None), ...)): who held a place when (places ``held``)."""
    ind_no_suggest: frozenset[int] = frozenset()
    """Indicators never offered as "look for next" (the rows of counts tables)."""
    generic: frozenset[str] = frozenset()
    """Items that name a kind without its type (equipment ``generic: true``)."""
    exact_only: frozenset[str] = frozenset()
    """Alias keys generated from units' numbers, garrisons and ordinals: looked up exactly, never guessed at
    (a unit number or a town one letter off is another unit or another town)."""
    prior_places: dict[str, frozenset[str]] = field(default_factory=dict)
    """Prior id -> the places it is scoped to (priors ``places``); priors not named here apply country-wide."""
    place_regions: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    """(scan pattern of a place's name, the scoped places it is or lies within): read from a sighting's location."""
    ordinal_garrison: list[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]]] = field(default_factory=list)
    """(scan pattern of a formation's ordinal and kind, ((unit, scan patterns of its garrison towns), ...)): the
    units a bare ordinal may name, each decided by its town being named in the same sighting."""
    version: int = FORMAT_VERSION

    def leaf_index(self) -> dict[str, int]:
        """Leaf id -> column."""
        return {a: i for i, a in enumerate(self.leaves)}

    def descendants(self, item: str) -> list[str]:
        """Every variant below ``item``, depth first."""
        out: list[str] = []
        stack = list(reversed(self.children.get(item, [])))
        while stack:
            c = stack.pop()
            out.append(c)
            stack.extend(reversed(self.children.get(c, [])))
        return out
