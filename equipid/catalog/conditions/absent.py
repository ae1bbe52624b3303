"""``absent: ID``: the observer looked for the item and reports it not there."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from equipid.catalog.compiled import Cond
from equipid.catalog.conditions.base import ABSENT_TRIGGER, ConditionKind, Context, Facts, Finding, Known, Registry, SchemaParts, unknown_item
from equipid.catalog.values import check_slug

if TYPE_CHECKING:
    import numpy as np

    from equipid.catalog.conditions.program import Env, Program


class Absent(ConditionKind):
    """An item reported absent (its variants with it)."""

    key = "absent"
    example = "mib"

    def check(self, v: Any, where: str, r: Registry) -> None:
        """An item id."""
        if not isinstance(v, str):
            raise ValueError(f"{where}: an item id")
        check_slug(v)

    def compile(self, v: Any, r: Registry) -> Cond:
        """``("absent", ID)``."""
        return ("absent", v)

    def describe(self, v: Any, r: Registry) -> str:
        """``absent ID``."""
        return f"absent {v}"

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

    def facts(self, v: Any, into: Facts, r: Registry) -> None:
        """The item must be reported absent."""
        into.absent.add(v)

    def triggers(self, c: Cond, r: Registry) -> set[str] | None:
        """The item reported absent."""
        return {ABSENT_TRIGGER + c[1]}

    def evaluate(self, c: Cond, ctx: Context, r: Registry) -> float:
        """1.0 where the item is reported absent."""
        return 1.0 if c[1] in ctx.absent else 0.0

    def node(self, c: Cond, prog: Program) -> tuple[Any, ...]:
        """A row of the absent array."""
        return ("absent", prog.row(prog.absent, c[1]))

    def value(self, node: tuple[Any, ...], env: Env, memo: list[np.ndarray | None], prog: Program) -> np.ndarray:
        """The row."""
        return env.absent[node[1]]


KIND = Absent()
