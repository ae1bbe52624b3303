"""``not: condition``: the part does not hold; 1.0 then, else 0.0."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from equipid.catalog.compiled import Cond
from equipid.catalog.conditions.base import ConditionKind, Context, Facts, Finding, Holds, Known, Registry, Reorder, SchemaParts

if TYPE_CHECKING:
    import numpy as np

    from equipid.catalog.conditions.program import Env, Program


class Not(ConditionKind):
    """A negation."""

    key = "not"
    example = {"item": "mib"}

    def check(self, v: Any, where: str, r: Registry) -> None:
        """A condition."""
        r.check(v, where)

    def compile(self, v: Any, r: Registry) -> Cond:
        """``("not", part)``."""
        return ("not", r.compile(v))

    def describe(self, v: Any, r: Registry) -> str:
        """``not part``."""
        return f"not {r.describe(v)}"

    def schema(self, parts: SchemaParts) -> dict[str, Any]:
        """A condition."""
        return parts.ref

    def mentions(self, v: Any, r: Registry) -> Iterator[str]:
        """Those of the part."""
        yield from r.mentions(v)

    def lint(self, v: Any, path: tuple[Any, ...], known: Known, r: Registry) -> Iterator[Finding]:
        """The part's findings."""
        yield from r.lint(v, path, known)

    def facts(self, v: Any, into: Facts, r: Registry) -> None:
        """The item of a ``not`` of an item must not be seen."""
        iid = r.required_item(v)
        if iid is not None:
            into.negated.add(iid)

    def tidy(self, v: Any, reorder: Reorder, r: Registry) -> None:
        """The part."""
        r.tidy(v, reorder)

    def parts(self, c: Cond) -> tuple[Cond, ...]:
        """The part."""
        return (c[1],)

    def where_when(self, c: Cond, r: Registry) -> bool:
        """When the part is."""
        return r.where_when(c[1])

    def holds_at(self, c: Cond, country: str, day: int, r: Registry) -> bool:
        """When the part does not."""
        return not r.holds_at(c[1], country, day)

    def places_and_days(self, c: Cond, r: Registry) -> tuple[set[str], set[int]]:
        """Those of the part."""
        return r.places_and_days(c[1])

    def evaluate(self, c: Cond, ctx: Context, r: Registry) -> float:
        """1.0 when the part gives 0."""
        return 0.0 if r.evaluate(c[1], ctx) > 0.0 else 1.0

    def could_hold(self, c: Cond, r: Registry) -> Holds:
        """When the part could not."""
        sub = r.could_hold(c[1])
        return lambda x, seen, cats, pairs: not sub(x, seen, cats, pairs)

    def node(self, c: Cond, prog: Program) -> tuple[Any, ...]:
        """The part's node."""
        return ("not", prog.node(c[1]))

    def value(self, node: tuple[Any, ...], env: Env, memo: list[np.ndarray | None], prog: Program) -> np.ndarray:
        """1.0 where the part is 0."""
        import numpy as np

        return np.logical_not(prog.value(node[1], env, memo) > 0.0).astype(np.float64)


KIND = Not()
