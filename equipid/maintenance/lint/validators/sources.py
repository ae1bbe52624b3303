"""Malformed sources."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from equipid.errors import Location
from equipid.maintenance.lint.base import Issue, Severity, Validator
from equipid.maintenance.lint.sources import source_problem


class SourceValidator(Validator):
    """Every source an http(s) address or a named publication."""

    code = "malformed-source"
    severity = Severity.ERROR
    description = "a source is neither an http(s) address nor a named publication"

    def validate(self, kind: str, rec: Any) -> list[Issue]:
        """Check each source of any record."""
        return self._check(f"{kind}[{rec.id}]", getattr(rec, "sources", None) or (), lambda *sub: self.ctx.at(kind, rec.id, *sub))

    def validate_raw(self, kind: str, label: str, raw: dict[str, Any], at: Callable[..., Location]) -> list[Issue]:
        """The same check on the sources of a record the schema refused for any reason."""
        sources = raw.get("sources")
        return self._check(label, sources if isinstance(sources, list) else (), at, raw=True)

    def _check(self, label: str, sources: Sequence[Any], at: Callable[..., Location], raw: bool = False) -> list[Issue]:
        out = []
        for i, src in enumerate(sources):
            url = src.get("url") if isinstance(src, dict) else getattr(src, "url", None)
            if raw and not (isinstance(src, str) and src.strip() or isinstance(url, str) and url.strip()):
                continue  # NOTE: blank sources and other shapes are schema errors already; say it once
            why = source_problem(src)
            if why:
                sub: tuple[Any, ...] = ("sources", i) if isinstance(src, str) else ("sources", i, "url")
                out.append(self.issue(at(*sub), f"{label}.sources[{i}]", f"{why}: {src if isinstance(src, str) else url!r}"))
        return out
