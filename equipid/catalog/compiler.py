"""Compile a validated catalog into :class:`equipid.catalog.compiled.Compiled`."""

from __future__ import annotations

import math
import re
from typing import Any

from equipid import dates
from equipid.catalog.compiled import Compiled, Cond
from equipid.catalog.conditions import REGISTRY
from equipid.catalog.loader import Catalog
from equipid.catalog.scale import ALTERNATIVES_FLOOR, LIKELIHOOD, PRIOR_WEIGHT
from equipid.catalog.values import Category
from equipid.normalize import key, pattern_forms, plural_forms

#: The written forms of a military unit number ({n}): Russian and Ukrainian
#: abbreviations and words for "military unit", and their English. A bare
#: number is never scanned for: five digits in a caption are anything.
#: (Folding makes "в/ч-74268" and "в.ч. 74268" the same as "в/ч 74268".)
UNIT_NUMBER_FORMS = (
    "в/ч {n}", "вч {n}", "войсковая часть {n}", "войсковой части {n}", "воинская часть {n}",
    "військова частина {n}", "військової частини {n}",
    "military unit {n}", "military unit no {n}", "military unit number {n}", "unit {n}", "unit no {n}",
)
#: The kind words of a formation, read from its name ("331st Guards Parachute Regiment" -> regiment).
UNIT_KINDS = ("brigade", "regiment", "division", "battalion", "detachment", "corps", "army", "flotilla", "squadron")
#: How writers place a formation in its garrison town: {kind} and {town}.
GARRISON_FORMS = (
    "{kind} based in {town}", "{kind} stationed in {town}", "{kind} garrisoned in {town}", "{kind} from {town}",
    "{town} based {kind}", "{town} {kind}",
)
#: Words a writer names a formation by without its kind ("a Tula-based unit", "a unit from Kamyshin"): read with
#: the garrison forms like a kind word, so they name the unit when it is the town's only one (or its units' family).
GENERIC_KINDS = ("unit", "military unit", "formation")
#: How writers name a garrison without the unit's kind: it names the unit when it is the catalog's only one there.
GARRISON_BARE_FORMS = ("garrison town {town}", "garrison in {town}", "garrison at {town}", "{town} garrison",
                       "garrison {town}", "garrisons {town}",
                       "гарнизон {town}", "место дислокации {town}", "пункт постоянной дислокации {town}")


def unit_kind(name: str) -> str | None:
    """The kind word of a formation's name: the last of :data:`UNIT_KINDS` in it, a note in brackets aside, or None."""
    words = [w for w in re.sub(r"\([^)]*\)", " ", name).lower().replace("-", " ").split() if w in UNIT_KINDS]
    return words[-1] if words else None


#: A formation's kind word in Russian, with the ending its ordinal takes ("810-я бригада", "331-й полк").
_KIND_RU = {"brigade": ("бригада", "я"), "regiment": ("полк", "й"), "division": ("дивизия", "я"),
            "battalion": ("батальон", "й"), "detachment": ("отряд", "й"), "army": ("армия", "я"), "corps": ("корпус", "й")}
#: The least formation number written with its kind alone ("64th brigade") that is taken to name it: smaller
#: ones ("2nd brigade", "22nd brigade") every army has, and they name nothing without the branch.
MIN_ORDINAL = 25


#: Words a formation's name may be written with in other words ("spetsnaz": "special purpose").
_QUALIFIER_SAYS = {"spetsnaz": ("spetsnaz", "special purpose", "special forces"), "mechanized": ("mechanized", "mechanised"),
                   "motorized": ("motorized", "motorised", "motor rifle")}
#: At most this many qualifier words are combined (2**n forms).
_MAX_QUALIFIERS = 5


def _qualified(name: str, after: int, kind: str) -> list[str]:
    """The qualifier words between a formation's ordinal and its kind word, in every ordered subset, synonyms
    spelt out ("45th Guards Spetsnaz Brigade": "guards spetsnaz", "special purpose", "separate special purpose"...).

    A brigade may also be called "separate" (otdelnaya), as every Russian and Ukrainian brigade officially is.
    The empty subset and "guards" alone are left to the caller's plain forms.
    """
    bare = re.sub(r"\([^)]*\)", " ", name[after:]).lower().replace("-", " ").split()
    if kind not in bare:
        return []
    words = bare[:bare.index(kind)]
    if kind == "brigade" and "separate" not in words:
        words = ["separate", *words]
    if not words or len(words) > _MAX_QUALIFIERS:
        return []
    out: list[str] = []
    for mask in range(1, 1 << len(words)):
        sub = [words[k] for k in range(len(words)) if mask >> k & 1]
        if sub == ["guards"]:
            continue
        forms = [""]
        for w in sub:
            forms = [f"{f} {say}".strip() for f in forms for say in _QUALIFIER_SAYS.get(w, (w,))]
        out += forms
    # NOTE: "air assault" (десантно-штурмовая) is also written "airmobile", as Ukraine's air assault brigades were
    # named until 2016 and as the press often translates it.
    out += [f.replace("air assault", "airmobile") for f in out if "air assault" in f]
    return list(dict.fromkeys(out))


def unit_forms(name: str, numbers: list[str], garrison: list[str]) -> list[str]:
    """The generated names of a unit: each number in its written forms, each garrison town with the kind word,
    and its ordinal with the kind word ("810th brigade", "810-я бригада") when the number is at least MIN_ORDINAL."""
    out = [f.format(n=n) for n in numbers for f in UNIT_NUMBER_FORMS]
    kind = unit_kind(name)
    out += [f.format(town=t) for t in garrison for f in GARRISON_BARE_FORMS]
    if kind:
        m = _own_ordinal(name, kind)
        # NOTE: a town with the formation's own qualifiers as well: "the Pskov special-purpose brigade".
        qualified = [f"{q} {kind}" for q in _qualified(name, m.end() if m else 0, kind)] if garrison else []
        out += [f.format(kind=k, town=t) for t in garrison for f in GARRISON_FORMS for k in (kind, *qualified, *GENERIC_KINDS)]
        if m and int(m.group(1)) >= MIN_ORDINAL:
            out += ordinal_forms(name)
    return out


def _own_ordinal(name: str, kind: str) -> re.Match[str] | None:
    """The formation's own ordinal in its name, wherever the name puts it ("Republican Guard 104th Airborne
    Brigade"), but not another's ("regiment of the 4th Air Force": the kind word must follow within a few words)."""
    return re.search(rf"\b(\d+)(st|nd|rd|th)\b(?=\s+(?:[\w-]+\s+){{0,4}}?{kind}\b)", name, re.IGNORECASE)


def ordinal_forms(name: str) -> list[str]:
    """A formation's ordinal with its kind word, bare, "guards", with its own qualifiers and in Russian
    ("155th brigade", "155th naval infantry brigade", "155-я бригада"), whatever the number; [] without both.
    The bare forms only when the ordinal leads the name."""
    kind = unit_kind(name)
    m = _own_ordinal(name, kind) if kind else None
    if not kind or not m:
        return []
    n, th = m.group(1), m.group(2).lower()
    qualified = [f"{n}{th} {q} {kind}" for q in _qualified(name, m.end(), kind)]
    if name[:m.start()].strip():
        # NOTE: a name that puts other words first ("Republican Guard 104th Airborne Brigade") is not called
        # by its bare number ("the 104th brigade" is as likely a Ukrainian territorial brigade): its words only.
        return qualified
    out = [f"{n}{th} {kind}", f"{n}{th} guards {kind}", *qualified]
    if kind in _KIND_RU:
        word, end = _KIND_RU[kind]
        out += [f"{n}-{end} {word}", f"{n}-{end} гвардейская {word}" if end == "я" else f"{n}-{end} гвардейский {word}"]
    return out


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


def _opposed(cat: Catalog, paths: list[tuple[str, ...]]) -> list[tuple[int, int]]:
    """Pairs of leaf columns (i, j), i < j, whose forces fight each other: either names the other, or an ancestor of it.

    ``opposes`` is written once for a pair and read both ways.
    """
    says = {(a.id, b) for a in cat.affiliations for b in a.opposes}
    out = []
    for i, pi in enumerate(paths):
        for j in range(i + 1, len(paths)):
            pj = paths[j]
            if any((x, y) in says or (y, x) in says for x in pi for y in pj):
                out.append((i, j))
    return out


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


def _meets(rule: Cond, applies: Cond) -> bool:
    """Whether a kit rule can fire somewhere and some day where ``applies`` holds (tried at the places and boundary days either names)."""
    cs, ds = REGISTRY.places_and_days(rule)
    ca, da = REGISTRY.places_and_days(applies)
    days = {d + shift for d in ds | da for shift in (-1, 0, 1, 366)} or {0}
    holds_at = REGISTRY.holds_at
    return any(holds_at(applies, cc, d) and holds_at(rule, cc, d) for cc in (cs | ca | {"??"}) for d in days)


def _presence(applies: Cond, priors: list[tuple[str, frozenset[str] | None, int | None, int | None, list[float]]],
              n_leaves: int) -> list[float]:
    """How present each leaf is where and when ``applies`` holds: the mean of the priors that can apply there (uniform if none)."""
    cs, ds = REGISTRY.places_and_days(applies)
    holds_at = REGISTRY.holds_at
    found: list[list[float]] = []
    for _, countries, first, last, w in priors:
        days = {d for d in ds | {first or 0, last or 0} if (first is None or d >= first) and (last is None or d <= last)}
        places = (countries & cs) if countries is not None else cs
        if any(holds_at(applies, cc, d) for cc in places for d in days or {first or 0}):
            found.append(w)
    if not found:
        return [1.0 / max(n_leaves, 1)] * n_leaves
    return [sum(w[j] for w in found) / len(found) for j in range(n_leaves)]


def counts_indicators(cat: Catalog, paths: list[tuple[str, ...]], ancestors: dict[str, tuple[str, ...]],
                      hand: list[Cond], hand_p: list[list[float]], hand_sup: list[tuple[int, ...]],
                      names: dict[str, str],
                      priors: list[tuple[str, frozenset[str] | None, int | None, int | None, list[float]]] | None = None,
                      ) -> list[tuple[dict[str, Any], Cond, list[float], list[int], int]]:
    """Each counts row as an indicator: (display record, condition, P per leaf, superseded indicators, table).

    The rule (docs/catalog-format.md, "Counts"), with smoothing a over the K
    rows of a table: rate(side) = (count + a) / (side total + a K), and the
    pooled rate (all sides summed) for leaves under no side; no rate below
    1/20 of the row's highest (the characteristic-to-rare ratio of the
    qualitative scale: kit is captured, passed on and misidentified). A row
    fires when its item or a variant is seen where ``applies`` holds, and
    replaces the rows of the item's family parents.

    It also replaces the hand-set kit rules on the item: indicators whose
    condition is an item or any of items, alone or bounded by country and
    date so that they can fire where ``applies`` holds, naming the item or a
    family parent. The counts decide between the sides; those rules keep
    their say within a side only, as a shape: with H their product per leaf
    and w how present each leaf is where the table applies (the mean of the
    priors that can apply there, :func:`_presence`), a leaf of side s gets
    rate(s) x H(leaf) / (the w-weighted mean of H over s's leaves), a leaf
    under no side the pooled rate x H(leaf) / (that mean over every side's
    leaves). So the side as a whole keeps rate(s): a shape that puts a model
    on one branch moves the side's share to that branch without taking it
    from the side. Superseded indices count the hand indicators first, then
    the rows in order.
    """
    out: list[tuple[dict[str, Any], Cond, list[float], list[int], int]] = []
    base = len(hand)
    floor = LIKELIHOOD[ALTERNATIVES_FLOOR] / LIKELIHOOD["characteristic"]
    for t, table in enumerate(cat.counts):
        a = table.smoothing
        sides = list(table.sides)
        k = len(table.rows)
        totals = {s: sum(r.get(s, 0) for r in table.rows) for s in sides}
        pooled_total = sum(totals.values()) + a * k
        side_of_leaf = []
        for path in paths:
            side = None
            for aid in reversed(path):
                side = next((s for s in sides if table.sides[s] == aid), None)
                if side:
                    break
            side_of_leaf.append(side)
        applies = REGISTRY.compile(table.applies)
        present = _presence(applies, priors or [], len(paths))
        kit_rules = [n for n, c in enumerate(hand) if REGISTRY.kit_rule(c) and _meets(c, applies)]
        row_at = {r["item"]: base + len(out) + n for n, r in enumerate(table.rows)}
        side_leaves = {s: [j for j, x in enumerate(side_of_leaf) if x == s] for s in sides}
        any_side = [j for j, x in enumerate(side_of_leaf) if x is not None]
        for r in table.rows:
            item = r["item"]
            chain = set(ancestors.get(item, (item,)))
            fired = [n for n in kit_rules if chain.intersection(REGISTRY.positive_items(hand[n]))]
            fired = [n for n in fired if not any(n in hand_sup[m] for m in fired)]
            shape = [math.prod(hand_p[n][j] for n in fired) for j in range(len(paths))]
            rates: dict[str | None, float] = {s: (r.get(s, 0) + a) / (totals[s] + a * k) for s in sides}
            rates[None] = (sum(r.get(s, 0) for s in sides) + a) / pooled_total
            low = max(rates.values()) * floor
            lik = []
            for j, s in enumerate(side_of_leaf):
                ref = side_leaves[s] if s is not None else any_side
                weight = sum(present[x] for x in ref)
                mean = sum(present[x] * shape[x] for x in ref) / weight if weight > 0.0 else max((shape[x] for x in ref), default=1.0)
                lik.append(min(1.0, max(rates[s], low) * shape[j] / mean) if mean > 0.0 else max(rates[s], low))
            gone = [row_at[x] for x in ancestors.get(item, (item,))[1:] if x in row_at] + fired
            counted = ", ".join(f"{s} {r.get(s, 0)}" for s in sides)
            display = {
                "id": f"{table.id}--{item}",
                "name": f"{names.get(item, item)}: {table.name}",
                "when": {"all": [{"item": item}, table.applies]},
                "counts": {s: r.get(s, 0) for s in sides},
                "rationale": f"{table.name}: {counted} (sides: {', '.join(f'{s} = {aid}' for s, aid in table.sides.items())}), "
                             "turned into likelihoods by the counts rule.",
                "sources": table.model_dump(mode="json")["sources"],
            }
            out.append((display, REGISTRY.compile(display["when"]), lik, gone, t))
    return out


def _shared_family(ids: list[str], parent: dict[str, str | None]) -> str | None:
    """The nearest family all of ``ids`` are variants of (the 104th and 234th regiments: the VDV's formations), or None.

    The family may lie further up for some of them: the 810th brigade (a naval infantry formation, itself one of
    the Navy's) and the Black Sea Fleet (one of the Navy's) share Sevastopol, and it names the Navy's formations.
    """
    chains = []
    for i in ids:
        chain: list[str] = []
        up = parent.get(i)
        while up and up not in chain:
            chain.append(up)
            up = parent.get(up)
        if not chain:
            return None
        chains.append(chain)
    return next((f for f in chains[0] if all(f in c for c in chains[1:])), None)


def _claim(found: dict[str, str], clash: set[str], pattern: str, iid: str) -> None:
    """Give ``pattern`` to item ``iid`` unless another item has it: then it goes to ``clash`` (shared by two, named by neither)."""
    if pattern in found and found[pattern] != iid:
        clash.add(pattern)
    found.setdefault(pattern, iid)


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
        for empty in ("not_in_text", "unit_numbers", "garrison"):
            if not items[e.id][empty]:
                del items[e.id][empty]
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
    # A unit's numbers and garrison phrases come next: an alias written out
    # wins, and a phrase two units share (two regiments in one town) names
    # their family (the branch's formations) when they share one, and
    # otherwise neither, in lookups (ambiguous) or in text (not scanned for).
    made: dict[str, str] = {}
    made_clash: set[str] = set()
    claimants: dict[str, list[str]] = {}
    made_keys: set[str] = set()
    # A formation's ordinal and kind that the garrison town named beside it decides ("the 22nd brigade" in
    # a sighting that names Stepnoy): every army has a 22nd brigade, but one has it in that town.
    by_garrison: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for e in cat.equipment:
        if e.category is not Category.UNIT:
            continue
        if e.garrison:
            towns = tuple(dict.fromkeys(p for t in e.garrison for p in pattern_forms(t)))
            for form in ordinal_forms(e.name):
                for p in pattern_forms(form):
                    claim = by_garrison.setdefault(p, [])
                    if all(u != e.id for u, _ in claim):
                        claim.append((e.id, towns))
        for name in unit_forms(e.name, e.unit_numbers, e.garrison):
            k = key(name)
            if k in alias_keys and e.id not in alias_keys[k]:
                alias_keys[k].append(e.id)
            elif k not in alias_keys:
                alias_keys[k] = [e.id]
                made_keys.add(k)
            for p in pattern_forms(name):
                if p in patterns or p in pattern_clash:
                    continue
                _claim(made, made_clash, p, e.id)
                if e.id not in claimants.setdefault(p, []):
                    claimants[p].append(e.id)
    for p in made_clash:
        family = _shared_family(claimants[p], parent)
        if family:
            made[p] = family
        else:
            made.pop(p, None)
    for k in made_keys:
        if len(alias_keys[k]) > 1 and (family := _shared_family(alias_keys[k], parent)):
            alias_keys[k] = [family]
    patterns.update(made)
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
                _claim(plurals, plural_clash, p, e.id)
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
        cond = REGISTRY.compile(ind.when)
        conds.append(cond)
        lik = _per_leaf(dict(ind.likelihoods), ind.default, paths, LIKELIHOOD)
        if ind.alternatives:
            lik = [max(x, floor) for x in lik]
        probs.append(lik)
        logp.append([math.log10(x) for x in lik])
        sup.append(tuple(ind_ids[s] for s in ind.supersedes if s in ind_ids))
        pos = REGISTRY.positive_items(cond)
        ind_items.append(tuple(dict.fromkeys(pos)))
        for iid in dict.fromkeys(pos):
            item_ind.setdefault(iid, []).append(n)
        t = REGISTRY.triggers(cond)
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

    no_suggest: list[int] = []
    for display, cond, lik, gone, _ in counts_indicators(cat, paths, ancestors, conds[:], probs[:], sup[:],
                                                              {i: d["name"] for i, d in items.items()}, priors):
        n = len(indicators)
        indicators.append(display)
        conds.append(cond)
        probs.append(lik)
        logp.append([math.log10(x) for x in lik])
        sup.append(tuple(gone))
        item = REGISTRY.positive_items(cond)[0]  # the row's item: the first part of its condition
        ind_items.append((item,))
        item_ind.setdefault(item, []).append(n)
        trig.setdefault(item, []).append(n)
        no_suggest.append(n)

    place_keys: dict[str, list[str]] = {}
    place_patterns: dict[str, str] = {}
    place_clash: set[str] = set()
    place_coords: dict[str, tuple[float, float, str]] = {}
    # NOTE: who held a place is read only from a name no other place has: a second Andriivka would take its holder.
    held: dict[str, tuple[tuple[str, int, int | None], ...]] = {}
    held_clash: set[str] = set()
    unheld: set[str] = set()
    for pl in cat.places:
        if pl.lat is not None and pl.lon is not None:
            for name in (pl.name, *pl.aliases):
                place_coords.setdefault(key(name), (pl.lat, pl.lon, pl.name))
        holds = tuple((h.by, dates.parse_partial(h.from_)[0], dates.parse_partial(h.until)[1] if h.until else None)
                      for h in pl.held)
        for name in (pl.name, *pl.aliases):
            k = key(name)
            if k and pl.country not in place_keys.setdefault(k, []):
                place_keys[k].append(pl.country)
            for pat in pattern_forms(name):
                if pat in place_patterns and place_patterns[pat] != pl.country:
                    place_clash.add(pat)
                place_patterns.setdefault(pat, pl.country)
                if not holds:
                    unheld.add(pat)
                elif held.setdefault(pat, holds) != holds:
                    held_clash.add(pat)
    for pat in place_clash:
        place_patterns.pop(pat, None)
    for pat in held_clash | (unheld & held.keys()):
        held.pop(pat, None)
    # The places some prior is scoped to, and every place's name that lies within one: a location naming it is
    # read for those places (a name two places with other scopes share names neither).
    prior_places = {pr.id: frozenset(pr.places) for pr in cat.priors if pr.places}
    scoped = frozenset().union(*prior_places.values()) if prior_places else frozenset()
    regions: dict[str, tuple[str, ...]] = {}
    region_clash: set[str] = set()
    if scoped:
        for pl in cat.places:
            inside = tuple(sorted({pl.id, *pl.within} & scoped))
            for name in (pl.name, *pl.aliases):
                for pat in pattern_forms(name):
                    if regions.setdefault(pat, inside) != inside:
                        region_clash.add(pat)
        for pat in region_clash:
            regions.pop(pat, None)

    return Compiled(
        digest=digest,
        leaves=leaves,
        paths=paths,
        groups=groups,
        group_leaves=group_leaves,
        aff_names={a.id: a.name for a in cat.affiliations},
        opposed=_opposed(cat, paths),
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
        place_coords=place_coords,
        place_held=sorted(held.items()),
        prior_places=prior_places,
        place_regions=sorted((p, r) for p, r in regions.items() if r),
        ind_no_suggest=frozenset(no_suggest),
        generic=frozenset(e.id for e in cat.equipment if e.generic),
        exact_only=frozenset(made_keys),
        ordinal_garrison=sorted((p, tuple(v)) for p, v in by_garrison.items()),
    )
