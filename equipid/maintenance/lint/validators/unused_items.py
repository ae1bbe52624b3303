"""Items no indicator weighs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from equipid.catalog.conditions import REGISTRY
from equipid.catalog.loader import Catalog
from equipid.maintenance.lint.base import Issue, Severity, Validator


class UnusedItemValidator(Validator):
    """Items that no indicator names: recognised but never weighed."""

    code = "unused-item"
    severity = Severity.INFO
    description = "no indicator mentions the item or a family parent of it"

    def finalize(self) -> list[Issue]:
        """List the items outside every indicator's condition."""
        mentioned = mentioned_items(self.ctx.cat)
        parent = {e.id: e.variant_of for e in self.ctx.cat.equipment}
        out = []
        for e in self.ctx.cat.equipment:
            if not _family(e.id, parent) & mentioned:
                out.append(self.issue(self.ctx.at("equipment", e.id), f"equipment[{e.id}]",
                                      "no indicator mentions this item or a family parent; it is recognised but never scored"))
        return out


def _family(iid: str, parent: dict[str, str | None]) -> set[str]:
    chain = {iid}
    node = parent.get(iid)
    while node is not None and node not in chain:
        chain.add(node)
        node = parent.get(node)
    return chain


def condition_items(cond: Any) -> Iterator[str]:
    """Every item id a condition names (positive, negated or absent)."""
    return REGISTRY.mentions(cond)


def mentioned_items(cat: Catalog) -> set[str]:
    """Ids of the items some indicator's condition, or a counts table's row, names."""
    return {i for ind in cat.indicators for i in condition_items(ind.when)} | {r["item"] for ct in cat.counts for r in ct.rows}


def items_without_indicators(cat: Catalog) -> list[str]:
    """Ids of the items that neither themselves nor a family parent appear in any indicator."""
    mentioned = mentioned_items(cat)
    parent = {e.id: e.variant_of for e in cat.equipment}
    return [e.id for e in cat.equipment if not _family(e.id, parent) & mentioned]
