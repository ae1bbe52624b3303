"""Indicator conditions that can never match."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from equipid import dates
from equipid.errors import Location
from equipid.maintenance.lint.base import Issue, LintContext, Severity, Validator, dotted, flatten_all


class ConditionValidator(Validator):
    """Conditions that can never fire: unknown items, contradictions."""

    code = "never-matches"
    severity = Severity.ERROR
    description = "an indicator's condition names an unknown item or contradicts itself"

    def __init__(self, ctx: LintContext) -> None:
        super().__init__(ctx)
        self.categories = {e.category.value for e in ctx.cat.equipment}

    def validate(self, kind: str, rec: Any) -> list[Issue]:
        """Walk the condition tree with its path, for exact positions."""
        if kind != "indicators":
            return []
        return list(self._walk(rec.id, rec.when, ("when",)))

    def _walk(self, rid: str, cond: Any, path: tuple[Any, ...]) -> Iterator[Issue]:
        if not isinstance(cond, dict) or len(cond) != 1:
            return
        ((k, v),) = cond.items()
        here = (*path, k)
        fld = f"indicators[{rid}]." + dotted(here)
        loc = self.ctx.at("indicators", rid, *here)
        if k in ("item", "absent") and v not in self.ctx.items:
            yield self.issue(loc, fld, f"unknown item {v!r}; the condition can never match")
        elif k == "role" and isinstance(v, dict) and v.get("item") not in self.ctx.items:
            yield self.issue(self.ctx.at("indicators", rid, *here, "item"), f"{fld}.item",
                             f"unknown item {v.get('item')!r}; the condition can never match")
        elif k == "attribute":
            for part in ("item", "with"):
                if v[part] not in self.ctx.items:
                    yield self.issue(self.ctx.at("indicators", rid, *here, part), f"{fld}.{part}",
                                     f"unknown item {v[part]!r}; the condition can never match")
        elif k == "category" and v not in self.categories:
            yield self.issue(loc, fld, f"no item has category {v!r} yet; the condition cannot match",
                             severity=Severity.WARNING)
        elif k in ("all", "any"):
            for i, s in enumerate(v):
                yield from self._walk(rid, s, (*here, i))
            if k == "all":
                yield from self._contradictions(rid, v, here, fld, loc)
        elif k == "n_of":
            for i, s in enumerate(v["of"]):
                yield from self._walk(rid, s, (*here, "of", i))
        elif k == "not":
            yield from self._walk(rid, v, here)

    def _contradictions(self, rid: str, subs: list[Any], here: tuple[Any, ...], fld: str, loc: Location) -> Iterator[Issue]:
        flat = flatten_all(subs)
        lo: tuple[int, str] | None = None
        hi: tuple[int, str] | None = None
        countries: set[str] | None = None
        seen: set[str] = set()
        negated: set[str] = set()
        absent: set[str] = set()
        for c in flat:
            ((k, v),) = c.items()
            if k == "date":
                try:
                    if v.get("from") is not None:
                        first = dates.parse_partial(v["from"])[0]
                        if lo is None or first > lo[0]:
                            lo = (first, str(v["from"]))
                    if v.get("until") is not None:
                        last = dates.parse_partial(v["until"])[1]
                        if hi is None or last < hi[0]:
                            hi = (last, str(v["until"]))
                except ValueError:
                    continue
            elif k == "country":
                countries = set(v) if countries is None else countries & set(v)
            elif k == "item":
                seen.add(v)
            elif k == "absent":
                absent.add(v)
            elif k == "not" and isinstance(v, dict) and list(v) == ["item"]:
                negated.add(v["item"])
        if lo is not None and hi is not None and lo[0] > hi[0]:
            yield self.issue(loc, fld, f"contradictory dates: from {lo[1]} and until {hi[1]} cannot both hold")
        if countries is not None and not countries:
            yield self.issue(loc, fld, "contradictory countries: no country is in every list")
        for iid in sorted(seen & negated):
            yield self.issue(loc, fld, f"requires item {iid!r} and its absence from the sighting")
        for iid in sorted(seen & absent):
            yield self.issue(loc, fld, f"requires item {iid!r} both seen and reported absent")
