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
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from equipid import dates
from equipid.catalog.compiled import Compiled
from equipid.catalog.conditions import REGISTRY
from equipid.catalog.conditions.base import ABSENT_TRIGGER, CATEGORY_TRIGGER, Context
from equipid.catalog.conditions.program import Program
from equipid.catalog.conditions.role import role_key
from equipid.catalog.scale import ICD203, LIKELIHOOD, LIKELY_CAP, OUT_OF_DATE_DISCOUNT, WEIGHED_ROLES, Weights
from equipid.sightings.matcher import Observations

_WORD_OF = {v: k for k, v in LIKELIHOOD.items()}


#: Look for next keeps to the kind of material that was seen. Kit on and
#: around a force (people, their weapons, vehicles and systems) and a strike
#: with what it leaves (bombs, missiles, loitering munitions) are seen in
#: different material: a photo of soldiers will not show the sarin bomb that
#: would tell two of their units apart, nor a missile's debris their patches.
#: The likelihood words weigh evidence within one such role ("characteristic:
#: expected in most sightings of such a unit in that role"), so across roles
#: they are no rates to compare. Categories that belong to either (munitions,
#: mines, explosives, tactics, aircraft, named forces, documents, areas) fit
#: both and, seen alone, do not say which.
_KIT, _STRIKE, _BOTH = 1, 2, 3
#: Categories of context: who held the ground, how a force operates. Indicators of these alone are capped.
_CONTEXT_CATS = frozenset({"area", "tactic"})
#: The warning of a sighting in which nothing diagnostic was recognised (the table says "prior only").
PRIOR_ONLY = "prior only: nothing diagnostic was recognised, the result is the theatre prior alone"
#: Roles whose mention adds nothing to what was seen: said not to be there, or another thing of the same name.
_UNSEEN = frozenset({"negated", "other-sense"})
#: Categories that are no kit of the subject's: a target is discounted only when kit of the subject is in view.
_NOT_KIT = frozenset({"area", "actor", "unit", "tactic", "document"})
_MATERIAL = {"bomb": _STRIKE, "missile": _STRIKE, "loitering-munition": _STRIKE,
             **dict.fromkeys(("munition", "mine", "explosive", "tactic", "aircraft", "helicopter",
                              "actor", "unit", "document", "area", "other"), 0)}
#: Categories that name a force rather than show it (a force, a formation):
#: nothing to go and look for, and a warning where the catalog weighs none.
_NAMED = frozenset(("actor", "unit"))
#: Kinds named without a type that are a strike's weapon: with one in view ("a drone", "a missile"), what was hit is
#: another's. An unnamed truck or rifle is not: "the ship burns after unloading armoured vehicles" is the ship's loss.
_STRIKING = frozenset({"missile", "loitering-munition", "uav", "anti-tank", "manpads", "air-defence", "artillery",
                       "rocket-artillery", "munition", "bomb", "mortar", "aircraft", "helicopter", "mine", "grenade"})


def _material_of(items: list[str], category: dict[str, str]) -> int:
    """The kinds of material a suggestion of ``items`` fits: those of its items, or both where none says."""
    kinds = 0
    for it in items:
        kinds |= _MATERIAL.get(category.get(it, ""), _KIT)
    return kinds or _BOTH


#: One 'look for next' suggestion: (indicator, missing items, information in
#: bits rounded to 3 places, leading leaf, second leaf).
_Pick = tuple[int, tuple[str, ...], float, int, int]


@dataclass(slots=True)
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


class Scorer:
    """Scores :class:`Observations` with one compiled catalog.

    Its public tables (``ind_ids``, ``ind_names``, ``paths``, ``words``,
    ``favour``, ``favour_absent``) and :meth:`why_text` are what the JSON Lines
    encoder (:mod:`equipid.engine.encode`) precomputes its byte pieces from;
    everything with a leading underscore is the scorer's own.
    """

    def __init__(self, compiled: Compiled, weights: Weights | None = None) -> None:
        self.c = compiled
        n_leaves = len(compiled.leaves)
        self.n_leaves = n_leaves
        self._prior_cache: dict[tuple[Any, ...], tuple[str, np.ndarray]] = {}
        # Context heuristics: indicators that speak only of areas and tactics (who held the ground, how fire came).
        cat = compiled.category
        self._context_ind = np.array([bool(its) and all(cat.get(it.split(":")[-1]) in _CONTEXT_CATS for it in its)
                                      for its in compiled.ind_items], dtype=bool)
        # Named-force indicators: those that speak only of forces and formations named in a report.
        self._named_ind = np.array([bool(its) and all(cat.get(it.split(":")[-1]) in _NAMED for it in its)
                                    for its in compiled.ind_items], dtype=bool)
        self._opposed = np.zeros((n_leaves, n_leaves), dtype=bool)
        for i, j in compiled.opposed:
            self._opposed[i, j] = self._opposed[j, i] = True
        self.set_weights(weights or Weights())
        self._uniform = np.full(n_leaves, -math.log10(max(n_leaves, 1)))
        self.ind_names = [i["name"] for i in compiled.indicators]
        self.ind_ids = [i["id"] for i in compiled.indicators]
        conds = REGISTRY
        self._prog = Program(compiled.ind_cond, conds)
        self._simple = [conds.simple(cond) for cond in compiled.ind_cond]
        self._single_item = {n: key for n, cond in enumerate(compiled.ind_cond) if (key := conds.lone_item(cond)) is not None}
        self._single_by_item: dict[str, list[int]] = {}
        for n, iid in self._single_item.items():
            self._single_by_item.setdefault(iid, []).append(n)
        # NOTE: a lone-item indicator's value is its item's row of the seen array: all of them in one gather.
        self._lone = np.array(list(self._single_item), dtype=np.intp)
        self._lone_rows = np.array([self._prog.seen_row(self._prog.roots[n]) for n in self._single_item], dtype=np.intp)
        self._not_lone = [n for n in range(len(compiled.ind_cond)) if n not in self._single_item]
        sup = [(n, s) for n, ss in enumerate(compiled.ind_supersedes) for s in ss]
        self._sup_by = np.array([n for n, _ in sup], dtype=np.intp)
        self._sup_gone = np.array([s for _, s in sup], dtype=np.intp)
        trig = compiled.ind_triggers
        self._trig_item = {k: t for k, t in trig.items() if not k.startswith((CATEGORY_TRIGGER, ABSENT_TRIGGER))}
        self._trig_cat = {k[len(CATEGORY_TRIGGER):]: t for k, t in trig.items() if k.startswith(CATEGORY_TRIGGER)}
        self._trig_absent = {k[len(ABSENT_TRIGGER):]: t for k, t in trig.items() if k.startswith(ABSENT_TRIGGER)}
        self._date_problems: dict[tuple[str, tuple[int, int]], str | None] = {}
        # A named force that no indicator weighs (its family neither): the
        # catalog has no hypothesis for it, and the ranking cannot say so.
        weighed = {it for its in compiled.ind_items for it in its}
        self._unmodelled = {
            item: (f"{compiled.items[item]['name']} is named, but the catalog models no such force: "
                   "the ranking weighs only the forces it models")
            for item, cat in compiled.category.items()
            if cat in _NAMED and weighed.isdisjoint(compiled.ancestors.get(item, (item,)))
        }
        # NOTE: per item, what context looks up in three tables (see _info).
        self._item_info: dict[str, tuple[tuple[str, ...], str | None, bool]] = {}
        self.paths = [list(p) for p in compiled.paths]
        self._group_ix = [np.array(compiled.group_leaves[gid], dtype=np.intp) for gid in compiled.groups]
        # The leaves of each top-level force (see Weights.group_balance), and which leaves fight which.
        roots: dict[str, list[int]] = {}
        for j, path in enumerate(compiled.paths):
            roots.setdefault(path[0], []).append(j)
        self._root_ix = [np.array(ix, dtype=np.intp) for ix in roots.values() if len(ix) > 1]
        self._bounds = np.array([b for b, _ in ICD203[:-1]])
        self.words = [w for _, w in ICD203]
        self.favour = [self._sides(self.P[i]) for i in range(self.n_ind)]
        self.favour_absent = [self._sides(self.Q[i]) for i in range(self.n_ind)]
        self._why: dict[tuple[int, int, int], str] = {}
        self._pair_cache: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
        # Look for next: every ordered pair of distinct likelihoods (qa, qb) as
        # a row of the gain table, and where each indicator's pair sits in it.
        # NOTE: counts rows (numeric likelihoods, one per model) are left out of
        # what to look for: flat rows here, so they tell no pair of leaves apart.
        self._P_lfn = self.P.copy()
        self._P_lfn[sorted(compiled.ind_no_suggest)] = 1.0
        liks, self._lik_index = np.unique(self._P_lfn, return_inverse=True)
        self._lik_index = self._lik_index.reshape(self.P.shape)
        qa_qb = [(x, y) for x in range(len(liks)) for y in range(len(liks)) if x != y]
        self._lik_at = np.zeros((len(liks), len(liks)), dtype=np.intp)
        for j, (x, y) in enumerate(qa_qb):
            self._lik_at[x, y] = j
        self._lik_a = np.array([liks[x] for x, _ in qa_qb])[None, :]
        self._lik_b = np.array([liks[y] for _, y in qa_qb])[None, :]
        self._lik_a1 = 1.0 - self._lik_a
        self._fire_cache: dict[tuple[Any, ...], bool] = {}
        # Look for next: the catalog items each indicator needs, and what
        # supposing them seen adds (see _could_fire).
        # A named force is not something to go and look for: actor items are left out.
        self._lfn_groups = [
            tuple(g for g in (tuple(it for it in grp if it in compiled.items and compiled.category.get(it) not in _NAMED)
                              for grp in conds.need_groups(cond)) if g)
            for cond in compiled.ind_cond
        ]
        # NOTE: most indicators need one group (one item, or one of a few): it, to skip the general case in _pick.
        self._one_group: list[tuple[str, ...] | None] = [gs[0] if len(gs) == 1 else None for gs in self._lfn_groups]
        # NOTE: whether an indicator could fire, its missing items supposed
        # seen, is cached by date and country only where nothing else can
        # decide it: not where a group of actor items was left out of what to
        # look for, nor under an n_of (one alternative seen meets the group
        # but not the count). Otherwise the first sighting would decide for
        # every later one, and a run's answers would hang on chunk order.
        self._ctx_only = [
            conds.cacheable(cond) and not conds.has_count(cond) and len(self._lfn_groups[n]) == len(conds.need_groups(cond))
            for n, cond in enumerate(compiled.ind_cond)
        ]
        # What kind of material each suggestion is seen in (see _MATERIAL).
        self._cat_material = {cat: _MATERIAL.get(cat, _KIT) for cat in set(compiled.category.values())}
        self._ind_material = [_material_of([it for g in groups for it in g], compiled.category) for groups in self._lfn_groups]
        self._lfn_names: dict[tuple[int, tuple[str, ...]], str] = {}
        self._supposed: dict[tuple[int, tuple[str, ...]], tuple[frozenset[str], frozenset[str]]] = {}
        self._holds = [conds.could_hold(cond) for cond in compiled.ind_cond]
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

    def set_weights(self, weights: Weights) -> None:
        """Use these fitted numbers: likelihood words, prior temper, family damping, context caps, role shares.

        The catalog's likelihoods are compiled with the numbers of
        :data:`~equipid.catalog.scale.LIKELIHOOD`; other numbers are put in
        word for word. A context indicator's likelihoods are flattened (raised
        to a power below 1) until its spread is within the cap; from the
        sighting's own prior it alone cannot carry a force past "likely"
        (:meth:`_alone_for`).
        """
        self.weights = weights
        self._prior_cache.clear()
        self._alone: dict[str, np.ndarray] = {}
        n_leaves = self.n_leaves
        base = np.array(self.c.ind_p, dtype=np.float64).reshape(-1, n_leaves)
        if weights.likelihood != LIKELIHOOD:
            for word, p in LIKELIHOOD.items():
                base[np.isclose(np.array(self.c.ind_p, dtype=np.float64).reshape(-1, n_leaves), p)] = weights.likelihood[word]
        self.n_ind = base.shape[0]
        if weights.named_adversary > 0.0 and self.n_ind and self._named_ind.any():
            # NOTE: the forces that fight the one a named-force indicator favours are named in its reports too.
            rows = np.flatnonzero(self._named_ind)
            top = base[rows].max(axis=1, keepdims=True)
            enemy = (self._opposed[None, :, :] & (base[rows] >= top - 1e-12)[:, :, None]).any(axis=1)
            base[rows] = np.where(enemy, np.maximum(base[rows], weights.named_adversary * top), base[rows])
        self._temper = np.ones(self.n_ind)
        if self.n_ind:
            lp = np.log10(base)
            spread = 10.0 * (lp.max(axis=1) - lp.min(axis=1))
            cap = np.minimum(1.0, weights.context_cap_db / np.maximum(spread, 1e-9))
            self._temper = np.where(self._context_ind, cap, 1.0)
            base = np.power(base, self._temper[:, None])
        self.P = base
        self.Q = 1.0 - self.P
        self.LP = np.log10(self.P)
        self.L1P = np.log10(np.clip(self.Q, 1e-9, 1.0))
        # Evidence families: indicators favouring the same forces say one thing; the n-th of a sighting counts less.
        fams: dict[tuple[int, ...], int] = {}
        self._family = np.array([fams.setdefault(tuple(np.flatnonzero(row >= row.max() - 1e-12).tolist()), len(fams))
                                 for row in self.LP], dtype=np.intp)
        self._strength = 10.0 * (self.LP.max(axis=1) - self.LP.min(axis=1)) if self.n_ind else np.zeros(0)
        self._role_w = {r: float(weights.roles.get(r, 1.0)) for r in WEIGHED_ROLES}

    def _alone_for(self, label: str, logprior: np.ndarray) -> np.ndarray:
        """Per indicator, the share of its evidence kept from this prior: a context indicator alone stays within "likely".

        1.0 for every other indicator, and where the prior alone already
        passes "likely" (that is the prior's doing; see prior_temper).
        """
        hit = self._alone.get(label)
        if hit is not None:
            return hit
        out = np.ones(self.n_ind)
        ctx = np.flatnonzero(self._context_ind)
        pw = 10.0 ** (logprior - logprior.max())
        if len(ctx) and (pw / pw.sum()).max() < LIKELY_CAP:
            grid = np.linspace(0.0, 1.0, 41)
            lg = logprior[None, None, :] + (grid * self.weights.sharpness)[None, :, None] * self.LP[ctx][:, None, :]
            lg -= lg.max(axis=2, keepdims=True)
            post = 10.0 ** lg
            top = (post / post.sum(axis=2, keepdims=True)).max(axis=2)
            ok = top <= LIKELY_CAP + 1e-9
            # the largest step from which every smaller one is within the cap
            first_bad = np.where(ok.all(axis=1), len(grid), np.argmin(ok, axis=1))
            out[ctx] = grid[np.maximum(first_bad - 1, 0)]
        if len(self._alone) > 10_000:
            self._alone.clear()
        self._alone[label] = out
        return out

    def _uniform_log(self) -> np.ndarray:
        return np.full(self.n_leaves, -math.log10(max(self.n_leaves, 1)))

    def _tempered(self, mix: np.ndarray) -> np.ndarray:
        """log10 of a prior mix, its forces balanced and raised to the prior temper, renormalised.

        The words of a prior say how present each leaf is. A force split into
        many leaves (Russia's branches) would weigh their sum against a force of
        one leaf; ``group_balance`` moves each top-level force's total toward
        the weight of its most present leaf, kept shared in the same ratios.
        """
        gb = self.weights.group_balance
        if gb > 0.0:
            mix = mix.copy()
            for ix in self._root_ix:
                part = mix[ix]
                total = part.sum()
                if total > 0.0:
                    mix[ix] = part * (part.max() / total) ** gb
        w = np.power(np.maximum(mix, 1e-12), self.weights.prior_temper)
        return np.log10(w / w.sum())

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
        infos = self._item_info
        seen: dict[str, float] = {}
        cats: dict[str, float] = {}
        pairs: dict[tuple[str, str], float] = {}
        warned: set[str] = set()
        said_here: list[str] = []
        when = obs.date
        role_w = self._role_w
        # NOTE: what was hit says nothing of who hit it, but with no kit of the
        # subject in view the thing hit is the subject (a wreck is its owner's).
        shooter = self._own_kit_in_view(obs)
        generic = self.c.generic
        observed = any(o.how not in ("text", "location") for o in obs.items)
        for o in obs.items:
            conf = o.confidence
            item = o.item
            role = o.role
            if role == "attacker" and shooter:
                # NOTE: with the subject's own weapon in view, the force named as striking is the subject itself.
                role = "fielded"
            info = infos.get(item)
            if info is None:
                info = self._info(item)
            chain, ct, spanned = info
            if spanned and when is not None:
                why = self._date_problem_cached(item, when)
                if why:
                    conf *= OUT_OF_DATE_DISCOUNT
                    if item not in warned:
                        warned.add(item)
                        said_here.append(why)
            if role == "self":
                pass  # a formation the subject names as its own ("says he served in the 155th"): in full, as seen
            elif role == "fielded" and o.how == "text" and ct not in _NAMED and observed:
                # NOTE: kit a caption names beside what was observed ("the Su-34s based there") is often the scene,
                # not the subject's own; with nothing observed, the text is the only account of what was seen.
                conf *= role_w.get("kit-in-text", 1.0)
                if conf <= 0.0:
                    continue
            elif role == "place" and ct != "area" or role == "fielded" and ct in _NAMED and o.how == "text":
                if role == "place":
                    # A force named as holding the ground: context, seen under its role key alone.
                    rk = role_key(role, item)
                    if seen.get(rk, 0.0) < conf:
                        seen[rk] = conf
                    continue
                conf *= role_w.get("named-in-text", 1.0)
                if conf <= 0.0:
                    continue
            elif role != "fielded" and role != "place":
                if role in _UNSEEN:
                    continue
                rk = role_key(role, item)
                if seen.get(rk, 0.0) < conf:
                    seen[rk] = conf
                if role in ("fired-from", "attacker", "opposed") or ct == "area" and role == "target":
                    continue  # ground fire came from, aimed at, the force that struck the subject or that it fights
                if role != "target" or shooter:
                    conf *= role_w.get(role, 1.0)
                    if conf <= 0.0:
                        continue
            for a in chain:
                if seen.get(a, 0.0) < conf:
                    seen[a] = conf
            if ct in _NAMED and item in self._unmodelled:
                said = self._unmodelled[item]
                if said not in said_here:
                    said_here.append(said)
            if ct and cats.get(ct, 0.0) < conf and item not in generic:
                cats[ct] = conf  # NOTE: a kind named without a type is no evidence, not even of its category
            for attr in o.attributes:
                for a in chain:
                    for b in anc.get(attr, (attr,)):
                        if pairs.get((a, b), 0.0) < conf:
                            pairs[(a, b)] = conf
        absent: set[str] = set()
        for a in obs.absent:
            absent.add(a)
            absent.update(self.c.descendants(a))
        return Context(seen, cats, pairs, absent, when, obs.country, said_here)

    def _own_kit_in_view(self, obs: Observations) -> bool:
        """Whether kit of the subject's own is seen (fielded, not a force, unit, place or deed): then a target is another's."""
        generic = self.c.generic
        return any(o.role == "fielded" and (ct := self.c.category.get(o.item)) not in _NOT_KIT
                   and (o.item not in generic or ct in _STRIKING) for o in obs.items)

    def _info(self, item: str) -> tuple[tuple[str, ...], str | None, bool]:
        """(the item and its variant_of ancestors, its category, whether it has an in-service span), remembered."""
        info = (self.c.ancestors.get(item, (item,)), self.c.category.get(item), item in self._span)
        if len(self._item_info) > 100_000:
            self._item_info.clear()
        self._item_info[item] = info
        return info

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
        return self._fire_chunk([ctx])[0][0]

    def _fire_chunk(self, ctxs: list[Context]) -> tuple[list[Fired], np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`fire` for each context, and (row, indicator, confidence) of every present indicator, flat.

        Every condition is evaluated for the whole chunk at once (see
        :class:`~equipid.catalog.conditions.program.Program`): an indicator with no trigger observed anywhere in
        the chunk is not evaluated, and where a condition holds, one of its
        triggers was observed, so the result is what evaluating only the
        triggered indicators of each sighting gives.
        """
        n = len(ctxs)
        prog = self._prog
        env = prog.env(ctxs)
        F = np.zeros((self.n_ind, n))
        F[self._lone] = env.seen[self._lone_rows]
        cand = set(self.c.ind_always)
        cand.update(*[t for t in map(self._trig_item.get, env.seen_keys) if t])
        cand.update(*[t for t in map(self._trig_cat.get, env.cat_keys) if t])
        cand.update(*[t for t in map(self._trig_absent.get, env.absent_keys) if t])
        memo: list[np.ndarray | None] = [None] * len(prog.nodes)
        roots = prog.roots
        for i in self._not_lone:
            if i in cand:
                F[i] = prog.value(roots[i], env, memo)
        fired = F > 0.0
        sup_rows: list[int] = []
        sup_at: list[int] = []
        if len(self._sup_by):
            both = fired[self._sup_by] & fired[self._sup_gone]
            # NOTE: record by record, in the order of (superseding, superseded) pairs: the order of fire's loop.
            rs, ps = _nonzero_by_column(both)
            if len(rs):
                kept = fired.copy()
                kept[self._sup_gone[ps], rs] = False
                sup_rows, sup_at = rs.tolist(), ps.tolist()
            else:
                kept = fired
        else:
            kept = fired
        R, I_ = _nonzero_by_column(kept)
        C = F[I_, R]
        ends = np.cumsum(np.bincount(R, minlength=n)).tolist()
        # NOTE: each sighting's share of the flat lists is cut out with map, C loops.
        cut = list(map(slice, [0, *ends[:-1]], ends))
        cols = I_.tolist()
        present = list(map(list(zip(cols, C.tolist(), strict=True)).__getitem__, cut))
        done = list(map(set, map(cols.__getitem__, cut)))
        superseded: list[list[tuple[int, int]]] = [[] for _ in range(n)]
        by, gone = self._sup_by.tolist(), self._sup_gone.tolist()
        for r, p in zip(sup_rows, sup_at, strict=True):
            superseded[r].append((gone[p], by[p]))
            done[r].add(gone[p])
        absent: list[list[int]] = [[] for _ in range(n)]
        single = self._single_by_item
        for r, cx in enumerate(ctxs):
            if cx.absent:
                absent[r] = sorted(i for iid in cx.absent for i in single.get(iid, ()) if i not in done[r])
                done[r].update(absent[r])
        out = list(map(Fired, present, absent, superseded, done))
        return out, R, I_, C

    def prior(self, obs: Observations) -> tuple[str, np.ndarray]:
        """(label, log10 prior per leaf) for the sighting's country, date and place: a prior scoped to a place
        the location names (``Compiled.prior_places``) replaces the country's priors there."""
        key = (obs.country, obs.date, obs.places)
        hit = self._prior_cache.get(key)
        if hit is not None:
            return hit
        matched = []
        scoped = []
        in_place = self.c.prior_places
        for pid, countries, first, last, weights in self.c.priors:
            if countries is not None and (obs.country is None or obs.country not in countries):
                continue
            if obs.date is not None:
                if first is not None and obs.date[1] < first:
                    continue
                if last is not None and obs.date[0] > last:
                    continue
            where = in_place.get(pid)
            if where is None:
                matched.append((pid, weights))
            elif not where.isdisjoint(obs.places):
                scoped.append((pid, weights))
        if scoped:
            matched = scoped  # NOTE: a prior for the very place (Crimea) replaces the country's
        if not matched or obs.country is None:
            res = ("uniform", self._uniform)
        else:
            mix = np.mean(np.array([w for _, w in matched]), axis=0)
            res = ("+".join(p for p, _ in matched), self._tempered(mix))
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
            from equipid.engine.encode import JsonlEncoder

            self._encoder = JsonlEncoder(self)
        a = self._assess(observations, explain)
        return self._encoder.records(observations, a), [o[0] for o in a.order]

    def _assess(self, observations: list[Observations], explain: bool) -> _Assessed:
        """The numbers behind the records of a chunk, before they are rendered."""
        n = len(observations)
        ctxs = [self.context(o) for o in observations]
        fires, R, I_, C = self._fire_chunk(ctxs)
        arows: list[int] = []
        acols: list[int] = []
        for r, f in enumerate(fires):
            if f.absent:
                arows += [r] * len(f.absent)
                acols += f.absent
        prior = [self.prior(o) for o in observations]
        labels = [label for label, _ in prior]
        for o, ctx, label in zip(observations, ctxs, labels, strict=True):
            # NOTE: say when the result rests on less than it seems to.
            if label == "uniform" and o.country is not None:
                ctx.warnings.append(f"the catalog has no theatre prior for {o.country} at this date: every affiliation starts equal")
            if not o.items and not o.absent:
                ctx.warnings.append("nothing in this sighting was recognised: the result is the prior alone")
        for o, ctx, f in zip(observations, ctxs, fires, strict=True):
            if not f.present and not f.absent and (o.items or o.absent):
                ctx.warnings.append(PRIOR_ONLY)
        priors = np.array([lp for _, lp in prior], dtype=np.float64).reshape(n, self.n_leaves)
        thin = self.weights.thin_temper
        if thin != 1.0:
            # NOTE: where nothing diagnostic fired, the theatre prior is all there is: it is held more loosely.
            bare = np.array([not f.present and not f.absent for f in fires], dtype=bool)
            if bare.any():
                priors[bare] *= thin
                priors[bare] -= np.log10(np.power(10.0, priors[bare]).sum(axis=1, keepdims=True))
        logpost = priors.copy()
        C = self._damped(R, I_, C) * self.weights.sharpness
        if len(R) and self._context_ind.any():
            # NOTE: one row of shares per distinct prior in the chunk.
            at: dict[str, int] = {}
            rows = [at.setdefault(label, len(at)) for label in labels]
            share = np.array([self._alone_for(label, lp) for label, lp in {lb: p for lb, p in prior}.items()])
            C = C * share[np.array(rows, dtype=np.intp)[R], I_]
        _add_rows(logpost, R, C[:, None] * self.LP[I_])
        if self.weights.target_adversary < 1.0:
            self._adversary(observations, ctxs, priors, logpost)
        RA = np.array(arows, dtype=np.intp)
        IA = np.array(acols, dtype=np.intp)
        _add_rows(logpost, RA, self.L1P[IA])
        logpost -= logpost.max(axis=1, keepdims=True)
        post = np.power(10.0, logpost)
        post /= post.sum(axis=1, keepdims=True)
        noise = self.weights.label_noise
        if noise > 0.0:
            # NOTE: what the evidence model cannot see (a misread sighting, a strike told by the other side, a
            # force the catalog lacks) is fitted as a share of the theatre prior that every result keeps.
            floor = np.power(10.0, priors)
            floor /= floor.sum(axis=1, keepdims=True)
            post = (1.0 - noise) * post + noise * floor
        order = np.argsort(-post, axis=1, kind="stable")
        top = order[:, 0]
        second = order[:, 1] if self.n_leaves > 1 else order[:, 0]
        prior_w = np.power(10.0, priors)
        prior_w /= prior_w.sum(axis=1, keepdims=True)
        woe = self._woe(self.P, R, I_, C, prior_w, top, second)
        woe_abs = self._woe(self.Q, RA, IA, np.ones(len(arows)), prior_w, top, second)
        # NOTE: summed row by row, not as a matrix product: BLAS picks its
        # kernel by the chunk's shape, so a product's last bits would depend on
        # which sightings share a chunk (a Dask partition, say).
        gsum = np.stack([post[:, ix].sum(axis=1) for ix in self._group_ix], axis=1) if self._group_ix else np.zeros((n, 0))
        gorder = np.argsort(-gsum, axis=1, kind="stable")
        words = np.searchsorted(self._bounds, post, side="right")
        gwords = np.searchsorted(self._bounds, gsum, side="right")
        picks = self._look_for_next_chunk(ctxs, fires, post, top, second) if explain else [[] for _ in range(n)]
        return _Assessed(ctxs, fires, labels, post.tolist(), order.tolist(), words.tolist(), gsum.tolist(), gorder.tolist(),
                         gwords.tolist(), woe, woe_abs, picks)

    def _adversary(self, observations: list[Observations], ctxs: list[Context], priors: np.ndarray,
                   logpost: np.ndarray) -> None:
        """Add to ``logpost`` what the things the subject is seen striking say: it fights their owner.

        Where kit of the subject is in view and something is read as its
        target ("a Piorun shoots down a Ka-52"), or a force is named as the
        one that struck or took the subject's things ("destroyed by the
        rebels"), or a force is named as one the subject fights ("against
        the Nusra Front"), the target's kit or the force is scored as if seen alone
        (its owner's posterior, from the same theatre prior), and every leaf
        that does not fight that owner (affiliations' ``opposes``) gets
        ``target_adversary`` of the likelihood of one that does.
        """
        rows: list[int] = []
        alone: list[Observations] = []
        whats: list[str] = []
        for r, o in enumerate(observations):
            # NOTE: with the subject's own weapon in view, what it hit is another's; with none, a force named as the
            # one that struck or took the subject's things is its adversary (with one, that force is the subject).
            shooter = self._own_kit_in_view(o)
            if shooter:
                hit = [it for it in o.items if it.role == "target" and self.c.category.get(it.item) not in _CONTEXT_CATS]
            else:
                hit = [it for it in o.items if it.role == "attacker"]
            # NOTE: a force the subject fights, whatever is in view; but ground "assaulted" beside a thing the
            # subject struck is that thing's doing as often as the subject's ("downed the Su-25 as it prepared to
            # fire on Ukrainian positions"): what was struck speaks for itself.
            struck = shooter and bool(hit)
            hit += [it for it in o.items if it.role == "opposed"
                    and not (struck and self.c.category.get(it.item) in _CONTEXT_CATS)]
            if not hit:
                continue
            rows.append(r)
            alone.append(Observations(o.id, o.date, o.country, [replace(it, role="fielded") for it in hit]))
            if all(it.role == "opposed" for it in hit):
                whats.append("the force the subject is named as fighting")
            else:
                whats.append("what the subject struck" if shooter else "the force named as striking or taking the subject's things")
        if not rows:
            return
        fires, R, I_, C = self._fire_chunk([self.context(o) for o in alone])
        owner = priors[rows].copy()
        _add_rows(owner, R, (self._damped(R, I_, C) * self.weights.sharpness)[:, None] * self.LP[I_])
        owner -= owner.max(axis=1, keepdims=True)
        p = np.power(10.0, owner)
        p /= p.sum(axis=1, keepdims=True)
        fights = np.where(self._opposed, 1.0, self.weights.target_adversary)
        for k, (r, f) in enumerate(zip(rows, fires, strict=True)):
            if not f.present:
                continue  # nothing known of the target's owner: nothing said of its adversary
            # NOTE: row by row, not a matrix product, so the last bits never depend on the chunk (see gsum).
            logpost[r] += np.log10((fights * p[k]).sum(axis=1))
            lead = int(np.argmax(p[k]))
            names = ", ".join(dict.fromkeys(self.c.items[it.item]["name"] for it in alone[k].items))
            ctxs[r].warnings.append(
                f"{whats[k]} ({names}) reads as {self.c.leaves[lead]}'s ({p[k, lead]:.2f}): the forces that fight it are favoured")

    def _damped(self, R: np.ndarray, I_: np.ndarray, C: np.ndarray) -> np.ndarray:
        """Confidences with each evidence family's n-th indicator in a sighting damped by family_damp**(n-1).

        Within a family (indicators favouring the same forces), the strongest
        evidence counts in full and the rest with diminishing returns: three
        generic Soviet-kit indicators say one thing, not three.
        """
        g = self.weights.family_damp
        if g >= 1.0 or len(R) < 2:
            return C
        fam = self._family[I_]
        order = np.lexsort((-(self._strength[I_] * C), fam, R))
        rs, fs = R[order], fam[order]
        new = np.concatenate(([True], (rs[1:] != rs[:-1]) | (fs[1:] != fs[:-1])))
        idx = np.arange(len(order))
        rank = idx - np.maximum.accumulate(np.where(new, idx, 0))
        damp = np.empty(len(R))
        damp[order] = np.power(g, rank)
        return C * damp

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
        W = self.words
        paths = self.paths
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
            "sighting": obs.sighting,
            "ranking": ranking,
            "groups": groups,
            "evidence": evidence,
            "unmatched": list(dict.fromkeys(obs.unmatched)),
            "warnings": list(dict.fromkeys([*obs.warnings, *ctx.warnings])),
            "look_for_next": lfn,
            "prior": prior_label,
            "matched": [
                {"said": o.said, "item": o.item, "name": c.items[o.item]["name"], "how": o.how, "role": o.role,
                 "confidence": o.confidence, **({"count": o.count} if o.count != 1 else {})}
                for o in obs.items
            ],
        }
        if f.superseded:
            rec["superseded"] = [{"indicator": self.ind_ids[s], "by": self.ind_ids[b]} for s, b in f.superseded]
        if obs.extra:
            rec["extra"] = obs.extra
        return rec

    def _evidence(self, i: int, conf: float, w_top: float, w_second: float, la: str, lb: str,
                  ctx: Context, absent: bool) -> dict[str, Any]:
        fav, against = (self.favour_absent if absent else self.favour)[i]
        items = [it for it in self.c.ind_items[i] if it in ctx.seen or it in ctx.absent]
        return {
            "indicator": self.ind_ids[i],
            "name": ("absent: " if absent else "") + self.ind_names[i],
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
        fires, with belief restricted to the two leaders. Only the indicators
        that tell the pair of leaders apart (different likelihoods) are weighed.
        """
        n = len(ctxs)
        out: list[list[_Pick]] = [[] for _ in range(n)]
        if self.n_ind == 0 or self.n_leaves < 2:
            return out
        ar = np.arange(n)
        pa = post[ar, top]
        pb = post[ar, second]
        wa = (pa / np.maximum(pa + pb, 1e-300))[:, None]
        # NOTE: an indicator's gain depends only on its two likelihoods, and
        # there are few distinct ones: the gain of every pair of likelihoods
        # for every record at once, then picked out per indicator.
        qa, qb, qa1 = self._lik_a, self._lik_b, self._lik_a1
        pe = wa * qa + (1.0 - wa) * qb
        gain_of = _h2v(wa) - (pe * _h2v(wa * qa / pe) + (1.0 - pe) * _h2v(wa * qa1 / (1.0 - pe)))
        pair_key = top * self.n_leaves + second
        keys, inv = np.unique(pair_key, return_inverse=True)
        pairs = [self._pair_arrays(*divmod(key, self.n_leaves)) for key in keys.tolist()]
        sizes = np.array([len(cols) for cols, _ in pairs])
        # Each pair's indicators, and their columns of gain_of, padded to one width.
        cols_of = np.zeros((len(keys), int(sizes.max())), dtype=np.intp)
        lik_of = np.zeros_like(cols_of)
        for j, (cols, at) in enumerate(pairs):
            cols_of[j, :len(cols)] = cols
            lik_of[j, :len(cols)] = at
        # NOTE: the top 12 of each record's row is taken (argpartition, then
        # a stable sort) on that row exactly as weighed alone, so ties fall
        # the same way; rows of equal length are taken together.
        by_size = sizes[inv]
        by_class = np.argsort(by_size, kind="stable")
        taken: list[np.ndarray] = []
        ranked_cols: list[list[int]] = []
        ranked_gains: list[list[float]] = []
        for rows in np.split(by_class, np.flatnonzero(np.diff(by_size[by_class])) + 1):
            size = int(by_size[rows[0]])
            if size == 0:
                continue
            pair = inv[rows][:, None]
            neg = -gain_of[rows[:, None], lik_of[pair, np.arange(size)]]
            ridx = np.arange(len(rows))[:, None]
            m = min(size, 12)
            if m < size:
                part = np.argpartition(neg, m - 1, axis=1)[:, :m]
                best = part[ridx, np.argsort(neg[ridx, part], axis=1, kind="stable")]
            else:
                best = np.argsort(neg, axis=1, kind="stable")
            taken.append(rows)
            ranked_cols += cols_of[pair, best].tolist()
            ranked_gains += (-neg[ridx, best]).tolist()
        if not taken:
            return out
        # Picked pair by pair, rows ascending within a pair: the order the caches of _could_fire_cached were filled in.
        rows = np.concatenate(taken)
        at = np.lexsort((rows, pair_key[rows]))
        rows = rows[at]
        at_list = at.tolist()
        pick = self._pick
        for r, a, b, rc, rg in zip(rows.tolist(), top[rows].tolist(), second[rows].tolist(),
                                   map(ranked_cols.__getitem__, at_list), map(ranked_gains.__getitem__, at_list), strict=True):
            out[r] = pick(ctxs[r], fires[r], rc, rg, a, b, k)
        return out

    def _pair_arrays(self, a: int, b: int) -> tuple[np.ndarray, np.ndarray]:
        """(indicators telling leaves ``a`` and ``b`` apart, the column of their likelihoods for a and b in the gain table)."""
        key = (a, b)
        hit = self._pair_cache.get(key)
        if hit is None:
            cols = np.nonzero(np.abs(self._P_lfn[:, a] - self._P_lfn[:, b]) > 1e-12)[0]
            hit = (cols, self._lik_at[self._lik_index[cols, a], self._lik_index[cols, b]])
            self._pair_cache[key] = hit
        return hit

    def _pick(self, ctx: Context, f: Fired, row: list[int], gains: list[float], a: int, b: int, k: int) -> list[_Pick]:
        done = f.done
        # NOTE: only suggestions of the kind of material seen (kit, or a
        # strike), unless nothing seen says which.
        cat_material = self._cat_material
        seen_kind = 0
        for cat in ctx.cats:
            seen_kind |= cat_material.get(cat, _KIT)
        ind_material = self._ind_material if seen_kind and seen_kind != _BOTH else None
        out: list[_Pick] = []
        shown: set[tuple[str, ...]] = set()
        isdisjoint = ctx.seen.keys().isdisjoint
        lfn_groups = self._lfn_groups
        one_group = self._one_group
        simple = self._simple
        for i, gi in zip(row, gains, strict=True):
            if gi <= 1e-4:
                break
            if i in done or (ind_material is not None and not ind_material[i] & seen_kind):
                continue
            missing: tuple[str, ...] | None = one_group[i]
            if missing is not None:
                if not isdisjoint(missing) or missing in shown:
                    continue
            else:
                missing = tuple([it for g in lfn_groups[i] if isdisjoint(g) for it in g])
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
            "indicator": self.ind_ids[i],
            "information_bits": bits,
            "why": self.why_text(i, a, b),
        }

    def why_text(self, i: int, a: int, b: int) -> str:
        """Why indicator ``i`` would separate leaves ``a`` and ``b``: its likelihood words and rationale (memoised)."""
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
        return self._holds[i](ctx, more[0], more[1], self._supposed_pairs[i])


def _nonzero_by_column(m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(column, row) of the true entries of a 2-D bool array, column by column, rows ascending in each."""
    # NOTE: np.nonzero of a 2-D array is several times slower than flatnonzero of a copy.
    return np.divmod(np.flatnonzero(m.T.ravel()), m.shape[0])


def _add_rows(acc: np.ndarray, rows: np.ndarray, terms: np.ndarray) -> None:
    """``np.add.at(acc, rows, terms)`` for ascending ``rows``, in the same order, so to the same last bit.

    NOTE: np.add.at is slow; here each round adds every row's next term at once.
    """
    if not len(rows):
        return
    starts = np.flatnonzero(np.concatenate(([True], rows[1:] != rows[:-1])))
    rank = np.arange(len(rows)) - np.repeat(starts, np.diff(np.append(starts, len(rows))))
    for k in range(int(rank.max()) + 1):
        sel = rank == k
        acc[rows[sel]] += terms[sel]


def _h2v(p: np.ndarray) -> np.ndarray:
    q = np.clip(p, 1e-12, 1 - 1e-12)
    return -(q * np.log2(q) + (1 - q) * np.log2(1 - q))
