"""Catalog tests whose sightings name what no item matches."""

from __future__ import annotations

import re
from typing import Any

from equipid import dates
from equipid.maintenance.lint.base import Issue, Severity, Validator, dotted

_FIELD_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _field_path(label: str) -> tuple[Any, ...]:
    """``observed[2].count`` as a path: ``("observed", 2, "count")``."""
    return tuple(int(m.group(2)) if m.group(2) else m.group(1) for m in _FIELD_PART.finditer(label))


class TestSightingValidator(Validator):
    """A catalog test's sighting must read as ``catalog test`` reads it, every name matched."""

    __test__ = False  # not a pytest class

    code = "test-sighting"
    severity = Severity.ERROR
    description = "a catalog test's sighting cannot be read (impossible date, bad field) or names nothing in the catalog"
    variants = {"unmatched-name": (Severity.WARNING, "a catalog test's sighting names something no item matches")}

    def finalize(self) -> list[Issue]:
        """Read every test sighting with the matcher that scoring uses."""
        from equipid.sightings.matcher import RecordError

        tests = self.ctx.cat.tests
        observer = self._observer() if tests else None
        out: list[Issue] = []
        for t in tests:
            label = f"tests[{t.id}].sighting"
            if observer is None:
                # NOTE: a catalog too broken to compile still gets its dates checked.
                try:
                    if t.sighting.get("date") not in (None, ""):
                        dates.parse_partial(t.sighting["date"])
                except ValueError as exc:
                    out.append(self.issue(self.ctx.at("tests", t.id, "sighting", "date"), f"{label}.date", str(exc)))
                continue
            try:
                obs = observer.observe(dict(t.sighting), t.id)
            except RecordError as exc:
                msg = str(exc).removeprefix(f"{exc.field}: ")
                out.append(self.issue(self.ctx.at("tests", t.id, "sighting", *_field_path(exc.field)), f"{label}.{exc.field}", msg))
                continue
            for name in dict.fromkeys(obs.unmatched):
                sub = _where_named(t.sighting, name)
                out.append(self.issue(self.ctx.at("tests", t.id, "sighting", *sub), f"{label}.{dotted(sub)}" if sub else label,
                                      f"{name!r} matches no item; the test would score without it (fix the name or add an alias)",
                                      code="unmatched-name", severity=Severity.WARNING))
        return out

    def _observer(self) -> Any:
        from equipid.catalog.compiler import compile_catalog
        from equipid.sightings.matcher import Observer

        try:
            return Observer(compile_catalog(self.ctx.cat, "lint"))
        except Exception:  # noqa: BLE001 - the catalog's own errors are reported by the other checks
            return None


def _where_named(sighting: dict[str, Any], name: str) -> tuple[Any, ...]:
    """Path of the ``observed`` or ``absent`` entry that holds ``name``, else ()."""
    for fld in ("observed", "absent"):
        entries = sighting.get(fld)
        for i, entry in enumerate(entries if isinstance(entries, list) else ()):
            texts: list[Any] = [entry] if isinstance(entry, str) else []
            if isinstance(entry, dict):
                texts = [entry.get("item"), *(entry.get("attributes") or [])]
            if any(isinstance(x, str) and name in x for x in texts):
                return (fld, i)
    return ()
