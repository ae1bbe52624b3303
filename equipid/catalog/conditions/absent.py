"""``absent: ID``: the observer looked for the item and reports it not there."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from equipid.catalog.compiled import Cond
from equipid.catalog.conditions.base import ABSENT_TRIGGER, Context, Facts, OneItem, Registry

if TYPE_CHECKING:
    import numpy as np

    from equipid.catalog.conditions.program import Env, Program


class Absent(OneItem):
    """An item reported absent (its variants with it)."""

    key = "absent"
    example = "mib"

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
