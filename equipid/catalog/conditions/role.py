"""``role: {item: ID, as: ROLE}``: the item was read in a role (the target, captured, fired from...).

An item read in a role is seen under its own key, ``ROLE:ID`` (see
:func:`role_key` and ``Scorer.context``), so the condition compiles to an
``item`` condition on that key: past compiling, it is an item condition.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from equipid.catalog.compiled import Cond
from equipid.catalog.conditions.base import Facts, Finding, Known, Registry, SchemaParts, unknown_item
from equipid.catalog.conditions.item import Item
from equipid.catalog.values import check_slug

#: Roles a ``role`` condition can ask an item to have been read in (see equipid.sightings.reading).
ROLES = ("target", "captured", "fired-from", "reported-by", "place", "attacker", "opposed")


def role_key(role: str, item: str) -> str:
    """The key under which ``item`` read in ``role`` is seen (a ``role`` condition asks for it)."""
    return f"{role}:{item}"


class Role(Item):
    """An item read in a role; compiled, the item condition on its role key."""

    key = "role"
    example: ClassVar[Any] = {"item": "ak-74m", "as": "captured"}

    def check(self, v: Any, where: str, r: Registry) -> None:
        """A mapping {item: ID, as: ROLE}."""
        if not isinstance(v, dict) or set(v) != {"item", "as"}:
            raise ValueError(f"{where}: a mapping {{item: ID, as: ROLE}}")
        check_slug(v["item"])
        if v["as"] not in ROLES:
            raise ValueError(f"{where}.as: one of {', '.join(ROLES)}, not {v['as']!r}")

    def compile(self, v: Any, r: Registry) -> Cond:
        """``("item", "ROLE:ID")``."""
        return ("item", role_key(v["as"], v["item"]))

    def describe(self, v: Any, r: Registry) -> str:
        """``ID as ROLE``."""
        return f"{v['item']} as {v['as']}"

    def schema(self, parts: SchemaParts) -> dict[str, Any]:
        """The mapping."""
        return {
            "type": "object",
            "required": ["item", "as"],
            "additionalProperties": False,
            "properties": {"item": parts.item, "as": {"enum": list(ROLES)}},
        }

    def mentions(self, v: Any, r: Registry) -> Iterator[str]:
        """The item."""
        if isinstance(v, dict) and isinstance(v.get("item"), str):
            yield v["item"]

    def required_item(self, v: Any) -> str | None:
        """None: the item in a role is not the item seen."""
        return None

    def lint(self, v: Any, path: tuple[Any, ...], known: Known, r: Registry) -> Iterator[Finding]:
        """An unknown item."""
        if isinstance(v, dict) and v.get("item") not in known.items:
            yield unknown_item((*path, "item"), v.get("item"))

    def facts(self, v: Any, into: Facts, r: Registry) -> None:
        """Nothing lint compares."""


KIND = Role()
