"""``attribute: {item: ID, with: ID}``: the item was seen with the other as its attribute (a rifle with a suppressor)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from equipid.catalog.compiled import Cond
from equipid.catalog.conditions.base import ConditionKind, Context, Finding, Holds, Known, Registry, Reorder, SchemaParts, unknown_item
from equipid.catalog.values import check_slug

if TYPE_CHECKING:
    import numpy as np

    from equipid.catalog.conditions.program import Env, Program

#: The keys in canonical order.
ORDER = ("item", "with")


class Attribute(ConditionKind):
    """An item seen with an attribute."""

    key = "attribute"
    example = {"item": "ak-74m", "with": "suppressor"}

    def check(self, v: Any, where: str, r: Registry) -> None:
        """A mapping {item: ID, with: ID}."""
        if not isinstance(v, dict) or set(v) != set(ORDER):
            raise ValueError(f"{where}: a mapping {{item: ID, with: ID}}")
        check_slug(v["item"])
        check_slug(v["with"])

    def compile(self, v: Any, r: Registry) -> Cond:
        """``("attribute", ID, WITH)``."""
        return ("attribute", v["item"], v["with"])

    def describe(self, v: Any, r: Registry) -> str:
        """``ID with WITH``."""
        return f"{v['item']} with {v['with']}"

    def schema(self, parts: SchemaParts) -> dict[str, Any]:
        """The mapping."""
        return {
            "type": "object",
            "required": list(ORDER),
            "additionalProperties": False,
            "properties": {"item": parts.item, "with": parts.item},
        }

    def mentions(self, v: Any, r: Registry) -> Iterator[str]:
        """The item and its attribute."""
        if isinstance(v, dict):
            yield from (x for x in (v.get("item"), v.get("with")) if isinstance(x, str))

    def lint(self, v: Any, path: tuple[Any, ...], known: Known, r: Registry) -> Iterator[Finding]:
        """An unknown item or attribute."""
        for part in ORDER:
            if v[part] not in known.items:
                yield unknown_item((*path, part), v[part])

    def tidy(self, v: Any, reorder: Reorder, r: Registry) -> None:
        """item, with."""
        reorder(v, ORDER)

    def triggers(self, c: Cond, r: Registry) -> set[str] | None:
        """The item (the attribute is seen on it)."""
        return {c[1]}

    def positive_items(self, c: Cond, r: Registry) -> list[str]:
        """Both."""
        return [c[1], c[2]]

    def need_groups(self, c: Cond, r: Registry) -> list[tuple[str, ...]]:
        """Both."""
        return [(c[1],), (c[2],)]

    def evaluate(self, c: Cond, ctx: Context, r: Registry) -> float:
        """The pair's confidence."""
        return ctx.pairs.get((c[1], c[2]), 0.0)

    def could_hold(self, c: Cond, r: Registry) -> Holds:
        """Seen, or supposed seen."""
        pair = (c[1], c[2])
        return lambda x, seen, cats, pairs: x.pairs.get(pair, 0.0) > 0.0 or pair in pairs

    def node(self, c: Cond, prog: Program) -> tuple[Any, ...]:
        """A row of the pairs array."""
        return ("attribute", prog.row(prog.pairs, (c[1], c[2])))

    def value(self, node: tuple[Any, ...], env: Env, memo: list[np.ndarray | None], prog: Program) -> np.ndarray:
        """The row."""
        return env.pairs[node[1]]


KIND = Attribute()
