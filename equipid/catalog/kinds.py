"""The registry of catalog record kinds: the one place that lists them.

Each kind is a top-level key of a catalog file holding a list of records of
one model. Loading, lint, formatting, the schema, stats, export and ``catalog
new`` all read this table; a new kind of record is one entry here and one
model in :mod:`equipid.catalog.models` (plus, where the engine uses it, its
compilation in :mod:`equipid.catalog.compiler`).

Importing this module is cheap (no pydantic): the models load on first use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RecordKind:
    """One kind of catalog record."""

    key: str
    """The top-level key in a catalog file (``equipment``, ``indicators``...)."""
    singular: str
    """What ``equipid catalog new`` calls one record (``equipment``, ``indicator``...)."""
    model: str
    """The class name in :mod:`equipid.catalog.models`."""
    named: bool = False
    """Records carry a ``name`` (and aliases) that people search for."""
    exported: bool = True
    """Included in ``equipid catalog export``."""
    scaffold: bool = False
    """``equipid catalog new`` can write one."""

    def model_class(self) -> Any:
        """The pydantic model of one record (imports the models)."""
        from equipid.catalog import models

        return getattr(models, self.model)


KINDS: dict[str, RecordKind] = {
    k.key: k
    for k in (
        RecordKind("equipment", "equipment", "Equipment", named=True, scaffold=True),
        RecordKind("affiliations", "affiliation", "Affiliation", named=True, scaffold=True),
        RecordKind("indicators", "indicator", "Indicator", named=True, scaffold=True),
        RecordKind("priors", "prior", "Prior", named=True),
        RecordKind("tests", "test", "CatalogTest", exported=False),
        RecordKind("places", "place", "Place"),
        RecordKind("counts", "counts", "Counts", exported=False),
    )
}
"""Every record kind by its catalog key, in the order files conventionally hold them."""


def keys() -> tuple[str, ...]:
    """The catalog keys of every kind."""
    return tuple(KINDS)


def models() -> dict[str, Any]:
    """Catalog key to pydantic model, for every kind."""
    return {k: kind.model_class() for k, kind in KINDS.items()}
