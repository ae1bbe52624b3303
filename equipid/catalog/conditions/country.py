"""``country: [CC, ...]``: the sighting's country is one of these."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from equipid.catalog.compiled import Cond
from equipid.catalog.conditions.base import ConditionKind, Context, Facts, Registry, SchemaParts
from equipid.catalog.values import check_country

if TYPE_CHECKING:
    import numpy as np

    from equipid.catalog.conditions.program import Env, Program


class Country(ConditionKind):
    """A set of countries."""

    key = "country"
    example = ["SY", "IQ"]

    def check(self, v: Any, where: str, r: Registry) -> None:
        """A non-empty list of ISO 3166-1 alpha-2 codes."""
        if not isinstance(v, list) or not v:
            raise ValueError(f"{where}: a non-empty list of country codes")
        for cc in v:
            if not isinstance(cc, str):
                raise ValueError(f"{where}: country codes are strings")
            check_country(cc)

    def compile(self, v: Any, r: Registry) -> Cond:
        """``("country", frozenset)``."""
        return ("country", frozenset(v))

    def describe(self, v: Any, r: Registry) -> str:
        """``country SY/IQ``."""
        return "country " + "/".join(v)

    def schema(self, parts: SchemaParts) -> dict[str, Any]:
        """A non-empty list of codes."""
        return {"type": "array", "minItems": 1, "items": parts.country}

    def facts(self, v: Any, into: Facts, r: Registry) -> None:
        """The list narrows the sighting's countries."""
        into.countries = set(v) if into.countries is None else into.countries & set(v)

    def where_when(self, c: Cond, r: Registry) -> bool:
        """Yes."""
        return True

    def holds_at(self, c: Cond, country: str, day: int, r: Registry) -> bool:
        """When the country is in the list."""
        return country in c[1]

    def places_and_days(self, c: Cond, r: Registry) -> tuple[set[str], set[int]]:
        """The countries."""
        return set(c[1]), set()

    def evaluate(self, c: Cond, ctx: Context, r: Registry) -> float:
        """1.0 when the sighting's country is in the list."""
        return 1.0 if ctx.country is not None and ctx.country in c[1] else 0.0

    def node(self, c: Cond, prog: Program) -> tuple[Any, ...]:
        """A row of the country array."""
        return ("country", prog.row(prog.countries, c[1]))

    def value(self, node: tuple[Any, ...], env: Env, memo: list[np.ndarray | None], prog: Program) -> np.ndarray:
        """The row."""
        return env.country[node[1]]


KIND = Country()
