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
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from equipid import dates
from equipid.compiled import Compiled, Cond, need_groups
from equipid.matcher import Observations
from equipid.scale import ICD203, LIKELIHOOD, OUT_OF_DATE_DISCOUNT

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


#: One 'look for next' suggestion: (indicator, missing items, information in
#: bits rounded to 3 places, leading leaf, second leaf).
_Pick = tuple[int, tuple[str, ...], float, int, int]


@dataclass
class Fired:
    """The evidence of one sighting, before it is weighed."""

    present: list[tuple[int, float]] = field(default_factory=list)
    """(indicator, confidence) of the indicators that fired."""
    absent: list[int] = field(default_factory=list)
    """Indicators whose single item was looked for and not found."""
    superseded: list[tuple[int, int]] = field(default_factory=list)
    """(superseded, by) pairs, for the explanation."""
    done: set[int] = field(default_factory=set)
    """Every indicator that fired (superseded or not) or was found absent."""


@dataclass
class _Assessed:
    """A scored chunk before rendering: per record, in input order."""

    ctxs: list[Context]
    fires: list[Fired]
    labels: list[str]
    post: list[list[float]]
    order: list[list[int]]
    words: list[list[int]]
    gsum: list[list[float]]
    gorder: list[list[int]]
    gwords: list[list[int]]
    woe: tuple[list[float], list[float]]
    """Weights of the present evidence, flat over the chunk, for (leader, second)."""
    woe_abs: tuple[list[float], list[float]]
    picks: list[list[_Pick]]


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


def compile_fn(c: Cond) -> Callable[[Context], float]:
    """Compile a condition to a closure: the hot path's form of :func:`evaluate`."""
    k = c[0]
    if k == "item":
        key = c[1]
        return lambda x: x.seen.get(key, 0.0)
    if k == "category":
        cat = c[1]
        return lambda x: x.cats.get(cat, 0.0)
    if k == "attribute":
        pair = (c[1], c[2])
        return lambda x: x.pairs.get(pair, 0.0)
    if k in ("all", "any") and c[1] and all(s[0] == "item" for s in c[1]):
        return _items_fn(k, tuple(s[1] for s in c[1]))
    if k == "all":
        subs = [compile_fn(s) for s in c[1]]

        def _all(x: Context) -> float:
            lo = 1.0
            for f in subs:
                v = f(x)
                if v <= 0.0:
                    return 0.0
                if v < lo:
                    lo = v
            return lo

        return _all
    if k == "any":
        subs = [compile_fn(s) for s in c[1]]
        return lambda x: max([f(x) for f in subs])
    if k == "n_of":
        need, subs = c[1], [compile_fn(s) for s in c[2]]

        def _n_of(x: Context) -> float:
            vals = sorted([f(x) for f in subs], reverse=True)
            return vals[need - 1]

        return _n_of
    if k == "not":
        sub = compile_fn(c[1])
        return lambda x: 0.0 if sub(x) > 0.0 else 1.0
    return lambda x: evaluate(c, x)


def _items_fn(kind: str, keys: tuple[str, ...]) -> Callable[[Context], float]:
    """:func:`compile_fn` of an ``all`` or ``any`` of items alone: one C-level pass over seen."""
    zeros = (0.0,) * len(keys)
    if kind == "any":
        return lambda x: max(map(x.seen.get, keys, zeros))

    def _all_items(x: Context) -> float:
        lo = min(map(x.seen.get, keys, zeros))
        return 0.0 if lo <= 0.0 else lo if lo < 1.0 else 1.0

    return _all_items


def _simple(c: Cond) -> bool:
    """True when a condition speaks only of items and categories being present."""
    k = c[0]
    if k in ("item", "category"):
        return True
    if k in ("all", "any"):
        return all(_simple(s) for s in c[1])
    if k == "n_of":
        return all(_simple(s) for s in c[2])
    return False


def _context_only(c: Cond) -> bool:
    """True for an ``all`` of present items plus date and country ranges.

    Such a condition, with its items supposed present, depends on the
    sighting's date and country alone, so whether it could fire is cached.
    """
    if c[0] != "all":
        return False
    return all(s[0] in ("date", "country") or (_simple(s) and _sure(s)) for s in c[1])


def _sure(c: Cond) -> bool:
    """True when a simple condition holds as soon as all its own items are present.

    Not so for a category: whether it holds depends on the sighting's other
    items, which a cache keyed on date and country alone cannot see.
    """
    k = c[0]
    if k == "item":
        return True
    if k == "all":
        return all(_sure(s) for s in c[1])
    if k == "any":
        return any(_sure(s) for s in c[1])
    if k == "n_of":
        return sum(1 for s in c[2] if _sure(s)) >= c[1]
    return False


class Scorer:
    """Scores :class:`Observations` with one compiled catalog."""

    def __init__(self, compiled: Compiled) -> None:
        self.c = compiled
        n_leaves = len(compiled.leaves)
        self.P = np.array(compiled.ind_p, dtype=np.float64).reshape(-1, n_leaves)
        self.Q = 1.0 - self.P
        self.LP = np.log10(self.P)
        self.L1P = np.log10(np.clip(self.Q, 1e-9, 1.0))
        self.n_ind = self.P.shape[0]
        self.n_leaves = n_leaves
        self._prior_cache: dict[tuple[Any, ...], tuple[str, np.ndarray]] = {}
        self._uniform = np.full(n_leaves, -math.log10(max(n_leaves, 1)))
        self._ind_names = [i["name"] for i in compiled.indicators]
        self._ind_ids = [i["id"] for i in compiled.indicators]
        self._fns = [compile_fn(cond) for cond in compiled.ind_cond]
        self._simple = [_simple(cond) for cond in compiled.ind_cond]
        self._single_item = {n: cond[1] for n, cond in enumerate(compiled.ind_cond) if cond[0] == "item"}
        self._item_of: list[str | None] = [cond[1] if cond[0] == "item" else None for cond in compiled.ind_cond]
        self._single_by_item: dict[str, list[int]] = {}
        for n, iid in self._single_item.items():
            self._single_by_item.setdefault(iid, []).append(n)
        trig = compiled.ind_triggers
        self._trig_item = {k: t for k, t in trig.items() if not k.startswith(("cat:", "absent:"))}
        self._trig_cat = {k[4:]: t for k, t in trig.items() if k.startswith("cat:")}
        self._trig_absent = {k[7:]: t for k, t in trig.items() if k.startswith("absent:")}
        self._date_problems: dict[tuple[str, tuple[int, int]], str | None] = {}
        self._paths = [list(p) for p in compiled.paths]
        self._group_m = np.zeros((n_leaves, len(compiled.groups)))
        for g, gid in enumerate(compiled.groups):
            for j in compiled.group_leaves[gid]:
                self._group_m[j, g] = 1.0
        self._bounds = np.array([b for b, _ in ICD203[:-1]])
        self._words = [w for _, w in ICD203]
        self._favour = [self._sides(self.P[i]) for i in range(self.n_ind)]
        self._favour_absent = [self._sides(self.Q[i]) for i in range(self.n_ind)]
        self._why: dict[tuple[int, int, int], str] = {}
        self._pair_cache: dict[tuple[int, int], np.ndarray] = {}
        self._pair_arrays_cache: dict[tuple[int, int], tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}
        self._fire_cache: dict[tuple[Any, ...], bool] = {}
        self._ctx_only = [_context_only(cond) for cond in compiled.ind_cond]
        # Look for next: the catalog items each indicator needs, and what
        # supposing them seen adds (see _could_fire).
        # A named force is not something to go and look for: actor items are left out.
        self._lfn_groups = [
            tuple(g for g in (tuple(it for it in grp if it in compiled.items and compiled.category.get(it) != "actor")
                              for grp in need_groups(cond)) if g)
            for cond in compiled.ind_cond
        ]
        self._lfn_names: dict[tuple[int, tuple[str, ...]], str] = {}
        self._supposed: dict[tuple[int, tuple[str, ...]], tuple[frozenset[str], frozenset[str]]] = {}
        self._supposed_pairs = [frozenset((a, b) for a in its for b in its) for its in compiled.ind_items]
        self._encoder: Any = None
        # Effective in-service span per item: its own 'from', else its family's.
        self._span: dict[str, tuple[int | None, int | None]] = {}
        for item in compiled.items:
            own = compiled.in_service.get(item)
            first = own[0] if own else None
            until = own[1] if own else None
            if first is None:
                for a in compiled.ancestors.get(item, ())[1:]:
                    s = compiled.in_service.get(a)
                    if s and s[0] is not None:
                        first = s[0]
                        break
            if first is not None or until is not None:
                self._span[item] = (first, until)

    def _sides(self, p: np.ndarray) -> tuple[list[str], list[str]]:
        best, worst = float(p.max()), float(p.min())
        fav = [self.c.leaves[j] for j in range(self.n_leaves) if p[j] >= best - 1e-12]
        against = [self.c.leaves[j] for j in range(self.n_leaves) if p[j] <= worst + 1e-12]
        half = self.n_leaves // 2
        return (fav if len(fav) <= half else []), (against if len(against) <= half and best > worst else [])

    # -- context -------------------------------------------------------
    def context(self, obs: Observations) -> Context:
        """Expand observations through the variant_of families; check dates."""
        anc = self.c.ancestors
        cat = self.c.category
        seen: dict[str, float] = {}
        cats: dict[str, float] = {}
        pairs: dict[tuple[str, str], float] = {}
        warned: set[str] = set()
        when = obs.date
        span = self._span if when is not None else {}
        for o in obs.items:
            conf = o.confidence
            item = o.item
            if item in span:
                why = self._date_problem_cached(item, when)  # type: ignore[arg-type]
                if why:
                    conf *= OUT_OF_DATE_DISCOUNT
                    if item not in warned:
                        warned.add(item)
                        obs.warnings.append(why)
            chain = anc.get(item, (item,))
            for a in chain:
                if seen.get(a, 0.0) < conf:
                    seen[a] = conf
            ct = cat.get(item)
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
        return Context(seen, cats, pairs, absent, when, obs.country)

    def _date_problem_cached(self, item: str, when: tuple[int, int]) -> str | None:
        key = (item, when)
        if key in self._date_problems:
            return self._date_problems[key]
        hit = self._date_problem(item, when)
        if len(self._date_problems) > 100_000:
            self._date_problems.clear()
        self._date_problems[key] = hit
        return hit

    def _date_problem(self, item: str, when: tuple[int, int]) -> str | None:
        first, until = self._span.get(item, (None, None))
        if (first is None or when[1] >= first) and (until is None or when[0] <= until):
            return None
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
        seen = ctx.seen
        cand.update(*[t for t in map(self._trig_item.get, seen) if t])
        if ctx.cats:
            cand.update(*[t for t in map(self._trig_cat.get, ctx.cats) if t])
        if ctx.absent:
            cand.update(*[t for t in map(self._trig_absent.get, ctx.absent) if t])
        fns = self._fns
        item_of = self._item_of
        fired: dict[int, float] = {}
        for n in sorted(cand):
            key = item_of[n]
            # NOTE: a lone-item indicator (most of them) is read straight from seen.
            v = seen.get(key, 0.0) if key is not None else fns[n](ctx)
            if v > 0.0:
                fired[n] = v
        out = Fired()
        sup = self.c.ind_supersedes
        for n in fired:
            for s in sup[n]:
                if s in fired:
                    out.superseded.append((s, n))
        if out.superseded:
            gone = {s for s, _ in out.superseded}
            out.present = [(n, v) for n, v in fired.items() if n not in gone]
        else:
            out.present = list(fired.items())
        if ctx.absent:
            single = self._single_by_item
            out.absent = sorted(n for iid in ctx.absent for n in single.get(iid, ()) if n not in fired)
        out.done = set(fired)
        out.done.update(out.absent)
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
    def score(self, obs: Observations) -> dict[str, Any]:
        """Score one sighting."""
        return self.score_chunk([obs])[0]

    def score_chunk(self, observations: list[Observations], *, explain: bool = True) -> list[dict[str, Any]]:
        """Score many sightings at once; one contract record per sighting.

        Everything numeric is done on arrays for the whole chunk: the
        posterior, group sums, ICD words, every weight of evidence and the
        information gain of every unobserved indicator.
        """
        if not observations:
            return []
        a = self._assess(observations, explain)
        out = []
        ev_at = 0
        ab_at = 0
        woe, woe_abs = a.woe, a.woe_abs
        for r, (o, cx, f) in enumerate(zip(observations, a.ctxs, a.fires, strict=True)):
            k = len(f.present)
            ka = len(f.absent)
            lfn = [self._lfn_dict(*pick) for pick in a.picks[r]]
            out.append(self._record(o, cx, f, a.post[r], a.order[r], a.words[r], a.gsum[r],
                                    a.gorder[r], a.gwords[r], woe[0][ev_at:ev_at + k], woe[1][ev_at:ev_at + k],
                                    woe_abs[0][ab_at:ab_at + ka], woe_abs[1][ab_at:ab_at + ka], a.labels[r], lfn))
            ev_at += k
            ab_at += ka
        return out

    def score_chunk_jsonl(self, observations: list[Observations], *, explain: bool = True) -> tuple[list[bytes], list[int]]:
        """:meth:`score_chunk` as encoded JSON (one bytes per record), and each record's leading leaf."""
        if not observations:
            return [], []
        if self._encoder is None:
            from equipid.encode import JsonlEncoder

            self._encoder = JsonlEncoder(self)
        a = self._assess(observations, explain)
        return self._encoder.records(observations, a), [o[0] for o in a.order]

    def _assess(self, observations: list[Observations], explain: bool) -> _Assessed:
        """The numbers behind the records of a chunk, before they are rendered."""
        n = len(observations)
        ctxs = [self.context(o) for o in observations]
        fires = [self.fire(cx) for cx in ctxs]
        rows: list[int] = []
        cols: list[int] = []
        confs: list[float] = []
        arows: list[int] = []
        acols: list[int] = []
        for r, f in enumerate(fires):
            if f.present:
                rows += [r] * len(f.present)
                for i, v in f.present:
                    cols.append(i)
                    confs.append(v)
            if f.absent:
                arows += [r] * len(f.absent)
                acols += f.absent
        prior = [self.prior(o) for o in observations]
        labels = [label for label, _ in prior]
        for o, label in zip(observations, labels, strict=True):
            # NOTE: say when the result rests on less than it seems to.
            if label == "uniform" and o.country is not None:
                o.warnings.append(f"the catalog has no theatre prior for {o.country} at this date: every affiliation starts equal")
            if not o.items and not o.absent:
                o.warnings.append("nothing in this sighting was recognised: the result is the prior alone")
        priors = np.array([lp for _, lp in prior], dtype=np.float64).reshape(n, self.n_leaves)
        logpost = priors.copy()
        R = np.array(rows, dtype=np.intp)
        I_ = np.array(cols, dtype=np.intp)
        C = np.array(confs)
        if rows:
            np.add.at(logpost, R, C[:, None] * self.LP[I_])
        RA = np.array(arows, dtype=np.intp)
        IA = np.array(acols, dtype=np.intp)
        if arows:
            np.add.at(logpost, RA, self.L1P[IA])
        logpost -= logpost.max(axis=1, keepdims=True)
        post = np.power(10.0, logpost)
        post /= post.sum(axis=1, keepdims=True)
        order = np.argsort(-post, axis=1, kind="stable")
        top = order[:, 0]
        second = order[:, 1] if self.n_leaves > 1 else order[:, 0]
        prior_w = np.power(10.0, priors)
        prior_w /= prior_w.sum(axis=1, keepdims=True)
        woe = self._woe(self.P, R, I_, C, prior_w, top, second)
        woe_abs = self._woe(self.Q, RA, IA, np.ones(len(arows)), prior_w, top, second)
        gsum = post @ self._group_m
        gorder = np.argsort(-gsum, axis=1, kind="stable")
        words = np.searchsorted(self._bounds, post, side="right")
        gwords = np.searchsorted(self._bounds, gsum, side="right")
        picks = self._look_for_next_chunk(ctxs, fires, post, top, second) if explain else [[] for _ in range(n)]
        return _Assessed(ctxs, fires, labels, post.tolist(), order.tolist(), words.tolist(), gsum.tolist(), gorder.tolist(),
                         gwords.tolist(), woe, woe_abs, picks)

    @staticmethod
    def _woe(P: np.ndarray, R: np.ndarray, I_: np.ndarray, C: np.ndarray, prior_w: np.ndarray,
             top: np.ndarray, second: np.ndarray) -> tuple[list[float], list[float]]:
        """Weights of evidence (dB) of each (record, indicator) for the two leading leaves.

        For leaf h: 10·c·log10(P(e|h) / P(e|not h)), where P(e|not h) averages
        the other leaves' likelihoods under the prior.
        """
        if len(R) == 0:
            return [], []
        Pi = P[I_]
        Wr = prior_w[R]
        dot = np.einsum("ij,ij->i", Pi, Wr)
        ar = np.arange(len(R))
        res = []
        for h in (top[R], second[R]):
            ph = Pi[ar, h]
            wh = Wr[ar, h]
            rest = (dot - ph * wh) / np.maximum(1.0 - wh, 1e-12)
            w = 10.0 * C * np.log10(np.maximum(ph, 1e-12) / np.maximum(rest, 1e-12))
            res.append(np.round(w, 2).tolist())
        return res[0], res[1]

    def _record(self, obs: Observations, ctx: Context, f: Fired, probs: list[float], order: list[int], words: list[int],
                gsum: list[float], gorder: list[int], gwords: list[int], w_top: list[float], w_second: list[float],
                wa_top: list[float], wa_second: list[float], prior_label: str, lfn: list[dict[str, Any]]) -> dict[str, Any]:
        c = self.c
        leaves = c.leaves
        W = self._words
        paths = self._paths
        ranking = [{"affiliation": leaves[j], "probability": probs[j], "estimate": W[words[j]], "path": paths[j]} for j in order]
        groups = [{"affiliation": c.groups[g], "probability": gsum[g], "estimate": W[gwords[g]]} for g in gorder]
        la, lb = leaves[order[0]], leaves[order[1] if len(order) > 1 else order[0]]
        evidence = []
        for (i, v), a, b in zip(f.present, w_top, w_second, strict=True):
            evidence.append(self._evidence(i, v, a, b, la, lb, ctx, False))
        for i, a, b in zip(f.absent, wa_top, wa_second, strict=True):
            evidence.append(self._evidence(i, 1.0, a, b, la, lb, ctx, True))
        if len(evidence) > 1:
            evidence.sort(key=lambda e: -abs(e["weight_db"]))
        rec: dict[str, Any] = {
            "id": obs.id,
            "ranking": ranking,
            "groups": groups,
            "evidence": evidence,
            "unmatched": list(dict.fromkeys(obs.unmatched)),
            "warnings": list(dict.fromkeys(obs.warnings)),
            "look_for_next": lfn,
            "prior": prior_label,
            "matched": [
                {"said": o.said, "item": o.item, "name": c.items[o.item]["name"], "how": o.how,
                 "confidence": o.confidence, **({"count": o.count} if o.count != 1 else {})}
                for o in obs.items
            ],
        }
        if f.superseded:
            rec["superseded"] = [{"indicator": self._ind_ids[s], "by": self._ind_ids[b]} for s, b in f.superseded]
        if obs.extra:
            rec["extra"] = obs.extra
        return rec

    def _evidence(self, i: int, conf: float, w_top: float, w_second: float, la: str, lb: str,
                  ctx: Context, absent: bool) -> dict[str, Any]:
        fav, against = (self._favour_absent if absent else self._favour)[i]
        items = [it for it in self.c.ind_items[i] if it in ctx.seen or it in ctx.absent]
        return {
            "indicator": self._ind_ids[i],
            "name": ("absent: " if absent else "") + self._ind_names[i],
            "items": items,
            "confidence": conf,
            "weight_db": w_top,
            "weight_db_by": {la: w_top, lb: w_second},
            "favours": fav,
            "disfavours": against,
            "rationale": self.c.indicators[i]["rationale"],
        }

    # -- what to look for next ------------------------------------------
    def _look_for_next_chunk(self, ctxs: list[Context], fires: list[Fired], post: np.ndarray,
                             top: np.ndarray, second: np.ndarray, k: int = 3) -> list[list[_Pick]]:
        """For each record, the unobserved evidence that best separates its two leading leaves.

        Expected information gain (bits) of learning whether an indicator
        fires, with belief restricted to the two leaders. Records are grouped
        by their pair of leaders, and only the indicators that tell that pair
        apart (different likelihoods) are weighed.
        """
        n = len(ctxs)
        out: list[list[_Pick]] = [[] for _ in range(n)]
        if self.n_ind == 0 or self.n_leaves < 2:
            return out
        ar = np.arange(n)
        pa = post[ar, top]
        pb = post[ar, second]
        wa_all = pa / np.maximum(pa + pb, 1e-300)
        pair_key = top * self.n_leaves + second
        # Rows grouped by pair with one stable sort (ascending rows within a pair).
        by_pair = np.argsort(pair_key, kind="stable")
        keys, starts = np.unique(pair_key[by_pair], return_index=True)
        ends = [*starts[1:].tolist(), n]
        for key, start, end in zip(keys.tolist(), starts.tolist(), ends, strict=True):
            a, b = divmod(int(key), self.n_leaves)
            cols, qa, qb, qa1 = self._pair_arrays(a, b)
            if len(cols) == 0:
                continue
            rows = by_pair[start:end]
            wa = wa_all[rows][:, None]
            pe = wa * qa + (1.0 - wa) * qb
            gain = _h2v(wa) - (pe * _h2v(wa * qa / pe) + (1.0 - pe) * _h2v(wa * qa1 / (1.0 - pe)))
            ridx = np.arange(len(rows))[:, None]
            m = min(len(cols), 12)
            if m < len(cols):
                part = np.argpartition(-gain, m - 1, axis=1)[:, :m]
                best = part[ridx, np.argsort(-gain[ridx, part], axis=1, kind="stable")]
            else:
                best = np.argsort(-gain, axis=1, kind="stable")
            ranked_cols = cols[best].tolist()
            ranked_gain = gain[ridx, best].tolist()
            for r, rc, rg in zip(rows.tolist(), ranked_cols, ranked_gain, strict=True):
                out[r] = self._pick(ctxs[r], fires[r], rc, rg, a, b, k)
        return out

    def _pair_arrays(self, a: int, b: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(indicators telling leaves ``a`` and ``b`` apart, P for a, P for b, 1 - P for a) as row vectors."""
        key = (a, b)
        hit = self._pair_arrays_cache.get(key)
        if hit is None:
            cols = self._pair_cols(a, b)
            qa = self.P[cols, a][None, :]
            hit = (cols, qa, self.P[cols, b][None, :], 1.0 - qa)
            self._pair_arrays_cache[key] = hit
        return hit

    def _pair_cols(self, a: int, b: int) -> np.ndarray:
        """Indicators whose likelihoods differ between leaves ``a`` and ``b``."""
        key = (a, b)
        hit = self._pair_cache.get(key)
        if hit is None:
            hit = np.nonzero(np.abs(self.P[:, a] - self.P[:, b]) > 1e-12)[0]
            self._pair_cache[key] = hit
        return hit

    def _pick(self, ctx: Context, f: Fired, row: list[int], gains: list[float], a: int, b: int, k: int) -> list[_Pick]:
        done = f.done
        out: list[_Pick] = []
        shown: set[tuple[str, ...]] = set()
        seen = ctx.seen
        lfn_groups = self._lfn_groups
        simple = self._simple
        for i, gi in zip(row, gains, strict=True):
            if gi <= 1e-4:
                break
            if i in done:
                continue
            groups = lfn_groups[i]
            missing: tuple[str, ...]
            if len(groups) == 1 and len(groups[0]) == 1:
                need = groups[0]
                if need[0] in seen or need in shown:
                    continue
                missing = need
            else:
                missing = tuple([it for g in groups if not any(x in seen for x in g) for it in g])
                if not missing or missing in shown:
                    continue
            if not simple[i] and not self._could_fire_cached(i, ctx, missing):
                continue
            shown.add(missing)
            out.append((i, missing, round(gi, 3), a, b))
            if len(out) == k:
                break
        return out

    def lfn_name(self, i: int, missing: tuple[str, ...]) -> str:
        """What to look for, in words: the groups still unmet, "A or B" within a group, "+" between groups."""
        key = (i, missing)
        hit = self._lfn_names.get(key)
        if hit is None:
            names = self.c.items
            want = set(missing)
            hit = " + ".join(" or ".join(names[it]["name"] for it in g) for g in self._lfn_groups[i] if want.issuperset(g))
            if len(self._lfn_names) > 100_000:
                self._lfn_names.clear()
            self._lfn_names[key] = hit
        return hit

    def _lfn_dict(self, i: int, missing: tuple[str, ...], bits: float, a: int, b: int) -> dict[str, Any]:
        return {
            "items": list(missing),
            "name": self.lfn_name(i, missing),
            "indicator": self._ind_ids[i],
            "information_bits": bits,
            "why": self._why_text(i, a, b),
        }

    def _why_text(self, i: int, a: int, b: int) -> str:
        key = (i, a, b)
        hit = self._why.get(key)
        if hit is None:
            qa, qb = float(self.P[i, a]), float(self.P[i, b])
            hit = (f"{_WORD_OF.get(qa, f'{qa:.2f}')} for {self.c.leaves[a]}, {_WORD_OF.get(qb, f'{qb:.2f}')} for "
                   f"{self.c.leaves[b]}: {self.c.indicators[i]['rationale']}")
            if len(self._why) > 100_000:
                self._why.clear()
            self._why[key] = hit
        return hit

    def look_for_next(self, ctx: Context, f: Fired, a: int, b: int, post: np.ndarray, k: int = 3) -> list[dict[str, Any]]:
        """The unobserved evidence that best separates leaves ``a`` and ``b`` for one sighting."""
        if a == b:
            return []
        picks = self._look_for_next_chunk([ctx], [f], post[None, :], np.array([a]), np.array([b]), k)[0]
        return [self._lfn_dict(*pick) for pick in picks]

    def _could_fire_cached(self, i: int, ctx: Context, missing: tuple[str, ...]) -> bool:
        """:meth:`_could_fire`, remembered where only the date and country matter."""
        if not self._ctx_only[i]:
            return self._could_fire(i, ctx, missing)
        key = (i, ctx.date, ctx.country)
        hit = self._fire_cache.get(key)
        if hit is None:
            hit = self._could_fire(i, ctx, missing)
            if len(self._fire_cache) > 100_000:
                self._fire_cache.clear()
            self._fire_cache[key] = hit
        return hit

    def _could_fire(self, i: int, ctx: Context, missing: tuple[str, ...]) -> bool:
        """Would indicator ``i`` fire if the ``missing`` items (and their families) were seen too?"""
        key = (i, missing)
        more = self._supposed.get(key)
        if more is None:
            anc, cat = self.c.ancestors, self.c.category
            more = (frozenset(x for m in missing for x in anc.get(m, (m,))), frozenset(cat.get(m, "") for m in missing))
            if len(self._supposed) > 100_000:
                self._supposed.clear()
            self._supposed[key] = more
        return _could_hold(self.c.ind_cond[i], ctx, more[0], more[1], self._supposed_pairs[i])


def _could_hold(c: Cond, ctx: Context, seen: frozenset[str], cats: frozenset[str], pairs: frozenset[tuple[str, str]]) -> bool:
    """Whether :func:`evaluate` gives more than 0 once ``seen``, ``cats`` and ``pairs`` are added to ``ctx``.

    Only whether each part is above 0 decides that, so the supposed items
    need no confidences, and ``ctx`` is not copied.
    """
    k = c[0]
    if k == "item":
        return ctx.seen.get(c[1], 0.0) > 0.0 or c[1] in seen
    if k == "category":
        return ctx.cats.get(c[1], 0.0) > 0.0 or c[1] in cats
    if k == "attribute":
        pair = (c[1], c[2])
        return ctx.pairs.get(pair, 0.0) > 0.0 or pair in pairs
    if k == "all":
        return all(_could_hold(s, ctx, seen, cats, pairs) for s in c[1])
    if k == "any":
        return any(_could_hold(s, ctx, seen, cats, pairs) for s in c[1])
    if k == "n_of":
        return sum(1 for s in c[2] if _could_hold(s, ctx, seen, cats, pairs)) >= c[1]
    if k == "not":
        return not _could_hold(c[1], ctx, seen, cats, pairs)
    return evaluate(c, ctx) > 0.0  # absent, date, country: untouched by the supposition


def _h2(p: float) -> float:
    if p <= 0.0 or p >= 1.0:
        return 0.0
    return -(p * math.log2(p) + (1 - p) * math.log2(1 - p))


def _h2v(p: np.ndarray) -> np.ndarray:
    q = np.clip(p, 1e-12, 1 - 1e-12)
    return -(q * np.log2(q) + (1 - q) * np.log2(1 - q))
