"""Fit the scorer's numbers on the labelled case base, and say how well they do on cases they never saw.

    python benchmarks/fit_weights.py            # fit, cross-validate, print
    python benchmarks/fit_weights.py --write    # ... and write equipid/catalog/fitted.py and benchmarks/fit-weights.json

The case base: every catalog test (catalog/tests/*.yaml, ``tests:``), the
public dev cases (/work/shared/data/dev-sightings.yaml, or --dev FILE) and the
blind batches (benchmarks/cases/*.yaml). The numbers fitted (see
equipid.catalog.scale.Weights): what each likelihood word means, the temper
of the theatre priors, the damping of evidence families, the cap on context
heuristics, the share of evidence kept by a captured, reported or targeted
mention, the sharpness of the posterior, how far theatre priors weigh forces
rather than leaves, what striking a force's kit says of the striker, and how
far a named force's indicator favours its enemies too (named_adversary). The
objective is the log score over every case alike (mean ln of the probability
given to the truth; the catalog tests are not privileged, and those the fit
misses are marked known_miss in their files), searched coordinate by
coordinate over a grid from the hand-set numbers, so the fit is deterministic.
The figures reported are K-fold cross-validated (fit on K-1 folds, score the
fold left out), then the fit on every case is what is written.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def case_files(dev: str | None) -> list[str]:
    """The labelled case base, in a fixed order."""
    files = sorted(str(p) for p in (ROOT / "catalog" / "tests").glob("*.yaml"))
    dev_path = Path(dev) if dev else Path("/work/shared/data/dev-sightings.yaml")
    if dev_path.exists():
        files.append(str(dev_path))
    files += sorted(str(p) for p in (ROOT / "benchmarks" / "cases").glob("*.yaml"))
    return files


def main() -> int:
    """Fit, cross-validate, and optionally write the result."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", help="the public dev cases (default /work/shared/data/dev-sightings.yaml, when present)")
    ap.add_argument("--cv", type=int, default=5, help="folds for the cross-validated figures (default 5)")
    ap.add_argument("--write", action="store_true", help="write equipid/catalog/fitted.py and benchmarks/fit-weights.json")
    args = ap.parse_args()

    from equipid.catalog.cache import load_compiled
    from equipid.catalog.locate import catalog_dirs
    from equipid.engine.evaluate import Bench, cross_validate, figures, fit, hand_set, load_cases

    files = case_files(args.dev)
    compiled = load_compiled([ROOT / "catalog"], use_cache=False) if (ROOT / "catalog").is_dir() else load_compiled(catalog_dirs())
    bench = Bench(compiled, load_cases(files))
    t0 = time.time()
    hand = figures(bench.outcomes(hand_set()))
    outs, per_fold = cross_validate(bench, args.cv)
    cv = figures(outs)
    weights, score = fit(bench)
    full = figures(bench.outcomes(weights))
    result = {
        "cases": len(bench.cases),
        "files": [os.path.relpath(f, ROOT) for f in files],
        "objective": "mean ln P(truth) over every case alike, coordinate search from the hand-set numbers",
        "hand_set_in_sample": hand.as_dict() | {"bins": None},
        "cross_validated": cv.as_dict() | {"folds": args.cv},
        "fitted_in_sample": full.as_dict() | {"bins": None, "log_score": score},
        "weights": weights.as_dict(),
        "fold_weights": [w.as_dict() for w in per_fold],
        "seconds": round(time.time() - t0, 1),
    }
    print(json.dumps({k: v for k, v in result.items() if k != "fold_weights"}, indent=2))
    if args.write:
        body = json.dumps(weights.as_dict(), indent=4)
        (ROOT / "equipid" / "catalog" / "fitted.py").write_text(
            '"""Numbers fitted on the labelled case base by ``benchmarks/fit_weights.py``: do not edit by hand.\n\n'
            "Re-run ``python benchmarks/fit_weights.py --write`` to refit them; benchmarks/fit-weights.json\n"
            'says on which cases and with which cross-validated figures.\n"""\n\n'
            "from typing import Any\n\n"
            f"FITTED: dict[str, Any] = {body}\n", encoding="utf-8")
        (ROOT / "benchmarks" / "fit-weights.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print("wrote equipid/catalog/fitted.py and benchmarks/fit-weights.json", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
