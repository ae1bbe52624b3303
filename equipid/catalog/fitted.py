"""Numbers fitted on the labelled case base by ``benchmarks/fit_weights.py``: do not edit by hand.

Re-run ``python benchmarks/fit_weights.py --write`` to refit them; benchmarks/fit-weights.json
says on which cases and with which cross-validated figures.
"""

from typing import Any

FITTED: dict[str, Any] = {
    "likelihood": {
        "characteristic": 0.6,
        "common": 0.25,
        "occasional": 0.03,
        "rare": 0.004,
        "unheard-of": 0.003
    },
    "prior_temper": 0.9,
    "family_damp": 0.5,
    "context_cap_db": 13.0,
    "roles": {
        "captured": 0.35,
        "reported-by": 0.2,
        "target": 0.75,
        "named-in-text": 0.5,
        "kit-in-text": 0.35
    },
    "sharpness": 1.0,
    "thin_temper": 1.0,
    "group_balance": 0.5,
    "target_adversary": 0.02,
    "named_adversary": 0.05,
    "label_noise": 0.1
}
