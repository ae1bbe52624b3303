"""``any: [conditions]``: some part holds; as confident as the surest part."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from equipid.catalog.compiled import Cond
from equipid.catalog.conditions.base import (
    Combination,
    Context,
    Holds,
    Registry,
    SchemaParts,
    check_parts,
    one_group_of_alternatives,
    places_and_days_of_parts,
    triggers_of_every_part,
)

if TYPE_CHECKING:
    import numpy as np

    from equipid.catalog.conditions.program import Env, Program


class AnyOf(Combination):
    """A disjunction."""

    key = "any"
    example = [{"item": "mib"}, {"item": "telnyashka"}]

    def check(self, v: Any, where: str, r: Registry) -> None:
        """A non-empty list of conditions."""
        check_parts(v, where, r)

    def compile(self, v: Any, r: Registry) -> Cond:
        """``("any", (parts...))``."""
        return ("any", tuple(r.compile(s) for s in v))

    def describe(self, v: Any, r: Registry) -> str:
        """``any(part, part)``."""
        return f"any({', '.join(r.describe(s) for s in v)})"

    def schema(self, parts: SchemaParts) -> dict[str, Any]:
        """A non-empty list of conditions."""
        return {"type": "array", "minItems": 1, "items": parts.ref}

    def parts(self, c: Cond) -> tuple[Cond, ...]:
        """The parts."""
        return c[1]

    def triggers(self, c: Cond, r: Registry) -> set[str] | None:
        """Those of every part; None if a part has none."""
        return triggers_of_every_part(c[1], r)

    def need_groups(self, c: Cond, r: Registry) -> list[tuple[str, ...]]:
        """One group: every item of the parts, as alternatives."""
        return one_group_of_alternatives(c[1], r)

    def sure(self, c: Cond, r: Registry) -> bool:
        """When some part is."""
        return any(r.sure(s) for s in c[1])

    def where_when(self, c: Cond, r: Registry) -> bool:
        """When every part is."""
        return all(r.where_when(s) for s in c[1])

    def item_only(self, c: Cond, r: Registry) -> bool:
        """When every part is."""
        return all(r.item_only(s) for s in c[1])

    def holds_at(self, c: Cond, country: str, day: int, r: Registry) -> bool:
        """When some part does."""
        return any(r.holds_at(s, country, day) for s in c[1])

    def places_and_days(self, c: Cond, r: Registry) -> tuple[set[str], set[int]]:
        """Those of the parts."""
        return places_and_days_of_parts(c[1], r)

    def evaluate(self, c: Cond, ctx: Context, r: Registry) -> float:
        """The greatest of the parts."""
        return max((r.evaluate(s, ctx) for s in c[1]), default=0.0)

    def could_hold(self, c: Cond, r: Registry) -> Holds:
        """When some part could."""
        subs = [r.could_hold(s) for s in c[1]]

        def _any(x: Context, seen: frozenset[str], cats: frozenset[str], pairs: frozenset[tuple[str, str]]) -> bool:
            for f in subs:
                if f(x, seen, cats, pairs):
                    return True
            return False

        return _any

    def node(self, c: Cond, prog: Program) -> tuple[Any, ...]:
        """The parts' nodes, and the rows of the seen array where every part is one."""
        subs = tuple(prog.node(s) for s in c[1])
        return ("any", subs, prog.seen_rows(subs))

    def value(self, node: tuple[Any, ...], env: Env, memo: list[np.ndarray | None], prog: Program) -> np.ndarray:
        """The maximum."""
        import numpy as np

        if node[2] is not None:
            v = env.seen[node[2]].max(axis=0)
        elif len(node[1]) == 1:
            v = prog.value(node[1][0], env, memo)
        else:
            v = np.maximum(prog.value(node[1][0], env, memo), prog.value(node[1][1], env, memo))
            for s in node[1][2:]:
                np.maximum(v, prog.value(s, env, memo), out=v)
        return v


KIND = AnyOf()
