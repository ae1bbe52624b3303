"""Judge the scorer on labelled cases, and fit its numbers on them.

A case is a sighting with the affiliation ids the investigators settled on
(``truth``) and whether they could not decide between them (``ambiguous``).
Two file shapes are read: ``cases:`` lists of {sighting, truth, ambiguous}
(benchmarks/cases/*.yaml, the public dev cases) and catalog test files,
``tests:`` lists of {sighting, expect: {leading, kept_open}}.

Figures (as in benchmarks/first_pass.py): top-1 accuracy (the leading leaf
lies under a truth id; an ambiguous case must also keep it at or below 0.8),
Brier (mean of (1 - probability given to the truth)^2), log loss (mean of
-ln of it), expected calibration error of the leading leaf's probability, and
the confident results (leading leaf >= 0.8): how many, how many wrong.

:func:`fit` chooses the numbers of :class:`~equipid.catalog.scale.Weights`
by maximising the log score on a set of cases (coordinate search over a
grid); :func:`cross_validate` fits on all folds but one and scores the one
left out, so the figures are those of cases the fit never saw.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from equipid.catalog.compiled import Compiled
from equipid.catalog.scale import LIKELIHOOD_WORDS, LIKELY_CAP, Weights
from equipid.errors import InputError

#: Bins of the leading leaf's probability for the calibration error and the reliability diagram.
BINS = 10


@dataclass
class Case:
    """One labelled sighting."""

    id: str
    sighting: dict[str, Any]
    truth: list[str]
    ambiguous: bool = False
    where: str = ""
    """file:number, for messages."""


@dataclass
class Outcome:
    """How the scorer did on one case."""

    id: str
    top: str
    p: float
    """Probability of the leading leaf."""
    mass: float
    """Probability given to the truth (the leaves under any truth id)."""
    under: bool
    """The leading leaf (every leaf tied with it) lies under a truth id."""
    right: bool
    """Top-1 right: under, and for an ambiguous case kept at or below 0.8."""
    score: float = 0.0
    """Log score: ln of the truth's probability; for an ambiguous case the mean over its truth ids of ln of
    each one's probability (investigators who could not decide: each is a real possibility, to be kept open),
    less what a leading leaf above 0.8 takes from the 20 % left open."""


@dataclass
class Figures:
    """Summary figures over a set of outcomes."""

    n: int
    right: int
    brier: float
    log_loss: float
    ece: float
    confident: int
    confident_wrong: int
    bins: list[dict[str, float]] = field(default_factory=list)
    """Per probability bin of the leading leaf: lo, hi, n, mean probability, share right."""

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {"cases": self.n, "top1": self.right, "accuracy": self.right / self.n if self.n else 0.0,
                "brier": self.brier, "log_loss": self.log_loss, "ece": self.ece, "confident": self.confident,
                "confident_wrong": self.confident_wrong,
                "confident_right_share": (self.confident - self.confident_wrong) / self.confident if self.confident else None,
                "bins": self.bins}


def load_cases(paths: list[str]) -> list[Case]:
    """Read labelled cases from YAML files (``cases:`` or catalog ``tests:``)."""
    import yaml

    out: list[Case] = []
    for name in paths:
        path = Path(name)
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise InputError(f"{name}: cannot read: {exc.strerror or exc}") from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            at = f":{mark.line + 1}" if mark is not None else ""
            raise InputError(f"{name}{at}: not valid YAML") from None
        if not isinstance(doc, dict) or not isinstance(doc.get("cases", doc.get("tests")), list):
            raise InputError(f"{name}: expected a mapping with a list under 'cases:' (or 'tests:' of a catalog test file)")
        kind = "cases" if isinstance(doc.get("cases"), list) else "tests"
        for i, entry in enumerate(doc[kind]):
            where = f"{name}: {kind}[{i}]"
            if not isinstance(entry, dict) or not isinstance(entry.get("sighting"), dict):
                raise InputError(f"{where}: expected a mapping with a 'sighting' mapping")
            s = dict(entry["sighting"])
            if kind == "cases":
                truth, amb = entry.get("truth"), bool(entry.get("ambiguous", False))
                field_name = "truth"
            else:
                exp = entry.get("expect") or {}
                truth, amb = exp.get("leading"), bool(exp.get("kept_open", False))
                field_name = "expect.leading"
            if isinstance(truth, str):
                truth = [truth]
            if not isinstance(truth, list) or not truth or not all(isinstance(t, str) for t in truth):
                raise InputError(f"{where}: {field_name}: a list of affiliation ids")
            cid = str(s.get("id") or entry.get("id") or f"{path.stem}-{i + 1}")
            s["id"] = cid
            out.append(Case(cid, s, truth, amb, where))
    return out


def judge(rec: dict[str, Any], case: Case) -> Outcome:
    """One case's outcome, by the rules of benchmarks/first_pass.py."""
    ranking = rec["ranking"]
    top = ranking[0]
    tied = [r for r in ranking if r["probability"] >= top["probability"] - 1e-9]
    under = all(any(t in r["path"] for t in case.truth) for r in tied)
    right = under and (top["probability"] <= LIKELY_CAP if case.ambiguous else True)
    mass = sum(r["probability"] for r in ranking if any(t in r["path"] for t in case.truth))
    if case.ambiguous and len(case.truth) > 1:
        each = [sum(r["probability"] for r in ranking if t in r["path"]) for t in case.truth]
        score = sum(math.log(max(m, 1e-6)) for m in each) / len(each)
        if top["probability"] > LIKELY_CAP:
            # NOTE: a case left open must stay open (top-1 rule): what is taken from the 20 % left to the
            # other possibilities is scored as lost.
            score += math.log(max(1.0 - top["probability"], 1e-6) / (1.0 - LIKELY_CAP))
    elif case.ambiguous and top["probability"] > LIKELY_CAP:
        score = math.log(max(mass, 1e-6)) + math.log(max(1.0 - top["probability"], 1e-6) / (1.0 - LIKELY_CAP))
    else:
        score = math.log(max(mass, 1e-6))
    return Outcome(case.id, top["affiliation"], top["probability"], mass, under, right, score)


def figures(outs: list[Outcome]) -> Figures:
    """Accuracy, Brier, log loss, calibration error and confident results."""
    n = len(outs)
    if not n:
        return Figures(0, 0, 0.0, 0.0, 0.0, 0, 0)
    bins: list[dict[str, float]] = []
    ece = 0.0
    for b in range(BINS):
        lo, hi = b / BINS, (b + 1) / BINS
        inside = [o for o in outs if lo <= o.p < hi or (b == BINS - 1 and o.p >= hi)]
        if not inside:
            continue
        conf = sum(o.p for o in inside) / len(inside)
        acc = sum(o.under for o in inside) / len(inside)
        ece += len(inside) / n * abs(acc - conf)
        bins.append({"lo": lo, "hi": hi, "n": len(inside), "mean_p": conf, "right": acc})
    confident = [o for o in outs if o.p >= LIKELY_CAP]
    return Figures(
        n=n,
        right=sum(o.right for o in outs),
        brier=sum((1 - o.mass) ** 2 for o in outs) / n,
        log_loss=sum(-math.log(max(o.mass, 1e-6)) for o in outs) / n,
        ece=ece,
        confident=len(confident),
        confident_wrong=sum(not o.under for o in confident),
        bins=bins,
    )


class Bench:
    """The cases read once into observations, to be scored again under other weights."""

    def __init__(self, compiled: Compiled, cases: list[Case], weights: Weights | None = None) -> None:
        from equipid.engine.scorer import Scorer
        from equipid.sightings.matcher import Observer, RecordError

        self.compiled = compiled
        self.scorer = Scorer(compiled, weights)
        observer = Observer(compiled)
        self.cases: list[Case] = []
        self.obs: list[Any] = []
        self.skipped: list[str] = []
        for c in cases:
            try:
                self.obs.append(observer.observe(c.sighting, c.id))
            except RecordError as exc:
                self.skipped.append(f"{c.where}: sighting.{exc}")
                continue
            self.cases.append(c)

    def outcomes(self, weights: Weights, idx: list[int] | None = None) -> list[Outcome]:
        """Score the cases (those at ``idx``, else all) under ``weights``."""
        self.scorer.set_weights(weights)
        pick = range(len(self.cases)) if idx is None else idx
        obs = [replace(self.obs[i], warnings=list(self.obs[i].warnings), unmatched=list(self.obs[i].unmatched)) for i in pick]
        recs = self.scorer.score_chunk(obs, explain=False)
        return [judge(r, self.cases[i]) for r, i in zip(recs, pick, strict=True)]


def hand_set() -> Weights:
    """The numbers as set by hand before any fit: where every fit starts, so a fit is reproducible."""
    return Weights({"characteristic": 0.6, "common": 0.3, "occasional": 0.1, "rare": 0.03, "unheard-of": 0.003},
                   prior_temper=1.0, family_damp=1.0, context_cap_db=13.0,
                   roles={"captured": 1.0, "reported-by": 1.0, "target": 1.0, "named-in-text": 1.0, "kit-in-text": 1.0},
                   thin_temper=1.0, sharpness=1.0,
                   group_balance=0.0, target_adversary=1.0, named_adversary=0.0, label_noise=0.0)


#: The grid each number is searched over.
_GRID: dict[str, list[float]] = {
    "common": [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5],
    "occasional": [0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.13, 0.16, 0.2],
    "rare": [0.002, 0.004, 0.007, 0.01, 0.02, 0.03, 0.045, 0.06, 0.08],
    "unheard-of": [0.0002, 0.0005, 0.001, 0.002, 0.003, 0.005, 0.008],
    "sharpness": [0.6, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5],
    "prior_temper": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0],
    "thin_temper": [0.0, 0.2, 0.4, 0.6, 0.8, 1.0],
    "family_damp": [0.0, 0.1, 0.2, 0.35, 0.5, 0.65, 0.8, 1.0],
    "context_cap_db": [2.0, 4.0, 6.0, 8.0, 10.0, 13.0],
    "captured": [0.0, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0],
    "reported-by": [0.0, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0],
    "target": [0.0, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0],
    "named-in-text": [0.1, 0.2, 0.35, 0.5, 0.75, 1.0],
    "kit-in-text": [0.1, 0.2, 0.35, 0.5, 0.75, 1.0],
    "group_balance": [0.0, 0.25, 0.5, 0.75, 1.0],
    "target_adversary": [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0],
    "named_adversary": [0.0, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0],
    "label_noise": [0.0, 0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.15],
}


def _get(w: Weights, k: str) -> float:
    if k in w.likelihood:
        return w.likelihood[k]
    if k in w.roles:
        return w.roles[k]
    return float(getattr(w, k.replace("-", "_")))


def _set(w: Weights, k: str, v: float) -> Weights:
    new = Weights(dict(w.likelihood), w.prior_temper, w.family_damp, w.context_cap_db, dict(w.roles), w.thin_temper,
                  w.sharpness, w.group_balance, w.target_adversary, w.named_adversary, w.label_noise)
    if k in new.likelihood:
        new.likelihood[k] = v
    elif k in new.roles:
        new.roles[k] = v
    else:
        setattr(new, k.replace("-", "_"), v)
    return new


def _monotone(w: Weights) -> bool:
    vals = [w.likelihood[x] for x in LIKELIHOOD_WORDS]
    return all(a > b for a, b in zip(vals, vals[1:], strict=False))


def log_score(outs: list[Outcome]) -> float:
    """Mean log score of the outcomes (higher is better; see :attr:`Outcome.score`)."""
    return sum(o.score for o in outs) / max(len(outs), 1)


def _objective(bench: Bench, w: Weights, idx: list[int] | None) -> float:
    """The log score on the cases at ``idx``."""
    return log_score(bench.outcomes(w, idx))


def fit(bench: Bench, idx: list[int] | None = None, start: Weights | None = None, sweeps: int = 3) -> tuple[Weights, float]:
    """The weights that maximise the log score on the cases at ``idx`` (coordinate search), and that score.

    Every case counts alike, the catalog tests included: they were written
    by looking at the catalog's answers, so privileging them would fit the
    numbers to the cases the catalog was shaped on rather than to the cases
    it has never seen. A catalog test the fitted numbers miss is marked
    ``known_miss`` with its reason (see equipid.maintenance.testing).
    """
    w = start or hand_set()
    best = _objective(bench, w, idx)
    for _ in range(sweeps):
        moved = False
        for k, grid in _GRID.items():
            for v in grid:
                if abs(v - _get(w, k)) < 1e-12:
                    continue
                cand = _set(w, k, v)
                if not _monotone(cand):
                    continue
                score = _objective(bench, cand, idx)
                if score > best + 1e-9:
                    w, moved, best = cand, True, score
        if not moved:
            break
    return w, best


def folds(n: int, k: int, seed: int = 12) -> list[list[int]]:
    """``k`` folds of ``range(n)``, shuffled once with a fixed seed."""
    order = list(range(n))
    random.Random(seed).shuffle(order)
    return [sorted(order[j::k]) for j in range(k)]


def cross_validate(bench: Bench, k: int, seed: int = 12) -> tuple[list[Outcome], list[Weights]]:
    """Outcomes of every case scored with weights fitted on the other folds (in case order), and each fold's weights."""
    if k < 2 or k > len(bench.cases):
        raise InputError(f"--cv needs between 2 and {len(bench.cases)} folds, not {k}")
    held: dict[int, Outcome] = {}
    fitted: list[Weights] = []
    for test in folds(len(bench.cases), k, seed):
        train = sorted(set(range(len(bench.cases))) - set(test))
        w, _ = fit(bench, train)
        fitted.append(w)
        for i, o in zip(test, bench.outcomes(w, test), strict=True):
            held[i] = o
    return [held[i] for i in range(len(bench.cases))], fitted
