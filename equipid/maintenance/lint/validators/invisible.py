"""Zero-width and bidi control characters in names and aliases."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from equipid.errors import Location
from equipid.maintenance.lint.base import NAMED, Issue, Severity, Validator
from equipid.normalize import has_invisible


class InvisibleCharacterValidator(Validator):
    """Zero-width and bidi control characters in names and aliases."""

    code = "invisible-character"
    severity = Severity.ERROR
    description = "a name or alias holds zero-width or bidi control characters"

    def validate(self, kind: str, rec: Any) -> list[Issue]:
        """Check ``name`` and every alias."""
        return self._check(kind, f"{kind}[{rec.id}]", getattr(rec, "name", None), getattr(rec, "aliases", None) or (),
                           lambda *sub: self.ctx.at(kind, rec.id, *sub))

    def validate_raw(self, kind: str, label: str, raw: dict[str, Any], at: Callable[..., Location]) -> list[Issue]:
        """The same checks on a record the schema refused."""
        aliases = raw.get("aliases")
        return self._check(kind, label, raw.get("name"), aliases if isinstance(aliases, list) else (), at)

    def _check(self, kind: str, label: str, name: Any, aliases: Sequence[Any], at: Callable[..., Location]) -> list[Issue]:
        out = []
        if kind in NAMED and isinstance(name, str) and has_invisible(name):
            out.append(self.issue(at("name"), f"{label}.name", f"{name!r} holds invisible characters; retype it"))
        for i, alias in enumerate(aliases):
            if isinstance(alias, str) and has_invisible(alias):
                out.append(self.issue(at("aliases", i), f"{label}.aliases[{i}]", f"{alias!r} holds invisible characters; retype it"))
        return out
