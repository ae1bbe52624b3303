"""What several output formats say the same way: the verdict, the leading group, where a sighting was, its month.

Plain functions of a result record (CONTRACT section 3) and the compiled
catalog; no rendering here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

#: Below this gap (dB) between the two leading hypotheses, say they cannot be told apart.
TOO_CLOSE_DB = 5.0

_EMPTY_SIGHTING: dict[str, Any] = {"date": None, "place": None, "country": None, "lat": None, "lon": None, "text": None}


def sighting_of(rec: dict[str, Any]) -> dict[str, Any]:
    """The record's ``sighting`` block, every key present (None where the sighting did not say)."""
    s = rec.get("sighting")
    return {**_EMPTY_SIGHTING, **s} if s else dict(_EMPTY_SIGHTING)


def leading_group(rec: dict[str, Any]) -> dict[str, Any] | None:
    """The group entry of the leading leaf's parent (not the largest group, which may not hold it); None for a root leaf."""
    path: list[str] = rec["ranking"][0]["path"] if rec.get("ranking") else []
    if len(path) < 2:
        return None
    parent = path[-2]
    for g in rec.get("groups", ()):
        if g["affiliation"] == parent:
            return g
    return None


@dataclass(frozen=True)
class Hypothesis:
    """A leaf, or the group of sibling leaves, with its probability and ICD 203 word."""

    affiliation: str
    probability: float
    estimate: str
    leaves: tuple[str, ...]


def siblings(rec: dict[str, Any]) -> bool:
    """True when the two leading leaves have the same parent and are too close to be told apart."""
    r = rec.get("ranking") or []
    if len(r) < 2:
        return False
    a, b = r[0]["path"], r[1]["path"]
    return (len(a) > 1 and len(b) > 1 and a[-2] == b[-2]
            and gap_db(r[0]["probability"], r[1]["probability"]) < TOO_CLOSE_DB)


def contenders(rec: dict[str, Any]) -> list[Hypothesis]:
    """The hypotheses a verdict weighs, best first.

    Leaves, except that where the two leading leaves are siblings that cannot
    be told apart, each leaf with a parent is counted with its siblings under
    that parent (so "special operations or a PMC", not "KSSO or GRU
    spetsnaz", when the evidence cannot split the special operators). A
    parent's share is then the sum of its own leaves only (a sub-group's
    leaves are counted under the sub-group).
    """
    from equipid.catalog.scale import icd203

    ranking = rec.get("ranking") or []
    if not siblings(rec):
        return [Hypothesis(r["affiliation"], r["probability"], r["estimate"], (r["affiliation"],)) for r in ranking]
    buckets: dict[str, tuple[float, tuple[str, ...]]] = {}
    for r in ranking:
        path = r["path"]
        k = path[-2] if len(path) > 1 else r["affiliation"]
        p, leaves = buckets.get(k, (0.0, ()))
        buckets[k] = (p + r["probability"], leaves + (r["affiliation"],))
    hs = [Hypothesis(k, p, icd203(p), leaves) for k, (p, leaves) in buckets.items()]
    return sorted(hs, key=lambda h: -h.probability)


def gap_db(p1: float, p2: float) -> float:
    """How far apart two probabilities are, in decibans (inf when the second is 0)."""
    return math.inf if p2 <= 0 else 10 * math.log10(p1 / p2)


def _pct(p: float) -> str:
    return f"{p:.0%}".replace("%", " %")


def verdict(rec: dict[str, Any], names: dict[str, str]) -> str:
    """One line that says who most likely fielded it, and how sure that is.

    "Russian special operations or Russian private military companies, 75 % / 25 %;
    cannot be told apart", or "Russian Airborne Forces (VDV), 89 %, very likely;
    next Russian Aerospace Forces, 4 %".
    """
    if "error" in rec:
        return f"not scored: {rec['error']}"
    hs = contenders(rec)
    if not hs:
        return "nothing to rank"
    a = hs[0]
    an = names.get(a.affiliation, a.affiliation)
    if len(hs) == 1:
        return f"{an}, {_pct(a.probability)}, {a.estimate}"
    b = hs[1]
    bn = names.get(b.affiliation, b.affiliation)
    if gap_db(a.probability, b.probability) < TOO_CLOSE_DB:
        return f"{an} or {bn}, {_pct(a.probability)} / {_pct(b.probability)}; cannot be told apart"
    return f"{an}, {_pct(a.probability)}, {a.estimate}; next {bn}, {_pct(b.probability)}"


def _prior_weights(rec: dict[str, Any], compiled: Any) -> list[float]:
    """The prior over leaves that scored this record (the mean of the named theatre priors; else uniform)."""
    n = len(compiled.leaves)
    by_id = {p[0]: p[4] for p in compiled.priors}
    named = [by_id[p] for p in str(rec.get("prior") or "").split("+") if p in by_id]
    if not named:
        return [1.0 / n] * n
    return [sum(w[j] for w in named) / len(named) for j in range(n)]


def group_evidence(rec: dict[str, Any], compiled: Any, a: Hypothesis, b: Hypothesis) -> list[tuple[float, float]]:
    """For each evidence entry, its weight (dB) for hypothesis ``a`` and for ``b``, each against all else.

    As the scorer weighs a leaf: 10·c·log10(P(e|H) / P(e|not H)), where the
    likelihood of a set of leaves averages theirs under the prior.
    """
    idx = {leaf: j for j, leaf in enumerate(compiled.leaves)}
    ind = {d["id"]: i for i, d in enumerate(compiled.indicators)}
    w = _prior_weights(rec, compiled)
    out = []
    for e in rec.get("evidence", ()):
        i = ind.get(e["indicator"])
        if i is None:
            out.append((0.0, 0.0))
            continue
        p = compiled.ind_p[i]
        if e["name"].startswith("absent: "):
            p = [1.0 - x for x in p]
        pair = []
        for h in (a, b):
            inside = {idx[leaf] for leaf in h.leaves if leaf in idx}
            wi = sum(w[j] for j in inside)
            wo = 1.0 - wi
            pi = sum(w[j] * p[j] for j in inside) / max(wi, 1e-12)
            po = sum(w[j] * p[j] for j in range(len(p)) if j not in inside) / max(wo, 1e-12)
            pair.append(round(10.0 * e["confidence"] * math.log10(max(pi, 1e-12) / max(po, 1e-12)), 2))
        out.append((pair[0], pair[1]))
    return out


def evidence_columns(rec: dict[str, Any], compiled: Any) -> tuple[str, str, list[tuple[float, float]], bool]:
    """What the evidence is shown against: two ids, each evidence entry's weights (dB) for them, and whether they are groups.

    The two leading leaves, or, when those are siblings too close to split,
    the two leading groups (:func:`contenders`, :func:`group_evidence`).
    """
    if siblings(rec):
        a, b = contenders(rec)[:2]
        return a.affiliation, b.affiliation, group_evidence(rec, compiled, a, b), True
    ranking = rec["ranking"]
    la = ranking[0]["affiliation"]
    lb = ranking[1]["affiliation"] if len(ranking) > 1 else la
    return la, lb, [(e["weight_db_by"].get(la, 0.0), e["weight_db_by"].get(lb, 0.0)) for e in rec["evidence"]], False


@dataclass(frozen=True)
class Located:
    """Where a sighting was: a point (lon, lat) and how it was found, or None and why not."""

    lon: float | None
    lat: float | None
    how: str
    """``sighting`` (its own lat/lon), ``gazetteer`` (a catalog place), or why there is no point."""


def locate(rec: dict[str, Any], compiled: Any) -> Located:
    """The point of a sighting: its own lat/lon, else a catalog place with coordinates named in its place text."""
    s = sighting_of(rec)
    lat, lon = s["lat"], s["lon"]
    if isinstance(lat, (int, float)) and isinstance(lon, (int, float)):
        return Located(float(lon), float(lat), "sighting")
    place = s["place"]
    if not place:
        return Located(None, None, "no place and no coordinates given")
    coords = getattr(compiled, "place_coords", None) or {}
    from equipid.normalize import key, scan_text

    hit = coords.get(key(place))
    if hit is None and key(place) not in getattr(compiled, "place_keys", {}):
        names = _places_named(scan_text(place).split(), compiled)
        found = {coords.get(k) for k in names}
        if found == {None} or not found:
            if names:
                return Located(None, None, f"place {place!r} names no catalog place with coordinates ({', '.join(sorted(names))})")
        elif None in found or len(found) > 1:
            return Located(None, None, f"place {place!r} names more than one catalog place")
        else:
            hit = found.pop()
    if hit is None:
        return Located(None, None, f"place {place!r} has no coordinates in the catalog gazetteer")
    return Located(float(hit[1]), float(hit[0]), f"gazetteer: {hit[2]}")


def _places_named(words: list[str], compiled: Any, longest: int = 6) -> set[str]:
    """The place keys a text names as whole words, a name inside a longer one dropped ("Donetsk" in "Donetsk oblast")."""
    keys = getattr(compiled, "place_keys", {})
    spans = []
    for i in range(len(words)):
        acc = ""
        for j in range(i, min(i + longest, len(words))):
            acc += words[j]
            if acc in keys:
                spans.append((i, j, acc))
    return {k for i, j, k in spans if not any(a <= i and j <= b and (a, b) != (i, j) for a, b, _ in spans)}


def month_of(date_text: str | None) -> str:
    """The YYYY-MM of a date as given (YYYY alone for a year; ``(no date)`` without one)."""
    if not date_text:
        return "(no date)"
    return date_text[:7] if len(date_text) >= 7 and date_text[4] == "-" else date_text[:4]
