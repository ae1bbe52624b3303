"""Indicator conditions that can never match."""

from __future__ import annotations

from typing import Any

from equipid.catalog.conditions import REGISTRY
from equipid.catalog.conditions.base import Known
from equipid.maintenance.lint.base import Issue, LintContext, Severity, Validator, dotted


class ConditionValidator(Validator):
    """Conditions that can never fire: unknown items, contradictions (each condition kind says what, see equipid.catalog.conditions)."""

    code = "never-matches"
    severity = Severity.ERROR
    description = "an indicator's condition names an unknown item or contradicts itself"

    def __init__(self, ctx: LintContext) -> None:
        super().__init__(ctx)
        self.known = Known(ctx.items, {e.category.value for e in ctx.cat.equipment})

    def validate(self, kind: str, rec: Any) -> list[Issue]:
        """Walk the condition tree with its path, for exact positions."""
        if kind != "indicators":
            return []
        out = []
        for f in REGISTRY.lint(rec.when, ("when",), self.known):
            out.append(self.issue(self.ctx.at("indicators", rec.id, *f.path), f"indicators[{rec.id}]." + dotted(f.path), f.message,
                                  severity=Severity.WARNING if f.warning else None))
        return out
