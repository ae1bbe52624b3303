"""How well the kit alone tells Russian from Ukrainian losses on the Oryx list.

    python benchmarks/oryx_kit.py [CSV] [--unresolved N] [--worst N]

CSV defaults to ../shared/data/oryx/losses-before-2024.csv relative to the
repository (see that directory's README.md for the columns and the licence);
if it is absent the script says so and exits 0.

Every row first recorded before 2024 becomes one sighting: observed
[model], date = first_recorded, country UA, no text. The rows are scored with
this checkout's `equipid score --format jsonl --jobs 2` (PYTHONPATH set to the
checkout). Printed:

  * rows resolved: the model name matched a catalog record;
  * balanced side accuracy on the ru/ua split: a row is called Russian when
    P(ru subtree) > P(ua-afu), and the accuracy is the mean of the recall on
    the rows Oryx lists as Russian-owned and on those listed as Ukrainian-owned
    (the `owner` column: a captured item counts for its original owner);
  * the Brier score on that split: mean of (p - y)^2 with
    p = P(ru) / (P(ru) + P(ua-afu)) and y = 1 for a Russian-owned row.

--unresolved N lists the N most frequent unresolved model names;
--worst N the N models that cost the most accuracy.
"""

from __future__ import annotations

import argparse
import collections
import csv
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import orjson

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_CSV = ROOT.parent / "shared" / "data" / "oryx" / "losses-before-2024.csv"
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
CUTOFF = "2024-01-01"


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows first recorded before 2024, owner ru or ua."""
    with open(path, newline="", encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["first_recorded"] < CUTOFF and r["owner"] in ("ru", "ua")]


def score(rows: list[dict[str, str]], jobs: int) -> list[dict]:
    """Score one sighting per row; results in row order."""
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        with open(src, "wb") as f:
            for i, r in enumerate(rows):
                rec = {"id": str(i), "date": r["first_recorded"], "location": {"country": "UA"}, "observed": [r["model"]]}
                f.write(orjson.dumps(rec) + b"\n")
        cmd = [sys.executable, "-m", "equipid", "score", str(src), "-o", str(out), "--format", "jsonl", "--jobs", str(jobs), "--no-explain"]
        subprocess.run(cmd, check=True, env=ENV, stderr=subprocess.DEVNULL)
        with open(out, "rb") as f:
            results = [orjson.loads(line) for line in f if line.strip()]
    results.sort(key=lambda d: int(d["id"]))
    return results


def side_probabilities(result: dict) -> tuple[float, float]:
    """(P(ru subtree), P(ua-afu)) of one scored sighting."""
    p_ru = sum(e["probability"] for e in result.get("ranking", []) if e["path"][0] == "ru")
    p_ua = sum(e["probability"] for e in result.get("ranking", []) if e["affiliation"] == "ua-afu")
    return p_ru, p_ua


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("csv", nargs="?", default=str(DEFAULT_CSV))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--unresolved", type=int, default=0, metavar="N", help="list the N most frequent unresolved models")
    ap.add_argument("--worst", type=int, default=0, metavar="N", help="list the N models that cost the most accuracy")
    args = ap.parse_args(argv)
    path = Path(args.csv)
    if not path.is_file():
        print(f"oryx_kit: {path} not found; skipped (see benchmarks/oryx_kit.py for the data it expects)")
        return 0
    rows = read_rows(path)
    results = score(rows, args.jobs)
    if len(results) != len(rows):
        print(f"oryx_kit: {len(rows)} rows but {len(results)} results", file=sys.stderr)
        return 1

    resolved = 0
    how: collections.Counter[str] = collections.Counter()
    unresolved: collections.Counter[str] = collections.Counter()
    hits = {"ru": 0, "ua": 0}
    totals = {"ru": 0, "ua": 0}
    brier = 0.0
    misses: collections.Counter[tuple[str, str]] = collections.Counter()
    for r, res in zip(rows, results, strict=True):
        matched = res.get("matched") or []
        if matched:
            resolved += 1
            how[matched[0].get("how", "?")] += 1
        else:
            unresolved[r["model"]] += 1
        p_ru, p_ua = side_probabilities(res)
        side = r["owner"]
        totals[side] += 1
        called = "ru" if p_ru > p_ua else "ua"
        if called == side:
            hits[side] += 1
        else:
            misses[(side, r["model"])] += 1
        p = p_ru / (p_ru + p_ua) if p_ru + p_ua > 0 else 0.5
        brier += (p - (1.0 if side == "ru" else 0.0)) ** 2

    n = len(rows)
    rec_ru = hits["ru"] / totals["ru"] if totals["ru"] else float("nan")
    rec_ua = hits["ua"] / totals["ua"] if totals["ua"] else float("nan")
    print(f"rows (first recorded before 2024): {n:,} (ru {totals['ru']:,}, ua {totals['ua']:,}); distinct models {len({r['model'] for r in rows}):,}")
    hows = ", ".join(f"{k} {v:,}" for k, v in how.most_common())
    print(f"resolved: {resolved / n:.1%} ({resolved:,} rows: {hows}); unresolved model names: {len(unresolved):,}")
    print(f"balanced side accuracy: {(rec_ru + rec_ua) / 2:.1%} (recall ru {rec_ru:.1%}, ua {rec_ua:.1%})")
    print(f"Brier (ru/ua split): {brier / n:.4f}")
    if args.unresolved:
        print(f"\nmost frequent unresolved models ({args.unresolved}):")
        for model, c in unresolved.most_common(args.unresolved):
            print(f"  {c:6,}  {model}")
    if args.worst:
        print(f"\nmodels called for the wrong side, by rows ({args.worst}):")
        for (side, model), c in misses.most_common(args.worst):
            print(f"  {c:6,}  {side}  {model}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
