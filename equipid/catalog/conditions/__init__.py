"""The condition kinds of indicators: one module per kind, and the registry of them.

:data:`REGISTRY` is the one place that lists the kinds; everything that
reads, checks, compiles, evaluates, lints, formats, exports or describes a
condition goes through it (see :mod:`equipid.catalog.conditions.base` for
what a kind supplies). A new kind is a new module here and one line below;
docs/catalog-format.md ("Adding a condition kind") says how.
"""

from __future__ import annotations

from equipid.catalog.conditions import absent, all_of, any_of, attribute, category, country, date, item, n_of, negation, role
from equipid.catalog.conditions.base import ConditionKind, Context, Registry

#: Every condition kind, in the order the schema and the docs list them.
REGISTRY = Registry((
    item.KIND,
    absent.KIND,
    category.KIND,
    attribute.KIND,
    role.KIND,
    all_of.KIND,
    any_of.KIND,
    n_of.KIND,
    negation.KIND,
    date.KIND,
    country.KIND,
))

__all__ = ["REGISTRY", "ConditionKind", "Context", "Registry"]
