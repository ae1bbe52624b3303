"""Score batches of labelled cases and print their figures as rows of benchmarks/first-pass.md.

    python benchmarks/first_pass.py benchmarks/cases/b03-africa-pmc.yaml [...] [--misses]

A case file holds ``cases:``, each {sighting, truth, ambiguous, ...} (the format of
the public dev cases). The sightings alone are scored with ``equipid score``
(the installed command, so the figures are what a user gets); the truth never
reaches the tool. Per batch it prints:

- top-1: an unambiguous case is right when the leading leaf lies under a truth id
  (a tie at the top counts only when every tied leaf does); an ambiguous case
  (the investigators could not decide) is right when the leading leaf lies under
  a truth id and gets at most 0.8;
- Brier: the mean of (1 - probability given to the truth)^2;
- log loss: the mean of -ln(probability given to the truth);
- confident-wrong: cases whose leading leaf gets >= 0.8 and is not under a truth id.

A sighting the tool refuses (an error record) is scored wrong, with probability 0
for the truth (log loss capped at -ln 1e-6), and named on standard error.

Run it on a new batch BEFORE any catalog or code change made for that batch, and
append the printed row to benchmarks/first-pass.md (which is never rewritten).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

CONFIDENT = 0.8


def truth_mass(rec: dict, truth: list[str]) -> float:
    """The probability the record gives the truth: the leaves under any truth id."""
    return sum(r["probability"] for r in rec["ranking"] if any(t in r["path"] for t in truth))


def judge(rec: dict, case: dict) -> dict:
    """One case's outcome: right, truth mass, confident-wrong, leading leaf."""
    truth = case["truth"]
    if "ranking" not in rec:
        # NOTE: the tool refused the sighting (an error record): no answer, so wrong, and no probability for the truth.
        return {"id": rec["id"], "right": False, "mass": 0.0, "top": "error", "p": 0.0, "confident_wrong": False,
                "error": rec.get("error", "")}
    ranking = rec["ranking"]
    top = ranking[0]
    tied = [r for r in ranking if r["probability"] >= top["probability"] - 1e-9]
    under = all(any(t in r["path"] for t in truth) for r in tied)
    right = under and (top["probability"] <= CONFIDENT if case.get("ambiguous") else True)
    mass = truth_mass(rec, truth)
    return {"id": rec["id"], "right": right, "mass": mass, "top": top["affiliation"], "p": top["probability"],
            "confident_wrong": (not under) and top["probability"] >= CONFIDENT}


def score_cases(cases: list[dict], cmd: str) -> list[dict]:
    """Score the sightings with ``cmd score`` and return the records in order."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cases.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for i, c in enumerate(cases):
                s = dict(c["sighting"])
                s.setdefault("id", f"case-{i + 1}")
                f.write(json.dumps(s, default=str, ensure_ascii=False) + "\n")
        out = subprocess.run([*cmd.split(), "score", str(path), "--format", "jsonl", "--jobs", "1"],
                             capture_output=True, text=True, check=True)
    recs = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    if len(recs) != len(cases):
        raise SystemExit(f"expected {len(cases)} records, got {len(recs)}")
    return recs


def figures(outcomes: list[dict]) -> dict:
    """Top-1, Brier, log loss and confident-wrong count over a batch."""
    n = len(outcomes)
    return {
        "n": n,
        "right": sum(o["right"] for o in outcomes),
        "brier": sum((1 - o["mass"]) ** 2 for o in outcomes) / n,
        "log_loss": sum(-math.log(max(o["mass"], 1e-6)) for o in outcomes) / n,
        "confident_wrong": sum(o["confident_wrong"] for o in outcomes),
    }


def main() -> int:
    """Print a first-pass row per case file."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+")
    ap.add_argument("--cmd", default=os.environ.get("EQUIPID_CMD", "equipid"))
    ap.add_argument("--misses", action="store_true", help="list the cases that were wrong")
    args = ap.parse_args()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip() or "?"
    print("| batch | cases | top-1 | Brier | log loss | confident-wrong | commit scored |")
    print("|---|---|---|---|---|---|---|")
    for name in args.files:
        cases = yaml.safe_load(Path(name).read_text(encoding="utf-8"))["cases"]
        recs = score_cases(cases, args.cmd)
        outs = [judge(r, c) for r, c in zip(recs, cases, strict=True)]
        f = figures(outs)
        print(f"| {Path(name).stem} | {f['n']} | {f['right']}/{f['n']} ({f['right'] / f['n']:.0%}) | {f['brier']:.3f} | "
              f"{f['log_loss']:.3f} | {f['confident_wrong']} | {commit} |")
        for o in outs:
            if "error" in o:
                print(f"  (error record, scored wrong with truth mass 0: {o['error']})", file=sys.stderr)
        if args.misses:
            for o, c in zip(outs, cases, strict=True):
                if not o["right"]:
                    flag = " CONFIDENT" if o["confident_wrong"] else ""
                    print(f"  miss {o['id']}: truth {c['truth']}, top {o['top']} {o['p']:.2f}, truth mass {o['mass']:.2f}{flag}",
                          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
