"""``catalog test``: run the catalog's example sightings and check their rankings.

Each ``tests:`` record holds a sighting and what the ranking must show, in the
spirit of Sigma's rule tests but for ranked results: the leading leaf must lie
under one of the ``leading`` ids (and no leaf outside them tie with it, so a
test never passes by tie order), optionally with at least ``min_probability``
for that id, and ``kept_open`` asks that no leaf exceed :data:`KEPT_OPEN_MAX`.
Every name the sighting gives must match an item: a typo fails the test.

A test may carry ``known_miss: WHY``: the engine's numbers are fitted on the
whole labelled case base (catalog tests included, none privileged), and
where the fit that generalises best misses a test, the miss is recorded with
its reason instead of bending the numbers to it. Such a test is still scored
and reported ("MISS"), but does not fail the run; one that passes again says
so, so that its mark can go.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from equipid.catalog.loader import Catalog
from equipid.errors import InputError, Location

#: ``kept_open: true`` fails when any leaf is above this probability.
KEPT_OPEN_MAX = 0.8

#: How many leaves a failure report shows.
SHOWN = 5

#: How the failures that say a test is broken (not that the ranking misses) begin.
_BROKEN = ("sighting names no item", "sighting:", "expect.leading names unknown")

#: Leaves whose probabilities differ by no more than this are tied.
TIE = 1e-9


@dataclass
class TestOutcome:
    """The result of one catalog test."""

    __test__ = False  # not a pytest class

    id: str
    location: Location
    failures: list[str] = field(default_factory=list)
    ranking: list[dict[str, Any]] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    expected_probability: float | None = None
    """The probability the ranking gives the expected ids (their leaves summed); None when not scored."""
    known_miss: str | None = None
    """The test's ``known_miss`` reason, if it has one."""

    @property
    def passed(self) -> bool:
        """True when every expectation held."""
        return not self.failures

    @property
    def ok(self) -> bool:
        """True when the test passed or is a known miss of the ranking: the run does not fail on it.

        A known miss never hides a broken test: a sighting that names nothing the catalog knows, or an
        expectation naming an unknown affiliation, fails whatever the mark says.
        """
        return self.passed or (self.known_miss is not None
                               and not any(f.startswith(_BROKEN) for f in self.failures))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return {
            "id": self.id,
            "location": str(self.location),
            "passed": self.passed,
            "known_miss": self.known_miss,
            "expected_probability": self.expected_probability,
            "failures": self.failures,
            "ranking": [{k: r[k] for k in ("affiliation", "probability", "estimate")} for r in self.ranking],
            "groups": [{k: g[k] for k in ("affiliation", "probability")} for g in self.groups],
            "notes": self.notes,
        }


def check_expectation(expect: Any, rec: dict[str, Any]) -> list[str]:
    """What in scored record ``rec`` breaks ``expect`` (a TestExpectation); empty when it holds."""
    failures = []
    ranking = rec["ranking"]
    if not ranking:
        return ["the catalog has no leaf affiliations to rank"]
    top = ranking[0]
    path = list(top["path"])
    under = [g for g in expect.leading if g in path]
    if not under:
        failures.append(
            f"leading leaf {top['affiliation']} ({top['probability']:.2f}, path {' > '.join(path)}) "
            f"is not under any of {', '.join(expect.leading)}"
        )
    elif outside := [r for r in ranking[1:] if top["probability"] - r["probability"] <= TIE
                     and not any(g in r["path"] for g in expect.leading)]:
        failures.append(
            f"leading leaf {top['affiliation']} ({top['probability']:.2f}) is tied with "
            f"{_some(r['affiliation'] for r in outside)}, not under any of {', '.join(expect.leading)}; "
            "it leads only by tie order"
        )
    if expect.min_probability is not None and under:
        g = under[0]
        probs = {x["affiliation"]: x["probability"] for x in (*rec["groups"], *ranking)}
        p = probs.get(g, 0.0)
        if p < expect.min_probability:
            failures.append(f"P({g}) = {p:.2f} is below min_probability {expect.min_probability:.2f}")
    if expect.kept_open and top["probability"] > KEPT_OPEN_MAX:
        failures.append(
            f"kept_open: {top['affiliation']} has {top['probability']:.2f} > {KEPT_OPEN_MAX}; the case should stay open"
        )
    return failures


def _some(names: Iterable[str]) -> str:
    """At most :data:`SHOWN` names, then how many more."""
    shown = list(names)
    more = f" and {len(shown) - SHOWN} more" if len(shown) > SHOWN else ""
    return ", ".join(shown[:SHOWN]) + more


def run_tests(cat: Catalog, only: Sequence[str] = ()) -> list[TestOutcome]:
    """Score every ``tests:`` record of ``cat`` (or those named in ``only``) and check it.

    Raises :class:`InputError` when ``only`` names a test that does not exist.
    """
    from equipid.catalog.compiler import compile_catalog
    from equipid.engine.scorer import Scorer
    from equipid.sightings.matcher import Observer, RecordError

    known = {t.id for t in cat.tests}
    unknown = [t for t in only if t not in known]
    if unknown:
        raise InputError(f"no catalog test named {', '.join(map(repr, unknown))}; known: {', '.join(sorted(known)) or 'none'}")
    compiled = compile_catalog(cat, "catalog-test")
    observer = Observer(compiled)
    scorer = Scorer(compiled)
    affs = {a.id for a in cat.affiliations}
    out = []
    for t in cat.tests:
        if only and t.id not in only:
            continue
        res = TestOutcome(t.id, cat.locate("tests", t.id), known_miss=t.known_miss)
        out.append(res)
        bad = [a for a in t.expect.leading if a not in affs]
        if bad:
            res.failures.append(f"expect.leading names unknown affiliation(s) {', '.join(bad)}")
            continue
        try:
            obs = observer.observe(dict(t.sighting), t.id)
        except RecordError as exc:
            res.failures.append(f"sighting: {exc}")
            continue
        rec = scorer.score(obs)
        res.ranking = rec["ranking"]
        res.groups = rec["groups"]
        res.notes = list(rec["warnings"])
        res.expected_probability = sum(r["probability"] for r in rec["ranking"] if any(g in r["path"] for g in t.expect.leading))
        if rec["unmatched"]:
            names = ", ".join(map(repr, rec["unmatched"]))
            res.failures.append(f"sighting names no item for {names}; fix the name or add an alias")
        res.failures.extend(check_expectation(t.expect, rec))
    return out


def _ranking_line(res: TestOutcome) -> str:
    shown = ", ".join(f"{r['affiliation']} {r['probability']:.2f}" for r in res.ranking[:SHOWN])
    more = f", ... ({len(res.ranking) - SHOWN} more)" if len(res.ranking) > SHOWN else ""
    return f"    ranking: {shown}{more}\n"


def format_text(results: Sequence[TestOutcome]) -> str:
    """PASS/FAIL (MISS for a known miss) per test; each failure with its reasons and the ranking it got."""
    lines = []
    for r in results:
        if r.passed:
            again = " (marked known_miss, but passes: remove the mark)" if r.known_miss else ""
            lines.append(f"PASS {r.id}{again}\n")
            continue
        if r.ok:
            lines.append(f"MISS {r.id} ({r.location}), known: {r.known_miss}\n")
        else:
            lines.append(f"FAIL {r.id} ({r.location})\n")
        lines.extend(f"    {f}\n" for f in r.failures)
        if r.ranking:
            lines.append(_ranking_line(r))
            groups = ", ".join(f"{g['affiliation']} {g['probability']:.2f}" for g in r.groups[:SHOWN])
            if groups:
                lines.append(f"    groups: {groups}\n")
        lines.extend(f"    note: {n}\n" for n in r.notes)
    return "".join(lines)


def format_json(results: Sequence[TestOutcome]) -> str:
    """A JSON document: every outcome and the counts."""
    doc = {
        "tests": [r.to_dict() for r in results],
        "passed": sum(r.passed for r in results),
        "failed": sum(not r.ok for r in results),
        "known_misses": sum(not r.passed and r.ok for r in results),
        "calibration": calibration(results),
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


#: The floor of a probability in the log loss, so that one case given no chance does not make it infinite.
LOG_FLOOR = 1e-6


def calibration(results: Sequence[TestOutcome]) -> dict[str, float | int] | None:
    """How much probability the scored tests give what their sources say, over all of them.

    ``mean_probability`` of the expected ids, the Brier score (mean of
    (1 - p)^2: 0 is perfect, 0.25 is what a coin would score on a yes/no
    question) and the log loss (mean of -ln p, with p floored at
    :data:`LOG_FLOOR`). A pass/fail count hides a catalog that grows
    over-confident or timid; these do not. None when no test was scored.
    """
    ps = [r.expected_probability for r in results if r.expected_probability is not None]
    if not ps:
        return None
    return {
        "scored": len(ps),
        "mean_probability": round(sum(ps) / len(ps), 4),
        "brier": round(sum((1.0 - p) ** 2 for p in ps) / len(ps), 4),
        "log_loss": round(sum(-math.log(max(p, LOG_FLOOR)) for p in ps) / len(ps), 4),
    }


def summary(results: Sequence[TestOutcome]) -> str:
    """How many tests ran, passed, failed and were known misses; on a second line, the probability given the answers."""
    failed = sum(not r.ok for r in results)
    missed = sum(not r.passed and r.ok for r in results)
    line = f"{len(results)} test(s): {len(results) - failed - missed} passed, {failed} failed"
    if missed:
        line += f", {missed} known miss{'es' if missed > 1 else ''}"
    back = sum(r.passed and r.known_miss is not None for r in results)
    if back:
        line += f" ({back} marked known_miss pass again: remove the marks)"
    cal = calibration(results)
    if cal is not None:
        line += (f"\nprobability given the expected answer: mean {cal['mean_probability']:.3f}, "
                 f"Brier {cal['brier']:.3f}, log loss {cal['log_loss']:.3f}")
    return line
