"""``date: {from: DATE, until: DATE}``: the sighting's date lies wholly within the range (either end may be open)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from equipid import dates
from equipid.catalog.compiled import Cond
from equipid.catalog.conditions.base import ConditionKind, Context, Facts, Registry, Reorder, SchemaParts

if TYPE_CHECKING:
    import numpy as np

    from equipid.catalog.conditions.program import Env, Program

#: The keys in canonical order.
ORDER = ("from", "until")


class Date(ConditionKind):
    """A date range."""

    key = "date"
    example = {"from": 2015, "until": "2017-06"}

    def check(self, v: Any, where: str, r: Registry) -> None:
        """A mapping with from and/or until, a valid range."""
        from equipid.catalog.ranges import DateRange  # NOTE: pydantic, for catalog validation only

        if not isinstance(v, dict) or not v or set(v) - set(ORDER):
            raise ValueError(f"{where}: a mapping with from and/or until")
        DateRange.model_validate(v)

    def compile(self, v: Any, r: Registry) -> Cond:
        """``("date", first day or None, last day or None)``."""
        first = dates.parse_partial(v["from"])[0] if v.get("from") is not None else None
        last = dates.parse_partial(v["until"])[1] if v.get("until") is not None else None
        return ("date", first, last)

    def describe(self, v: Any, r: Registry) -> str:
        """``date from X until Y``."""
        return "date " + " ".join(f"{p} {v[p]}" for p in ORDER if v.get(p) is not None)

    def schema(self, parts: SchemaParts) -> dict[str, Any]:
        """The mapping."""
        return {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": False,
            "properties": {"from": parts.date, "until": parts.date},
        }

    def facts(self, v: Any, into: Facts, r: Registry) -> None:
        """The range narrows the sighting's dates."""
        try:
            if v.get("from") is not None:
                first = dates.parse_partial(v["from"])[0]
                if into.lo is None or first > into.lo[0]:
                    into.lo = (first, str(v["from"]))
            if v.get("until") is not None:
                last = dates.parse_partial(v["until"])[1]
                if into.hi is None or last < into.hi[0]:
                    into.hi = (last, str(v["until"]))
        except ValueError:
            return

    def tidy(self, v: Any, reorder: Reorder, r: Registry) -> None:
        """from, until."""
        reorder(v, ORDER)

    def where_when(self, c: Cond, r: Registry) -> bool:
        """Yes."""
        return True

    def holds_at(self, c: Cond, country: str, day: int, r: Registry) -> bool:
        """When the day is in the range."""
        return (c[1] is None or day >= c[1]) and (c[2] is None or day <= c[2])

    def places_and_days(self, c: Cond, r: Registry) -> tuple[set[str], set[int]]:
        """The ends."""
        return set(), {d for d in c[1:] if d is not None}

    def evaluate(self, c: Cond, ctx: Context, r: Registry) -> float:
        """1.0 when the sighting is dated and its dates lie within the range."""
        if ctx.date is None:
            return 0.0
        first, last = c[1], c[2]
        return 1.0 if (first is None or ctx.date[0] >= first) and (last is None or ctx.date[1] <= last) else 0.0

    def node(self, c: Cond, prog: Program) -> tuple[Any, ...]:
        """The condition itself."""
        return c

    def value(self, node: tuple[Any, ...], env: Env, memo: list[np.ndarray | None], prog: Program) -> np.ndarray:
        """1.0 where dated within the range."""
        import numpy as np

        lo, hi = node[1], node[2]
        ok = env.dated.copy()
        if lo is not None:
            ok &= env.first >= lo
        if hi is not None:
            ok &= env.last <= hi
        return ok.astype(np.float64)


KIND = Date()
