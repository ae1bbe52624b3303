"""``n_of: {n: N, of: [conditions]}``: at least N parts hold; as confident as the N-th surest."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from equipid.catalog.compiled import Cond
from equipid.catalog.conditions.base import (
    Combination,
    Context,
    Holds,
    Registry,
    Reorder,
    SchemaParts,
    one_group_of_alternatives,
    triggers_of_every_part,
)

if TYPE_CHECKING:
    import numpy as np

    from equipid.catalog.conditions.program import Env, Program

#: The keys in canonical order.
ORDER = ("n", "of")


class NOf(Combination):
    """A count of parts."""

    key = "n_of"
    example = {"n": 2, "of": [{"item": "mib"}, {"item": "telnyashka"}, {"item": "ak-74m"}]}
    counts_parts = True

    def check(self, v: Any, where: str, r: Registry) -> None:
        """A mapping {n: N, of: [conditions]} with at least N conditions."""
        if not isinstance(v, dict) or set(v) != set(ORDER):
            raise ValueError(f"{where}: a mapping {{n: N, of: [conditions]}}")
        if not isinstance(v["n"], int) or isinstance(v["n"], bool) or v["n"] < 1:
            raise ValueError(f"{where}.n: a whole number >= 1")
        if not isinstance(v["of"], list) or len(v["of"]) < v["n"]:
            raise ValueError(f"{where}.of: a list of at least n conditions")
        for i, s in enumerate(v["of"]):
            r.check(s, f"{where}.of[{i}]")

    def compile(self, v: Any, r: Registry) -> Cond:
        """``("n_of", N, (parts...))``."""
        return ("n_of", v["n"], tuple(r.compile(s) for s in v["of"]))

    def describe(self, v: Any, r: Registry) -> str:
        """``N of (part, part)``."""
        return f"{v['n']} of ({', '.join(r.describe(s) for s in v['of'])})"

    def schema(self, parts: SchemaParts) -> dict[str, Any]:
        """The mapping."""
        return {
            "type": "object",
            "required": list(ORDER),
            "additionalProperties": False,
            "properties": {"n": {"type": "integer", "minimum": 1}, "of": {"type": "array", "items": parts.ref}},
        }

    def listed(self, v: Any) -> Iterable[Any]:
        """The conditions under ``of``."""
        return (v.get("of") or ()) if isinstance(v, dict) else ()

    def part_path(self, path: tuple[Any, ...], i: int) -> tuple[Any, ...]:
        """Under ``of``."""
        return (*path, "of", i)

    def tidy(self, v: Any, reorder: Reorder, r: Registry) -> None:
        """n, of; the parts."""
        if isinstance(v, dict):
            reorder(v, ORDER)
        super().tidy(v, reorder, r)

    def parts(self, c: Cond) -> tuple[Cond, ...]:
        """The parts."""
        return c[2]

    def triggers(self, c: Cond, r: Registry) -> set[str] | None:
        """Those of every part; None if a part has none."""
        return triggers_of_every_part(c[2], r)

    def need_groups(self, c: Cond, r: Registry) -> list[tuple[str, ...]]:
        """One group: every item of the parts, as alternatives."""
        return one_group_of_alternatives(c[2], r)

    def sure(self, c: Cond, r: Registry) -> bool:
        """When at least N parts are."""
        return sum(1 for s in c[2] if r.sure(s)) >= c[1]

    def evaluate(self, c: Cond, ctx: Context, r: Registry) -> float:
        """The N-th greatest of the parts."""
        vals = sorted((r.evaluate(s, ctx) for s in c[2]), reverse=True)
        return vals[c[1] - 1] if len(vals) >= c[1] else 0.0

    def could_hold(self, c: Cond, r: Registry) -> Holds:
        """When at least N parts could."""
        subs = [r.could_hold(s) for s in c[2]]
        need = c[1]
        return lambda x, seen, cats, pairs: sum([1 for f in subs if f(x, seen, cats, pairs)]) >= need

    def node(self, c: Cond, prog: Program) -> tuple[Any, ...]:
        """The parts' nodes and N."""
        return ("n_of", tuple(prog.node(s) for s in c[2]), c[1])

    def value(self, node: tuple[Any, ...], env: Env, memo: list[np.ndarray | None], prog: Program) -> np.ndarray:
        """The N-th greatest."""
        import numpy as np

        subs = np.array([prog.value(s, env, memo) for s in node[1]])
        subs.sort(axis=0)
        return subs[len(node[1]) - node[2]]


KIND = NOf()
