"""Families and affiliation trees that loop."""

from __future__ import annotations

from equipid.maintenance.lint.base import Issue, Severity, Validator


class CycleValidator(Validator):
    """Loops in the affiliation tree or the variant_of families."""

    code = "cycle"
    severity = Severity.ERROR
    description = "an affiliation is its own ancestor, or an item its own variant"

    def finalize(self) -> list[Issue]:
        """Walk both parent graphs once; report each loop at its first member."""
        c = self.ctx
        out = []
        aff_parent = {a.id: a.parent for a in c.cat.affiliations}
        for cycle in _cycles(aff_parent):
            out.append(self.issue(c.at("affiliations", cycle[0], "parent"), f"affiliations[{cycle[0]}].parent",
                                  "parent cycle: " + " -> ".join([*cycle, cycle[0]])))
        item_parent = {e.id: e.variant_of for e in c.cat.equipment if e.variant_of != e.id}
        for cycle in _cycles(item_parent):
            out.append(self.issue(c.at("equipment", cycle[0], "variant_of"), f"equipment[{cycle[0]}].variant_of",
                                  "variant_of cycle: " + " -> ".join([*cycle, cycle[0]])))
        return out


def _cycles(parent: dict[str, str | None]) -> list[list[str]]:
    """Each distinct cycle of a parent map, starting at its smallest id."""
    found: dict[tuple[str, ...], list[str]] = {}
    done: set[str] = set()
    for start in parent:
        path: list[str] = []
        index: dict[str, int] = {}
        node: str | None = start
        while node is not None and node in parent and node not in done:
            if node in index:
                cyc = path[index[node]:]
                i = cyc.index(min(cyc))
                rot = cyc[i:] + cyc[:i]
                found.setdefault(tuple(rot), rot)
                break
            index[node] = len(path)
            path.append(node)
            node = parent[node]
        done.update(path)
    return list(found.values())
