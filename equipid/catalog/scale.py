"""The qualitative scales, each mapped to numbers in exactly this one place.

Catalog authors write words ("characteristic", "rare"); the scorer needs
numbers. Keeping the mapping here means a calibration change is one edit, and
every reported number can be traced back to a word an analyst chose.
"""

from __future__ import annotations

from typing import Final

#: P(evidence | affiliation) for each word of the likelihood scale, most
#: expected first. Only ratios matter to the scorer: `characteristic` against
#: `rare` is a factor of 20 (+13 dB).
LIKELIHOOD: Final[dict[str, float]] = {
    "characteristic": 0.6,
    "common": 0.3,
    "occasional": 0.1,
    "rare": 0.03,
    "unheard-of": 0.003,
}

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
