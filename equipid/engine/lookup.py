"""The content of a lookup: an item and everything the catalog says of it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from equipid.catalog.compiled import Compiled
from equipid.catalog.scale import LIKELIHOOD
from equipid.sightings.matcher import Resolver

_WORD = {v: k for k, v in LIKELIHOOD.items()}


def describe(c: Compiled, item_id: str) -> dict[str, Any]:
    """Everything the catalog knows of one item, as plain data."""
    rec = dict(c.items[item_id])
    chain = c.ancestors.get(item_id, (item_id,))
    rec["family"] = {
        "variant_of": [{"id": a, "name": c.items[a]["name"]} for a in chain[1:]],
        "variants": [{"id": v, "name": c.items[v]["name"]} for v in c.descendants(item_id)],
    }
    rec["operators"] = [{"id": o, "name": c.aff_names.get(o, o)} for o in rec.get("operators", [])]
    seen: set[int] = set()
    indicates = []
    for a in chain:
        for n in c.item_indicators.get(a, []):
            if n in seen:
                continue
            seen.add(n)
            ind = c.indicators[n]
            p = c.ind_p[n]
            top = max(p)
            favours = [c.leaves[j] for j, x in enumerate(p) if x == top]
            indicates.append({
                "id": ind["id"],
                "name": ind["name"],
                "via": a if a != item_id else None,
                "favours": favours if len(favours) < len(p) else [],
                "strength": _WORD.get(top, f"{top:.2f}"),
                "rationale": ind["rationale"],
                **({"alternatives": ind["alternatives"]} if ind.get("alternatives") else {}),
            })
    rec["indicators"] = indicates
    return rec


def lookup_names(c: Compiled, names: Iterable[str]) -> list[dict[str, Any]]:
    """Resolve each name and describe what it names; say how it was found."""
    r = Resolver(c)
    out = []
    for name in names:
        res = r.resolve(name)
        entry: dict[str, Any] = {"query": name, "match": res.how}
        if res.how == "fuzzy":
            entry["score"] = round(res.score, 1)
        if res.note:
            entry["note"] = res.note
        if res.items:
            entry["items"] = [describe(c, i) for i in res.items]
        elif res.how == "ambiguous":
            entry["candidates"] = [{"id": i, "name": c.items[i]["name"]} for i in res.candidates]
        else:
            sugg = list(res.candidates) or r.suggestions(name)
            entry["suggestions"] = [{"id": i, "name": c.items[i]["name"]} for i in sugg[:5]]
        out.append(entry)
    return out
