"""``item: ID``: the item, or a variant of it, was seen; as confident as its sighting."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from equipid.catalog.compiled import Cond
from equipid.catalog.conditions.base import SEEN_ROW, Context, Facts, Holds, OneItem, Registry

if TYPE_CHECKING:
    import numpy as np

    from equipid.catalog.conditions.program import Env, Program


class Item(OneItem):
    """An item seen (its family parents are seen with it)."""

    key = "item"
    example = "ak-74m"

    def required_item(self, v: Any) -> str | None:
        """The item."""
        return v if isinstance(v, str) else None

    def facts(self, v: Any, into: Facts, r: Registry) -> None:
        """The item must be seen."""
        into.seen.add(v)

    def triggers(self, c: Cond, r: Registry) -> set[str] | None:
        """The item."""
        return {c[1]}

    def positive_items(self, c: Cond, r: Registry) -> list[str]:
        """The item."""
        return [c[1]]

    def need_groups(self, c: Cond, r: Registry) -> list[tuple[str, ...]]:
        """The item."""
        return [(c[1],)]

    def lone_item(self, c: Cond) -> str | None:
        """The item: the condition is its confidence."""
        return c[1]

    def simple(self, c: Cond, r: Registry) -> bool:
        """Yes."""
        return True

    def sure(self, c: Cond, r: Registry) -> bool:
        """Yes: it holds once the item is present."""
        return True

    def item_only(self, c: Cond, r: Registry) -> bool:
        """Yes."""
        return True

    def evaluate(self, c: Cond, ctx: Context, r: Registry) -> float:
        """The item's confidence."""
        return ctx.seen.get(c[1], 0.0)

    def could_hold(self, c: Cond, r: Registry) -> Holds:
        """Seen, or supposed seen."""
        key = c[1]
        return lambda x, seen, cats, pairs: x.seen.get(key, 0.0) > 0.0 or key in seen

    def node(self, c: Cond, prog: Program) -> tuple[Any, ...]:
        """A row of the seen array."""
        return (SEEN_ROW, prog.row(prog.items, c[1]))

    def value(self, node: tuple[Any, ...], env: Env, memo: list[np.ndarray | None], prog: Program) -> np.ndarray:
        """The row."""
        return env.seen[node[1]]


KIND = Item()
