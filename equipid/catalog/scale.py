"""The qualitative scales, each mapped to numbers in exactly this one place.

Catalog authors write words ("characteristic", "rare"); the scorer needs
numbers. Keeping the mapping here means a calibration change is one edit, and
every reported number can be traced back to a word an analyst chose.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from equipid.catalog.fitted import FITTED

#: The words of the likelihood scale, most expected first.
LIKELIHOOD_WORDS: Final[tuple[str, ...]] = ("characteristic", "common", "occasional", "rare", "unheard-of")

#: P(evidence | affiliation) for each word of the likelihood scale, most
#: expected first. Only ratios matter to the scorer. The numbers are fitted on
#: the labelled case base (equipid/catalog/fitted.py, benchmarks/fit_weights.py).
LIKELIHOOD: Final[dict[str, float]] = {w: float(FITTED["likelihood"][w]) for w in LIKELIHOOD_WORDS}

#: The floor an `alternatives` note keeps a likelihood at: evidence that can be
#: bought, captured or mimicked is never near-impossible for anyone.
ALTERNATIVES_FLOOR: Final[str] = "rare"

#: Relative presence of an affiliation in a theatre and period (priors).
PRIOR_WEIGHT: Final[dict[str, float]] = {
    "major": 1.0,
    "present": 0.4,
    "minor": 0.1,
    "absent": 0.005,
}

#: How much an observation's stated confidence keeps of its evidence. The
#: likelihood is tempered (raised to this power), pulling it toward 1.
CONFIDENCE: Final[dict[str, float]] = {
    "confirmed": 1.0,
    "probable": 0.7,
    "possible": 0.35,
}

#: Evidence from an item seen outside its in-service dates keeps this share.
OUT_OF_DATE_DISCOUNT: Final[float] = 0.25

#: ICD 203 terms of likelihood: (exclusive upper bound, word).
ICD203: Final[tuple[tuple[float, str], ...]] = (
    (0.05, "almost no chance"),
    (0.20, "very unlikely"),
    (0.45, "unlikely"),
    (0.55, "roughly even chance"),
    (0.80, "likely"),
    (0.95, "very likely"),
    (float("inf"), "almost certain"),
)


def icd203(p: float) -> str:
    """The ICD 203 word for probability ``p``."""
    for upper, word in ICD203:
        if p < upper:
            return word
    return ICD203[-1][1]  # pragma: no cover - inf bound always matches


#: Roles a mention can be read in whose evidence is weighed apart (see
#: equipid.sightings.reading); every other role counts in full (fielded,
#: place) or not at all (negated, other-sense, fired-from: seen under its role key only).
#: Two are ways of being named rather than roles: a force or unit named in a
#: caption (named-in-text), and kit named only in a caption beside observed
#: entries (kit-in-text).
WEIGHED_ROLES: Final[tuple[str, ...]] = ("captured", "reported-by", "target", "named-in-text", "kit-in-text")

#: Evidence from areas and tactics (context heuristics) that no single indicator may exceed alone.
LIKELY_CAP: Final[float] = 0.8


@dataclass
class Weights:
    """The fitted numbers the scorer uses: one place, so a fit can try others."""

    likelihood: dict[str, float] = field(default_factory=lambda: dict(LIKELIHOOD))
    """P(evidence | affiliation) for each likelihood word."""
    prior_temper: float = float(FITTED["prior_temper"])
    """Theatre priors are raised to this power (1: as written; less: flatter)."""
    family_damp: float = float(FITTED["family_damp"])
    """The n-th indicator of one evidence family (the same favoured forces) counts family_damp**(n-1)."""
    context_cap_db: float = float(FITTED["context_cap_db"])
    """The largest spread (dB) one context indicator (areas, tactics) may have between forces."""
    roles: dict[str, float] = field(default_factory=lambda: {r: float(FITTED["roles"].get(r, 1.0)) for r in WEIGHED_ROLES})
    """Share of its evidence a mention keeps in each weighed role."""
    thin_temper: float = float(FITTED.get("thin_temper", 1.0))
    """Where nothing diagnostic was recognised, the prior is raised to this power as well (below 1: held loosely)."""
    sharpness: float = float(FITTED.get("sharpness", 1.0))
    """Every weight of evidence is multiplied by this (the prior is not): how far the evidence is trusted."""
    group_balance: float = float(FITTED.get("group_balance", 0.0))
    """How far a theatre prior weighs forces, not leaves: 0 as written (a force split into many leaves weighs
    their sum), 1 each top-level force weighs as its most present leaf, shared among its leaves."""
    target_adversary: float = float(FITTED.get("target_adversary", 1.0))
    """Where the subject is seen striking something, P(subject | the target's owner) for a force that does not
    fight that owner, against 1 for one that does (1: what was struck says nothing of who struck it)."""
    named_adversary: float = float(FITTED.get("named_adversary", 0.0))
    """A report that names a force names its enemies' deeds too ("strikes on Ukrainian positions", "destroyed by
    the rebels"): a named-force indicator gives each force that fights the one it favours at least this share of
    its likelihood for it (0: as written)."""
    label_noise: float = float(FITTED.get("label_noise", 0.0))
    """The share of the theatre prior mixed into every posterior: what the evidence model cannot see (a sighting
    misread, a strike told from the other side, a force the catalog lacks) keeps each result off certainty
    (0: the posterior as computed)."""

    def as_dict(self) -> dict[str, Any]:
        """The numbers as written to equipid/catalog/fitted.py."""
        return {"likelihood": dict(self.likelihood), "prior_temper": self.prior_temper, "family_damp": self.family_damp,
                "context_cap_db": self.context_cap_db, "roles": dict(self.roles), "sharpness": self.sharpness,
                "thin_temper": self.thin_temper, "group_balance": self.group_balance,
                "target_adversary": self.target_adversary, "named_adversary": self.named_adversary,
                "label_noise": self.label_noise}
