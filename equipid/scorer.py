"""Score observations against the affiliations: the evidence model.

Posterior ∝ prior × Π P(evidence | affiliation)^confidence, in log10 space,
over the leaf affiliations. Each fired indicator's contribution is reported
as a weight of evidence in decibans (10·log10 of a likelihood ratio). What
to look for next is the unobserved evidence with the highest expected
information gain between the two leading hypotheses.

A chunk of sightings is scored at once: one matrix product of the chunk's
(record × indicator) confidences with the (indicator × leaf) log-likelihoods.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from equipid import dates
from equipid.compiled import Compiled, Cond
from equipid.matcher import Observations
from equipid.scale import LIKELIHOOD, OUT_OF_DATE_DISCOUNT, icd203

_WORD_OF = {v: k for k, v in LIKELIHOOD.items()}


@dataclass
class Context:
    """What the conditions of the indicators are evaluated against."""

    seen: dict[str, float]
    """Item ids (with their variant_of ancestors) -> confidence."""
    cats: dict[str, float]
    pairs: dict[tuple[str, str], float]
    absent: set[str]
    date: tuple[int, int] | None
    country: str | None


@dataclass
class Fired:
    """The evidence of one sighting, before it is weighed."""

    present: list[tuple[int, float]] = field(default_factory=list)
    """(indicator, confidence) of the indicators that fired."""
    absent: list[int] = field(default_factory=list)
    """Indicators whose single item was looked for and not found."""
    superseded: list[tuple[int, int]] = field(default_factory=list)
    """(superseded, by) pairs, for the explanation."""


def evaluate(c: Cond, ctx: Context) -> float:
    """Confidence with which condition ``c`` holds in ``ctx`` (0.0: it does not)."""
    k = c[0]
    if k == "item":
        return ctx.seen.get(c[1], 0.0)
    if k == "category":
        return ctx.cats.get(c[1], 0.0)
    if k == "attribute":
        return ctx.pairs.get((c[1], c[2]), 0.0)
    if k == "all":
        lo = 1.0
        for s in c[1]:
            v = evaluate(s, ctx)
            if v <= 0.0:
                return 0.0
            lo = min(lo, v)
        return lo
    if k == "any":
        return max((evaluate(s, ctx) for s in c[1]), default=0.0)
    if k == "n_of":
        vals = sorted((evaluate(s, ctx) for s in c[2]), reverse=True)
        return vals[c[1] - 1] if len(vals) >= c[1] else 0.0
    if k == "not":
        return 0.0 if evaluate(c[1], ctx) > 0.0 else 1.0
    if k == "absent":
        return 1.0 if c[1] in ctx.absent else 0.0
    if k == "date":
        if ctx.date is None:
            return 0.0
        lo, hi = c[1], c[2]
        return 1.0 if (lo is None or ctx.date[0] >= lo) and (hi is None or ctx.date[1] <= hi) else 0.0
    if k == "country":
        return 1.0 if ctx.country is not None and ctx.country in c[1] else 0.0
    raise ValueError(k)  # pragma: no cover


class Scorer:
    """Scores :class:`Observations` with one compiled catalog."""

    def __init__(self, compiled: Compiled) -> None:
        self.c = compiled
        n_leaves = len(compiled.leaves)
        self.P = np.array(compiled.ind_p, dtype=np.float64).reshape(-1, n_leaves)
        self.LP = np.log10(self.P)
        self.L1P = np.log10(np.clip(1.0 - self.P, 1e-9, 1.0))
        self.n_ind = self.P.shape[0]
        self.n_leaves = n_leaves
        self._prior_cache: dict[tuple[Any, ...], tuple[str, np.ndarray]] = {}
        self._uniform = np.full(n_leaves, -math.log10(max(n_leaves, 1)))
        self._ind_names = [i["name"] for i in compiled.indicators]
        self._ind_ids = [i["id"] for i in compiled.indicators]
        self._single_item = {
            n: cond[1] for n, cond in enumerate(compiled.ind_cond) if cond[0] == "item"
        }
        self._single_by_item: dict[str, list[int]] = {}
        for n, iid in self._single_item.items():
            self._single_by_item.setdefault(iid, []).append(n)

    # -- context -------------------------------------------------------
    def context(self, obs: Observations) -> Context:
        """Expand observations through the variant_of families; check dates."""
        anc = self.c.ancestors
        cat = self.c.category
        seen: dict[str, float] = {}
        cats: dict[str, float] = {}
        pairs: dict[tuple[str, str], float] = {}
        warned: set[str] = set()
        for o in obs.items:
            conf = o.confidence
            if obs.date is not None:
                why = self._date_problem(o.item, obs.date)
                if why:
                    conf *= OUT_OF_DATE_DISCOUNT
                    if o.item not in warned:
                        warned.add(o.item)
                        obs.warnings.append(why)
            chain = anc.get(o.item, (o.item,))
            for a in chain:
                if seen.get(a, 0.0) < conf:
                    seen[a] = conf
            ct = cat.get(o.item)
            if ct and cats.get(ct, 0.0) < conf:
                cats[ct] = conf
            for attr in o.attributes:
                for a in chain:
                    for b in anc.get(attr, (attr,)):
                        if pairs.get((a, b), 0.0) < conf:
                            pairs[(a, b)] = conf
        absent: set[str] = set()
        for a in obs.absent:
            absent.add(a)
            absent.update(self.c.descendants(a))
        return Context(seen, cats, pairs, absent, obs.date, obs.country)

    def _date_problem(self, item: str, when: tuple[int, int]) -> str | None:
        span = self.c.in_service.get(item)
        first = span[0] if span else None
        until = span[1] if span else None
        if first is None:
            for a in self.c.ancestors.get(item, ())[1:]:
                s = self.c.in_service.get(a)
                if s and s[0] is not None:
                    first = s[0]
                    break
        name = self.c.items.get(item, {}).get("name", item)
        if first is not None and when[1] < first:
            return (f"{name} seen by {dates.ordinal_to_iso(when[1])} but in service only from "
                    f"{dates.ordinal_to_iso(first)[:7]}: misidentified, or a wrong date? Its evidence is discounted")
        if until is not None and when[0] > until:
            return (f"{name} seen from {dates.ordinal_to_iso(when[0])} but withdrawn by "
                    f"{dates.ordinal_to_iso(until)[:7]}: misidentified, or a wrong date? Its evidence is discounted")
        return None

    # -- evidence ------------------------------------------------------
    def fire(self, ctx: Context) -> Fired:
        """The indicators that fire in ``ctx``, after supersession."""
        cand: set[int] = set(self.c.ind_always)
        trig = self.c.ind_triggers
        for k in ctx.seen:
            cand.update(trig.get(k, ()))
        for k in ctx.cats:
            cand.update(trig.get("cat:" + k, ()))
        for k in ctx.absent:
            cand.update(trig.get("absent:" + k, ()))
        fired: dict[int, float] = {}
        for n in sorted(cand):
            v = evaluate(self.c.ind_cond[n], ctx)
            if v > 0.0:
                fired[n] = v
        out = Fired()
        for n in list(fired):
            for s in self.c.ind_supersedes[n]:
                if s in fired:
                    out.superseded.append((s, n))
        gone = {s for s, _ in out.superseded}
        out.present = [(n, v) for n, v in fired.items() if n not in gone]
        if ctx.absent:
            for n, iid in self._single_item.items():
                if n not in fired and iid in ctx.absent:
                    out.absent.append(n)
        return out

    def prior(self, obs: Observations) -> tuple[str, np.ndarray]:
        """(label, log10 prior per leaf) for the sighting's country and date."""
        key = (obs.country, obs.date)
        hit = self._prior_cache.get(key)
        if hit is not None:
            return hit
        matched = []
        for pid, countries, first, last, weights in self.c.priors:
            if countries is not None and (obs.country is None or obs.country not in countries):
                continue
            if obs.date is not None:
                if first is not None and obs.date[1] < first:
                    continue
                if last is not None and obs.date[0] > last:
                    continue
            matched.append((pid, weights))
        if not matched or obs.country is None:
            res = ("uniform", self._uniform)
        else:
            mix = np.mean(np.array([w for _, w in matched]), axis=0)
            res = ("+".join(p for p, _ in matched), np.log10(np.maximum(mix, 1e-12)))
        if len(self._prior_cache) > 10_000:
            self._prior_cache.clear()
        self._prior_cache[key] = res
        return res

    # -- assessment ----------------------------------------------------
    def score_chunk(self, observations: list[Observations], *, explain: bool = True) -> list[dict[str, Any]]:
        """Score many sightings at once; one contract record per sighting."""
        n = len(observations)
        if n == 0:
            return []
        ctxs = [self.context(o) for o in observations]
        fires = [self.fire(cx) for cx in ctxs]
        W = np.zeros((n, self.n_ind))
        A = np.zeros((n, self.n_ind))
        priors = np.empty((n, self.n_leaves))
        labels = []
        for r, (o, f) in enumerate(zip(observations, fires, strict=False)):
            for i, v in f.present:
                W[r, i] = v
            for i in f.absent:
                A[r, i] = 1.0
            label, lp = self.prior(o)
            labels.append(label)
            priors[r] = lp
        logpost = priors + W @ self.LP
        if A.any():
            logpost += A @ self.L1P
        logpost -= logpost.max(axis=1, keepdims=True)
        post = np.power(10.0, logpost)
        post /= post.sum(axis=1, keepdims=True)
        return [
            self._record(o, cx, f, post[r], priors[r], labels[r], explain)
            for r, (o, cx, f) in enumerate(zip(observations, ctxs, fires, strict=False))
        ]

    def score(self, obs: Observations) -> dict[str, Any]:
        """Score one sighting."""
        return self.score_chunk([obs])[0]

    def _woe(self, i: int, h: int, prior: np.ndarray, conf: float, absent: bool = False) -> float:
        """Weight of evidence (dB) of indicator ``i`` for leaf ``h`` against the rest."""
        p = (1.0 - self.P[i]) if absent else self.P[i]
        w = np.power(10.0, prior)
        w_rest = w.sum() - w[h]
        if w_rest <= 0:
            return 0.0
        p_rest = (float(p @ w) - p[h] * w[h]) / w_rest
        return 10.0 * conf * math.log10(max(p[h], 1e-12) / max(p_rest, 1e-12))

    def _record(self, obs: Observations, ctx: Context, f: Fired, post: np.ndarray,
                prior: np.ndarray, prior_label: str, explain: bool) -> dict[str, Any]:
        c = self.c
        order = sorted(range(self.n_leaves), key=lambda j: (-post[j], j))
        probs = [float(x) for x in post]
        ranking = [
            {"affiliation": c.leaves[j], "probability": probs[j], "estimate": icd203(probs[j]), "path": list(c.paths[j])}
            for j in order
        ]
        sums = [(math.fsum(probs[j] for j in c.group_leaves[g]), g) for g in c.groups]
        sums.sort(key=lambda t: -t[0])
        groups = [{"affiliation": g, "probability": p, "estimate": icd203(p)} for p, g in sums]
        top, second = order[0], order[1] if self.n_leaves > 1 else order[0]
        evidence = []
        for i, v in f.present:
            evidence.append(self._evidence(i, v, prior, top, second, ctx, absent=False))
        for i in f.absent:
            evidence.append(self._evidence(i, 1.0, prior, top, second, ctx, absent=True))
        evidence.sort(key=lambda e: -abs(e["weight_db"]))
        rec: dict[str, Any] = {
            "id": obs.id,
            "ranking": ranking,
            "groups": groups,
            "evidence": evidence,
            "unmatched": list(dict.fromkeys(obs.unmatched)),
            "warnings": list(dict.fromkeys(obs.warnings)),
            "look_for_next": self.look_for_next(ctx, f, top, second, post) if explain else [],
            "prior": prior_label,
            "matched": [
                {"said": o.said, "item": o.item, "name": c.items[o.item]["name"], "how": o.how,
                 "confidence": o.confidence, **({"count": o.count} if o.count != 1 else {})}
                for o in obs.items
            ],
        }
        if f.superseded:
            rec["superseded"] = [
                {"indicator": self._ind_ids[s], "by": self._ind_ids[b]} for s, b in f.superseded
            ]
        if obs.extra:
            rec["extra"] = obs.extra
        return rec

    def _evidence(self, i: int, conf: float, prior: np.ndarray, top: int, second: int,
                  ctx: Context, absent: bool) -> dict[str, Any]:
        c = self.c
        p = (1.0 - self.P[i]) if absent else self.P[i]
        best, worst = float(p.max()), float(p.min())
        favours = [c.leaves[j] for j in range(self.n_leaves) if p[j] >= best - 1e-12]
        against = [c.leaves[j] for j in range(self.n_leaves) if p[j] <= worst + 1e-12]
        half = self.n_leaves // 2
        favours = favours if len(favours) <= half else []
        against = against if len(against) <= half and best > worst else []
        items = [it for it in c.ind_items[i] if it in ctx.seen or it in ctx.absent]
        w_top = round(self._woe(i, top, prior, conf, absent), 2)
        w_second = round(self._woe(i, second, prior, conf, absent), 2)
        return {
            "indicator": self._ind_ids[i],
            "name": ("absent: " if absent else "") + self._ind_names[i],
            "items": items,
            "confidence": conf,
            "weight_db": w_top,
            "weight_db_by": {c.leaves[top]: w_top, c.leaves[second]: w_second},
            "favours": favours,
            "disfavours": against,
            "rationale": c.indicators[i]["rationale"],
        }

    def look_for_next(self, ctx: Context, f: Fired, a: int, b: int, post: np.ndarray, k: int = 3) -> list[dict[str, Any]]:
        """The unobserved evidence that best separates leaves ``a`` and ``b``."""
        if a == b or self.n_ind == 0:
            return []
        pa, pb = float(post[a]), float(post[b])
        s = pa + pb
        wa, wb = pa / s, pb / s
        qa, qb = self.P[:, a], self.P[:, b]
        pe = wa * qa + wb * qb
        h0 = _h2(wa)
        with np.errstate(divide="ignore", invalid="ignore"):
            post_e = np.where(pe > 0, wa * qa / pe, 0.5)
            post_n = np.where(pe < 1, wa * (1 - qa) / (1 - pe), 0.5)
        gain = h0 - (pe * _h2v(post_e) + (1 - pe) * _h2v(post_n))
        done = {i for i, _ in f.present} | set(f.absent) | {s for s, _ in f.superseded}
        out: list[dict[str, Any]] = []
        shown: set[tuple[str, ...]] = set()
        for i in np.argsort(-gain, kind="stable")[: 12 + len(done)]:
            i = int(i)
            if gain[i] <= 1e-4 or i in done:
                continue
            missing = tuple(it for it in self.c.ind_items[i] if it not in ctx.seen and it in self.c.items)
            if not missing or missing in shown:
                continue
            if not self._could_fire(i, ctx, missing):
                continue
            shown.add(missing)
            la, lb = self.c.leaves[a], self.c.leaves[b]
            names = " + ".join(self.c.items[m]["name"] for m in missing)
            out.append({
                "items": list(missing),
                "name": names,
                "indicator": self._ind_ids[i],
                "information_bits": round(float(gain[i]), 3),
                "why": (f"{_WORD_OF.get(float(qa[i]), f'{qa[i]:.2f}')} for {la}, "
                        f"{_WORD_OF.get(float(qb[i]), f'{qb[i]:.2f}')} for {lb}: "
                        f"{self.c.indicators[i]['rationale']}"),
            })
            if len(out) == k:
                break
        return out

    def _could_fire(self, i: int, ctx: Context, missing: tuple[str, ...]) -> bool:
        seen = dict(ctx.seen)
        for m in missing:
            for x in self.c.ancestors.get(m, (m,)):
                seen[x] = 1.0
        cats = dict(ctx.cats)
        for m in missing:
            cats.setdefault(self.c.category.get(m, ""), 1.0)
        pairs = dict(ctx.pairs)
        cond = self.c.ind_cond[i]
        for it in self.c.ind_items[i]:
            for other in self.c.ind_items[i]:
                pairs.setdefault((it, other), 1.0)
        hypo = Context(seen, cats, pairs, ctx.absent, ctx.date, ctx.country)
        return evaluate(cond, hypo) > 0.0


def _h2(p: float) -> float:
    if p <= 0.0 or p >= 1.0:
        return 0.0
    return -(p * math.log2(p) + (1 - p) * math.log2(1 - p))


def _h2v(p: np.ndarray) -> np.ndarray:
    q = np.clip(p, 1e-12, 1 - 1e-12)
    return -(q * np.log2(q) + (1 - q) * np.log2(1 - q))
