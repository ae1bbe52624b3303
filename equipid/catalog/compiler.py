"""Compile a validated catalog into :class:`equipid.catalog.compiled.Compiled`."""

from __future__ import annotations

import math
from typing import Any

from equipid import dates
from equipid.catalog.compiled import Compiled, Cond
from equipid.catalog.loader import Catalog
from equipid.catalog.scale import ALTERNATIVES_FLOOR, LIKELIHOOD, PRIOR_WEIGHT
from equipid.normalize import key, pattern_forms, plural_forms


def _affiliation_tree(cat: Catalog) -> tuple[list[str], list[tuple[str, ...]], list[str], dict[str, list[int]]]:
    parent = {a.id: a.parent for a in cat.affiliations}
    has_child = {a.parent for a in cat.affiliations if a.parent}
    leaves = [a.id for a in cat.affiliations if a.id not in has_child]
    paths = []
    for leaf in leaves:
        path = [leaf]
        seen = {leaf}
        while parent.get(path[-1]) and parent[path[-1]] not in seen:
            nxt = parent[path[-1]]
            assert nxt is not None
            seen.add(nxt)
            path.append(nxt)
        paths.append(tuple(reversed(path)))
    groups = [a.id for a in cat.affiliations if a.id in has_child]
    group_leaves = {g: [i for i, p in enumerate(paths) if g in p[:-1]] for g in groups}
    return leaves, paths, groups, group_leaves


def _per_leaf(named: dict[str, str], default: str, paths: list[tuple[str, ...]], scale: dict[str, float]) -> list[float]:
    """The value for each leaf: the most specific named id on its path, else the default."""
    out = []
    for path in paths:
        word = default
        for aid in reversed(path):
            if aid in named:
                word = named[aid]
                break
        out.append(scale[word])
    return out


def role_key(role: str, item: str) -> str:
    """The key under which ``item`` read in ``role`` is seen (a ``role`` condition asks for it)."""
    return f"{role}:{item}"


def compile_condition(c: dict[str, Any]) -> Cond:
    """Turn a validated condition mapping into nested tuples."""
    (k, v), = c.items()
    if k in ("item", "absent", "category"):
        return (k, v)
    if k == "attribute":
        return ("attribute", v["item"], v["with"])
    if k == "role":
        # NOTE: an item read in a role is seen under its own key, "ROLE:ID" (see Scorer.context).
        return ("item", role_key(v["as"], v["item"]))
    if k in ("all", "any"):
        return (k, tuple(compile_condition(s) for s in v))
    if k == "n_of":
        return ("n_of", v["n"], tuple(compile_condition(s) for s in v["of"]))
    if k == "not":
        return ("not", compile_condition(v))
    if k == "date":
        first = dates.parse_partial(v["from"])[0] if v.get("from") is not None else None
        last = dates.parse_partial(v["until"])[1] if v.get("until") is not None else None
        return ("date", first, last)
    if k == "country":
        return ("country", frozenset(v))
    raise ValueError(k)  # pragma: no cover - validated before


def triggers(c: Cond) -> set[str] | None:
    """Keys at least one of which must be observed for ``c`` to fire; None: always evaluate."""
    k = c[0]
    if k == "item":
        return {c[1]}
    if k == "category":
        return {"cat:" + c[1]}
    if k == "attribute":
        return {c[1]}
    if k == "absent":
        return {"absent:" + c[1]}
    if k == "all":
        best: set[str] | None = None
        for s in c[1]:
            t = triggers(s)
            if t is not None and (best is None or len(t) < len(best)):
                best = t
        return best
    if k in ("any", "n_of"):
        subs = c[1] if k == "any" else c[2]
        out: set[str] = set()
        for s in subs:
            t = triggers(s)
            if t is None:
                return None
            out |= t
        return out
    return None


def positive_items(c: Cond) -> list[str]:
    """Items a condition asks to see (not under a ``not``), in order."""
    k = c[0]
    if k == "item":
        return [c[1]]
    if k == "attribute":
        return [c[1], c[2]]
    if k in ("all", "any"):
        return [i for s in c[1] for i in positive_items(s)]
    if k == "n_of":
        return [i for s in c[2] for i in positive_items(s)]
    return []


def compile_catalog(cat: Catalog, digest: str) -> Compiled:
    """Build every index and array the commands need from ``cat``."""
    leaves, paths, groups, group_leaves = _affiliation_tree(cat)
    items: dict[str, dict[str, Any]] = {}
    parent: dict[str, str | None] = {}
    children: dict[str, list[str]] = {}
    category: dict[str, str] = {}
    in_service: dict[str, tuple[int | None, int | None]] = {}
    alias_keys: dict[str, list[str]] = {}
    patterns: dict[str, str] = {}
    pattern_clash: set[str] = set()
    #: Per item, the keys of its names that captions are not scanned for.
    quiet_keys: dict[str, set[str]] = {}
    for e in cat.equipment:
        items[e.id] = e.model_dump(mode="json", by_alias=True, exclude_none=True)
        if not e.not_in_text:
            del items[e.id]["not_in_text"]
        parent[e.id] = e.variant_of
        if e.variant_of:
            children.setdefault(e.variant_of, []).append(e.id)
        category[e.id] = e.category.value
        if e.in_service:
            f = dates.parse_partial(e.in_service.from_)[0] if e.in_service.from_ else None
            u = dates.parse_partial(e.in_service.until)[1] if e.in_service.until else None
            in_service[e.id] = (f, u)
        quiet = quiet_keys[e.id] = {key(n) for n in e.not_in_text}
        for name in (e.name, e.id, *e.aliases):
            k = key(name)
            if k:
                ids = alias_keys.setdefault(k, [])
                if e.id not in ids:
                    ids.append(e.id)
            if k in quiet:  # an ordinary word as well: looked up, not scanned for
                continue
            for p in pattern_forms(name):
                if p in patterns and patterns[p] != e.id:
                    pattern_clash.add(p)
                patterns.setdefault(p, e.id)
    for p in pattern_clash:  # an ambiguous alias is not scanned for in free text
        patterns.pop(p, None)
    # Plurals of the aliases come second: an alias written out always wins, and
    # a plural two items would share is dropped like any ambiguous pattern.
    plurals: dict[str, str] = {}
    plural_clash: set[str] = set()
    for e in cat.equipment:
        quiet = quiet_keys[e.id]
        for name in (e.name, *e.aliases):
            if key(name) in quiet:
                continue
            for p in plural_forms(name):
                if p in patterns or p in pattern_clash:
                    continue
                if p in plurals and plurals[p] != e.id:
                    plural_clash.add(p)
                plurals.setdefault(p, e.id)
    for p in plural_clash:
        plurals.pop(p, None)
    patterns.update(plurals)
    ancestors: dict[str, tuple[str, ...]] = {}
    for iid in items:
        chain = [iid]
        while parent.get(chain[-1]) and parent[chain[-1]] in items and parent[chain[-1]] not in chain:
            chain.append(parent[chain[-1]])  # type: ignore[arg-type]
        ancestors[iid] = tuple(chain)

    ind_ids = {ind.id: n for n, ind in enumerate(cat.indicators)}
    indicators: list[dict[str, Any]] = []
    conds: list[Cond] = []
    logp: list[list[float]] = []
    probs: list[list[float]] = []
    sup: list[tuple[int, ...]] = []
    ind_items: list[tuple[str, ...]] = []
    trig: dict[str, list[int]] = {}
    always: list[int] = []
    item_ind: dict[str, list[int]] = {}
    floor = LIKELIHOOD[ALTERNATIVES_FLOOR]
    for n, ind in enumerate(cat.indicators):
        indicators.append(ind.model_dump(mode="json", by_alias=True, exclude_none=True))
        cond = compile_condition(ind.when)
        conds.append(cond)
        lik = _per_leaf(dict(ind.likelihoods), ind.default, paths, LIKELIHOOD)
        if ind.alternatives:
            lik = [max(x, floor) for x in lik]
        probs.append(lik)
        logp.append([math.log10(x) for x in lik])
        sup.append(tuple(ind_ids[s] for s in ind.supersedes if s in ind_ids))
        pos = positive_items(cond)
        ind_items.append(tuple(dict.fromkeys(pos)))
        for iid in dict.fromkeys(pos):
            item_ind.setdefault(iid, []).append(n)
        t = triggers(cond)
        if t is None:
            always.append(n)
        else:
            for k in t:
                trig.setdefault(k, []).append(n)

    priors = []
    for pr in cat.priors:
        first = dates.parse_partial(pr.date.from_)[0] if pr.date and pr.date.from_ else None
        last = dates.parse_partial(pr.date.until)[1] if pr.date and pr.date.until else None
        w = _per_leaf(dict(pr.weights), pr.default, paths, PRIOR_WEIGHT)
        total = sum(w)
        priors.append((pr.id, frozenset(pr.country) or None, first, last, [x / total for x in w]))

    place_keys: dict[str, list[str]] = {}
    place_patterns: dict[str, str] = {}
    place_clash: set[str] = set()
    for pl in cat.places:
        for name in (pl.name, *pl.aliases):
            k = key(name)
            if k and pl.country not in place_keys.setdefault(k, []):
                place_keys[k].append(pl.country)
            for pat in pattern_forms(name):
                if pat in place_patterns and place_patterns[pat] != pl.country:
                    place_clash.add(pat)
                place_patterns.setdefault(pat, pl.country)
    for pat in place_clash:
        place_patterns.pop(pat, None)

    return Compiled(
        digest=digest,
        leaves=leaves,
        paths=paths,
        groups=groups,
        group_leaves=group_leaves,
        aff_names={a.id: a.name for a in cat.affiliations},
        items=items,
        ancestors=ancestors,
        children=children,
        category=category,
        in_service=in_service,
        alias_keys={k: tuple(v) for k, v in alias_keys.items()},
        patterns=sorted(patterns.items()),
        indicators=indicators,
        ind_cond=conds,
        ind_logp=logp,
        ind_p=probs,
        ind_supersedes=sup,
        ind_items=ind_items,
        ind_triggers=trig,
        ind_always=always,
        item_indicators=item_ind,
        priors=priors,
        tests=[t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in cat.tests],
        place_keys={k: tuple(v) for k, v in place_keys.items()},
        place_patterns=sorted(place_patterns.items()),
    )
