"""The lint checks, one module each, and the registry that names them by code.

A new check is a module here with one :class:`~equipid.maintenance.lint.base.Validator`
subclass, listed in :data:`MODULES`. ``equipid catalog lint --list`` prints every
code with its severity and description; docs/lint.md is generated from the same
registry.
"""

from __future__ import annotations

import importlib

from equipid.maintenance.lint.base import Validator

#: The validator modules, in the order their issues are reported for one record.
MODULES = (
    "invisible",
    "alias_clash",
    "name_context",
    "references",
    "cycles",
    "conditions",
    "unheard_of",
    "sources",
    "unclaimed_sources",
    "unused_items",
    "contract",
    "test_sightings",
)


def _load() -> dict[str, type[Validator]]:
    out: dict[str, type[Validator]] = {}
    for name in MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        found = [v for v in vars(module).values()
                 if isinstance(v, type) and issubclass(v, Validator) and v is not Validator and v.__module__ == module.__name__]
        if len(found) != 1:
            raise RuntimeError(f"{module.__name__} must define exactly one validator, found {len(found)}")
        out[found[0].code] = found[0]
    return out


VALIDATORS: dict[str, type[Validator]] = _load()
"""Every lint validator by its code (issue codes of variants share the validator)."""
