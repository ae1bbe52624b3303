"""``catalog stats``: what the catalog holds and where it is thin."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from equipid.catalog.kinds import keys
from equipid.catalog.loader import Catalog
from equipid.maintenance.lint import items_without_indicators, source_problem

_KINDS = keys()


def _ancestors(cat: Catalog) -> dict[str, set[str]]:
    parent = {a.id: a.parent for a in cat.affiliations}
    out: dict[str, set[str]] = {}
    for aid in parent:
        chain = {aid}
        node = parent.get(aid)
        while node is not None and node not in chain:
            chain.add(node)
            node = parent.get(node)
        out[aid] = chain
    return out


def stats(cat: Catalog) -> dict[str, Any]:
    """Counts of a loaded catalog as a JSON-ready mapping."""
    records = {k: len(getattr(cat, k)) for k in _KINDS}
    by_category = Counter(e.category.value for e in cat.equipment)
    anc = _ancestors(cat)
    per_aff: dict[str, dict[str, int]] = {}
    for a in cat.affiliations:
        direct = sum(1 for i in cat.indicators if a.id in i.likelihoods)
        covering = sum(1 for i in cat.indicators if anc[a.id] & set(i.likelihoods))
        per_aff[a.id] = {"naming_it": direct, "naming_it_or_a_parent": covering}
    without_sources: dict[str, int] = {}
    malformed: dict[str, int] = {}
    for kind in _KINDS:
        recs = getattr(cat, kind)
        without_sources[kind] = sum(1 for r in recs if not r.sources)
        malformed[kind] = sum(1 for r in recs if any(source_problem(s) for s in r.sources))
    items = cat.equipment
    dated = [e for e in items if e.in_service is not None]
    decades: Counter[str] = Counter()
    for e in dated:
        if e.in_service is not None and e.in_service.from_:
            decades[f"{e.in_service.from_[:3]}0s"] += 1
    in_service = {
        "items": len(items),
        "with_in_service": len(dated),
        "with_from": sum(1 for e in dated if e.in_service is not None and e.in_service.from_),
        "with_until": sum(1 for e in dated if e.in_service is not None and e.in_service.until),
        "uncertain": sum(1 for e in dated if e.in_service is not None and e.in_service.uncertain),
        "coverage": round(len(dated) / len(items), 4) if items else 0.0,
        "from_by_decade": dict(sorted(decades.items())),
    }
    return {
        "records": records,
        "by_domain": _by_domain(cat, anc),
        "equipment_by_category": dict(sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0]))),
        "indicators_per_affiliation": per_aff,
        "items_without_indicators": items_without_indicators(cat),
        "records_without_sources": without_sources,
        "records_with_malformed_sources": malformed,
        "in_service": in_service,
    }


def _by_domain(cat: Catalog, anc: dict[str, set[str]]) -> dict[str, dict[str, Any]]:
    """Per domain (equipid/catalog/domains.py): equipment records, indicators, and the indicators naming each leaf or a parent."""
    from equipid.catalog.domains import DOMAINS, categories, domain_of_indicator, domain_of_item

    cat_of = categories(cat.equipment)
    parents = {a.parent for a in cat.affiliations if a.parent}
    leaves = [a.id for a in cat.affiliations if a.id not in parents]
    out: dict[str, dict[str, Any]] = {d: {"equipment": 0, "indicators": 0, "per_affiliation": dict.fromkeys(leaves, 0)} for d in DOMAINS}
    for e in cat.equipment:
        out[domain_of_item(e.id, cat_of[e.id])]["equipment"] += 1
    for ind in cat.indicators:
        d = out[domain_of_indicator(ind.when, cat_of)]
        d["indicators"] += 1
        named = set(ind.likelihoods)
        for leaf in leaves:
            if anc[leaf] & named:
                d["per_affiliation"][leaf] += 1
    return out


def format_json(s: dict[str, Any]) -> str:
    """The statistics as a JSON document."""
    return json.dumps(s, ensure_ascii=False, indent=2) + "\n"


def format_text(s: dict[str, Any]) -> str:
    """The statistics as plain aligned text."""
    out = ["Records\n"]
    out += [f"  {k:<14} {v:>6}\n" for k, v in s["records"].items()]
    out.append("By domain (equipment, indicators; indicators naming each leaf or its parent)\n")
    leaves = next(iter(s["by_domain"].values()))["per_affiliation"] if s["by_domain"] else {}
    for dom, d in s["by_domain"].items():
        per = ", ".join(f"{a} {n}" for a, n in sorted(d["per_affiliation"].items(), key=lambda kv: -kv[1]) if n)
        out.append(f"  {dom:<30} {d['equipment']:>5} {d['indicators']:>5}  {per or '-'}\n")
    if leaves:
        thin = [a for a in leaves if sum(d["per_affiliation"][a] for d in s["by_domain"].values()) < 5]
        out.append("  affiliations named by fewer than 5 indicators: " + (", ".join(thin) or "none") + "\n")
    out.append("Equipment by category\n")
    out += [f"  {k:<20} {v:>6}\n" for k, v in s["equipment_by_category"].items()]
    out.append("Indicators per affiliation (naming it / it or a parent)\n")
    out += [f"  {k:<24} {v['naming_it']:>4} / {v['naming_it_or_a_parent']}\n"
            for k, v in s["indicators_per_affiliation"].items()]
    missing = s["items_without_indicators"]
    out.append(f"Items without indicators: {len(missing)}\n")
    if missing:
        out.append("  " + ", ".join(missing) + "\n")
    out.append("Records without sources: " + _kinds(s["records_without_sources"]) + "\n")
    out.append("Records with malformed sources: " + _kinds(s["records_with_malformed_sources"]) + "\n")
    ins = s["in_service"]
    out.append(
        f"In-service dates: {ins['with_in_service']} of {ins['items']} items ({ins['coverage']:.0%}); "
        f"{ins['with_from']} with from, {ins['with_until']} with until, {ins['uncertain']} uncertain\n"
    )
    if ins["from_by_decade"]:
        out.append("  from: " + ", ".join(f"{k} {v}" for k, v in ins["from_by_decade"].items()) + "\n")
    return "".join(out)


def _kinds(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    parts = [f"{k} {v}" for k, v in counts.items() if v]
    return f"{total}" + (f" ({', '.join(parts)})" if parts else "")
