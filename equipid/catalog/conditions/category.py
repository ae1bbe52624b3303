"""``category: CATEGORY``: some item of the category was seen; as confident as the surest of them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from equipid.catalog.compiled import Cond
from equipid.catalog.conditions.base import CATEGORY_TRIGGER, ConditionKind, Context, Finding, Holds, Known, Registry, SchemaParts
from equipid.catalog.values import Category as Categories

if TYPE_CHECKING:
    import numpy as np

    from equipid.catalog.conditions.program import Env, Program


class Category(ConditionKind):
    """An item of a category seen."""

    key = "category"
    example = "sniper-rifle"

    def check(self, v: Any, where: str, r: Registry) -> None:
        """One of the equipment categories."""
        if v not in {c.value for c in Categories}:
            raise ValueError(f"{where}: unknown category {v!r}")

    def compile(self, v: Any, r: Registry) -> Cond:
        """``("category", CATEGORY)``."""
        return ("category", v)

    def describe(self, v: Any, r: Registry) -> str:
        """``category CATEGORY``."""
        return f"category {v}"

    def schema(self, parts: SchemaParts) -> dict[str, Any]:
        """The categories."""
        return {"enum": [c.value for c in Categories]}

    def lint(self, v: Any, path: tuple[Any, ...], known: Known, r: Registry) -> Iterator[Finding]:
        """A category no item has yet (a warning)."""
        if v not in known.categories:
            yield Finding(path, f"no item has category {v!r} yet; the condition cannot match", warning=True)

    def triggers(self, c: Cond, r: Registry) -> set[str] | None:
        """The category."""
        return {CATEGORY_TRIGGER + c[1]}

    def simple(self, c: Cond, r: Registry) -> bool:
        """Yes."""
        return True

    def evaluate(self, c: Cond, ctx: Context, r: Registry) -> float:
        """The category's confidence."""
        return ctx.cats.get(c[1], 0.0)

    def could_hold(self, c: Cond, r: Registry) -> Holds:
        """Seen, or an item of it supposed seen."""
        cat = c[1]
        return lambda x, seen, cats, pairs: x.cats.get(cat, 0.0) > 0.0 or cat in cats

    def node(self, c: Cond, prog: Program) -> tuple[Any, ...]:
        """A row of the categories array."""
        return ("category", prog.row(prog.cats, c[1]))

    def value(self, node: tuple[Any, ...], env: Env, memo: list[np.ndarray | None], prog: Program) -> np.ndarray:
        """The row."""
        return env.cats[node[1]]


KIND = Category()
