"""An alias claimed by two records."""

from __future__ import annotations

from typing import Any

from equipid.errors import Location
from equipid.maintenance.lint.base import Issue, LintContext, Severity, Validator, field_name
from equipid.normalize import key

#: Unit numbers are collected beside the aliases under this prefix (no alias key has a colon).
_UNIT_NUMBER = "unit-number:"


class AliasClashValidator(Validator):
    """One normalised name claimed by two items (ambiguous lookups)."""

    code = "alias-clash"
    severity = Severity.ERROR
    description = "one alias after normalisation, or one unit number, is claimed by two items"
    variants = {"empty-alias": (Severity.WARNING, "an alias is empty once case, punctuation and separators are folded")}

    def __init__(self, ctx: LintContext) -> None:
        super().__init__(ctx)
        self.claims: dict[str, list[tuple[str, str, Location]]] = {}

    def validate(self, kind: str, rec: Any) -> list[Issue]:
        """Collect the keys of the id, the name and every alias of an item."""
        if kind != "equipment":
            return []
        out: list[Issue] = []
        own: set[str] = set()
        names: list[tuple[str, tuple[Any, ...]]] = [(rec.id, ("id",)), (rec.name, ("name",))]
        names += [(a, ("aliases", i)) for i, a in enumerate(rec.aliases)]
        for text, sub in names:
            k = key(text)
            loc = self.ctx.at(kind, rec.id, *sub)
            fld = field_name(kind, rec.id, sub)
            if not k:
                out.append(self.issue(loc, fld, f"{text!r} has no letters or digits; it can never be looked up",
                                      code="empty-alias", severity=Severity.WARNING))
                continue
            if k in own:
                continue  # NOTE: repeating the item's own name in another script is allowed
            own.add(k)
            self.claims.setdefault(k, []).append((rec.id, text, loc))
        # A unit number names one unit: two units claiming it is the same clash.
        for i, n in enumerate(getattr(rec, "unit_numbers", ())):
            k = _UNIT_NUMBER + key(n)
            if k not in own:
                own.add(k)
                self.claims.setdefault(k, []).append((rec.id, n, self.ctx.at(kind, rec.id, "unit_numbers", i)))
        return out

    def finalize(self) -> list[Issue]:
        """Report every claim after the first of a shared key."""
        out = []
        for k, claims in self.claims.items():
            if len({c[0] for c in claims}) < 2:
                continue
            first_id, first_text, first_loc = claims[0]
            for rid, text, loc in claims[1:]:
                if k.startswith(_UNIT_NUMBER):
                    out.append(self.issue(loc, f"equipment[{rid}]",
                                          f"unit number {text!r} is also claimed by item {first_id!r} at {first_loc}; "
                                          "a document naming it would name two units"))
                    continue
                out.append(self.issue(loc, f"equipment[{rid}]",
                                      f"{text!r} (normalised {k!r}) is also claimed by item {first_id!r} "
                                      f"as {first_text!r} at {first_loc}; lookups of it are ambiguous"))
        return out
