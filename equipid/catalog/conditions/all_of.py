"""``all: [conditions]``: every part holds; as confident as the least sure part (at most 1)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from equipid.catalog.compiled import Cond
from equipid.catalog.conditions.base import (
    Combination,
    Context,
    Facts,
    Finding,
    Holds,
    Known,
    Registry,
    SchemaParts,
    check_parts,
    places_and_days_of_parts,
)

if TYPE_CHECKING:
    import numpy as np

    from equipid.catalog.conditions.program import Env, Program


class AllOf(Combination):
    """A conjunction."""

    key = "all"
    example = [{"item": "mib"}, {"country": ["SY"]}]

    def check(self, v: Any, where: str, r: Registry) -> None:
        """A non-empty list of conditions."""
        check_parts(v, where, r)

    def compile(self, v: Any, r: Registry) -> Cond:
        """``("all", (parts...))``."""
        return ("all", tuple(r.compile(s) for s in v))

    def describe(self, v: Any, r: Registry) -> str:
        """``all(part, part)``."""
        return f"all({', '.join(r.describe(s) for s in v)})"

    def schema(self, parts: SchemaParts) -> dict[str, Any]:
        """A non-empty list of conditions."""
        return {"type": "array", "minItems": 1, "items": parts.ref}

    def lint(self, v: Any, path: tuple[Any, ...], known: Known, r: Registry) -> Iterator[Finding]:
        """The parts' findings, then parts that contradict each other (nested ``all`` lists taken as one)."""
        yield from super().lint(v, path, known, r)
        f = Facts()
        self.facts(v, f, r)
        if f.lo is not None and f.hi is not None and f.lo[0] > f.hi[0]:
            yield Finding(path, f"contradictory dates: from {f.lo[1]} and until {f.hi[1]} cannot both hold")
        if f.countries is not None and not f.countries:
            yield Finding(path, "contradictory countries: no country is in every list")
        for iid in sorted(f.seen & f.negated):
            yield Finding(path, f"requires item {iid!r} and its absence from the sighting")
        for iid in sorted(f.seen & f.absent):
            yield Finding(path, f"requires item {iid!r} both seen and reported absent")

    def facts(self, v: Any, into: Facts, r: Registry) -> None:
        """Those of every part."""
        if isinstance(v, list):
            for s in v:
                r.facts(s, into)

    def parts(self, c: Cond) -> tuple[Cond, ...]:
        """The parts."""
        return c[1]

    def triggers(self, c: Cond, r: Registry) -> set[str] | None:
        """Those of the part with the fewest."""
        best: set[str] | None = None
        for s in c[1]:
            t = r.triggers(s)
            if t is not None and (best is None or len(t) < len(best)):
                best = t
        return best

    def need_groups(self, c: Cond, r: Registry) -> list[tuple[str, ...]]:
        """Every group of every part."""
        return [g for s in c[1] for g in r.need_groups(s)]

    def sure(self, c: Cond, r: Registry) -> bool:
        """When every part is."""
        return all(r.sure(s) for s in c[1])

    def where_when(self, c: Cond, r: Registry) -> bool:
        """When every part is."""
        return all(r.where_when(s) for s in c[1])

    def cacheable(self, c: Cond, r: Registry) -> bool:
        """An ``all`` of present items plus date and country ranges: once its items are present, only those decide."""
        return all(r.where_when(s) or (r.simple(s) and r.sure(s)) for s in c[1])

    def kit_rule(self, c: Cond, r: Registry) -> bool:
        """One item-only part, the others on country and date only."""
        return sum(map(r.item_only, c[1])) == 1 and all(r.item_only(s) or r.where_when(s) for s in c[1])

    def holds_at(self, c: Cond, country: str, day: int, r: Registry) -> bool:
        """When every part does."""
        return all(r.holds_at(s, country, day) for s in c[1])

    def places_and_days(self, c: Cond, r: Registry) -> tuple[set[str], set[int]]:
        """Those of the parts."""
        return places_and_days_of_parts(c[1], r)

    def evaluate(self, c: Cond, ctx: Context, r: Registry) -> float:
        """The least of the parts (0.0 as soon as one is), at most 1."""
        lo = 1.0
        for s in c[1]:
            v = r.evaluate(s, ctx)
            if v <= 0.0:
                return 0.0
            lo = min(lo, v)
        return lo

    def could_hold(self, c: Cond, r: Registry) -> Holds:
        """When every part could."""
        subs = [r.could_hold(s) for s in c[1]]

        def _all(x: Context, seen: frozenset[str], cats: frozenset[str], pairs: frozenset[tuple[str, str]]) -> bool:
            for f in subs:
                if not f(x, seen, cats, pairs):
                    return False
            return True

        return _all

    def node(self, c: Cond, prog: Program) -> tuple[Any, ...]:
        """The parts' nodes, and the rows of the seen array where every part is one."""
        # NOTE: an all of items alone (the commonest) is one gather and one reduction.
        subs = tuple(prog.node(s) for s in c[1])
        return ("all", subs, prog.seen_rows(subs))

    def value(self, node: tuple[Any, ...], env: Env, memo: list[np.ndarray | None], prog: Program) -> np.ndarray:
        """The minimum, capped at 1."""
        import numpy as np

        # Every part is >= 0, so the min is 0 as soon as one part is; evaluate also caps at 1.
        if node[2] is not None:
            v = env.seen[node[2]].min(axis=0)
            np.minimum(v, 1.0, out=v)
        else:
            v = np.minimum(prog.value(node[1][0], env, memo), 1.0)
            for s in node[1][1:]:
                np.minimum(v, prog.value(s, env, memo), out=v)
        return v


KIND = AllOf()
