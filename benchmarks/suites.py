"""Run the public conformance suites through ``equipid score`` and count what went wrong.

    python benchmarks/suites.py [--jobs N] [--verbose]

Looks for the suites in /work/shared/suites or ../shared/suites (beside the
checkout); see their README. For every input file it runs ``equipid score FILE
--format jsonl --jobs 1`` from this checkout and checks:

* no traceback and no crash (exit status 0 or 1, nothing that looks like a
  Python traceback on stderr), and no hang (60 s);
* for a file whose expected records are known, exactly one output record per
  input record, in order, with the input's ids where it gives them: fewer is
  *lost*, more (or an id not in the input) is *invented*.

Expected records: JSONTestSuite ``y_*`` files are read with Python's json
module; yaml-test-suite files with their ``in.json`` (one JSON value per
document); csv-spectrum files with their ``json/*.json`` rows, the CSV's first
header cell renamed to ``id`` in a temporary copy (its headers name no
sighting column). A list gives one record per element; a mapping with
``sightings`` one per element of that list; any other document one error
record, or a clean refusal. Files whose YAML is invalid (``error``) or that
must be refused (JSONTestSuite ``n_*``) must give no scored record that is not
in the input: their scored records are listed for review with ``--verbose``.

Prints the counts per suite; exit status 1 when any traceback, hang, lost or
invented record was seen.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}


def find_suites() -> Path | None:
    """The suites folder, where one is present."""
    for p in (Path("/work/shared/suites"), ROOT.parent / "shared" / "suites", ROOT / ".." / "shared" / "suites"):
        if p.is_dir():
            return p.resolve()
    return None


@dataclass
class Case:
    """One input file and what its output must be."""

    suite: str
    path: Path
    fmt: str
    expected: list[Any] | None
    """One entry per record: the id the input gives (or None); None when unknown."""
    invalid: bool = False
    """The input must be refused: no scored record may come out (error records only)."""
    name: str = ""


@dataclass
class Tally:
    """Counts for one suite."""

    files: int = 0
    records: int = 0
    scored: int = 0
    errors: int = 0
    tracebacks: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    invented: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    """Valid input PyYAML cannot read: an error record in place of the document."""
    review: list[str] = field(default_factory=list)


def _records_of(doc: Any) -> list[Any] | None:
    """The expected ids of a loaded document's records (None: the document is one error record)."""
    if isinstance(doc, dict) and isinstance(doc.get("sightings"), list):
        doc = doc["sightings"]
    elif isinstance(doc, dict) and "sightings" not in doc and ({"observed", "text"} & set(doc)):
        doc = [doc]
    if not isinstance(doc, list):
        return None
    out = []
    for rec in doc:
        rid = rec.get("id") if isinstance(rec, dict) else None
        out.append(str(rid) if isinstance(rid, (str, int)) and not isinstance(rid, bool) and rid != "" else None)
    return out


def _json_values(text: str) -> list[Any]:
    """Every JSON value in ``text``, one after another (yaml-test-suite's in.json holds one per document)."""
    dec = json.JSONDecoder()
    out, at = [], 0
    while True:
        while at < len(text) and text[at] in " \t\r\n":
            at += 1
        if at >= len(text):
            return out
        value, at = dec.raw_decode(text, at)
        out.append(value)


def json_cases(root: Path) -> list[Case]:
    """JSONTestSuite's parsing tests."""
    cases = []
    for p in sorted((root / "JSONTestSuite" / "test_parsing").glob("*.json")):
        kind = p.name[0]
        expected: list[Any] | None = None
        if kind == "y":
            try:
                recs = _records_of(json.loads(p.read_bytes()))
                expected = recs if recs is not None else ["<error>"]
            except ValueError:
                expected = None
        cases.append(Case("JSONTestSuite", p, "json", expected, invalid=kind == "n", name=p.name))
    return cases


def yaml_cases(root: Path) -> list[Case]:
    """yaml-test-suite: every in.yaml (sub-tests included)."""
    cases = []
    for p in sorted((root / "yaml-test-suite").rglob("in.yaml")):
        d = p.parent
        invalid = (d / "error").exists()
        expected: list[Any] | None = None
        if not invalid and (d / "in.json").exists():
            try:
                docs = _json_values((d / "in.json").read_text(encoding="utf-8"))
            except ValueError:
                docs = None
            if docs is not None:
                expected = []
                if len(docs) == 1 and docs[0] is not None:
                    recs = _records_of(docs[0])
                    expected = recs if recs is not None else ["<error>"]
                else:
                    for doc in docs:
                        if doc is None:
                            continue
                        recs = _records_of(doc)
                        expected += recs if recs is not None else ["<error>"]
        cases.append(Case("yaml-test-suite", p, "yaml", expected, invalid=invalid, name=str(d.relative_to(root / "yaml-test-suite"))))
    return cases


def csv_cases(root: Path, tmp: Path) -> list[Case]:
    """csv-spectrum: each CSV with its first header cell renamed to ``id``."""
    cases = []
    base = root / "csv-spectrum"
    for p in sorted((base / "csvs").glob("*.csv")):
        rows = json.loads((base / "json" / (p.stem + ".json")).read_text(encoding="utf-8"))
        raw = p.read_bytes()
        cut = min((i for i in (raw.find(b","), raw.find(b"\n"), raw.find(b"\r")) if i >= 0), default=len(raw))
        copy = tmp / p.name
        copy.write_bytes(b"id" + raw[cut:])
        first = next(iter(rows[0]), None) if rows else None
        expected = [(str(r[first]) if first is not None and str(r[first]).strip() != "" else None) for r in rows]
        cases.append(Case("csv-spectrum", copy, "csv", expected, name=p.name))
    return cases


def run_case(case: Case, exe: list[str], tally: Tally, verbose: bool) -> None:
    """Score one file and count what went wrong."""
    try:
        p = subprocess.run([*exe, "score", str(case.path), "--input-format", case.fmt, "--format", "jsonl", "--jobs", "1"],
                           capture_output=True, timeout=60, env=ENV)
    except subprocess.TimeoutExpired:
        tally.hangs.append(case.name)
        return
    err = p.stderr.decode("utf-8", "replace")
    if "Traceback (most recent call last)" in err or p.returncode not in (0, 1):
        tally.tracebacks.append(f"{case.name}: exit {p.returncode}: {err.strip().splitlines()[-1:] if err.strip() else ''}")
        return
    try:
        out = [json.loads(line) for line in p.stdout.splitlines() if line.strip()]
    except ValueError:
        tally.tracebacks.append(f"{case.name}: output is not JSON Lines")
        return
    tally.records += len(out)
    scored = [r for r in out if "error" not in r]
    tally.scored += len(scored)
    tally.errors += len(out) - len(scored)
    if case.invalid:
        if scored:
            tally.review.append(f"{case.name}: {len(scored)} scored from an input that must be refused")
        return
    exp = case.expected
    if exp is None:
        return
    if exp == ["<error>"] and not out and p.returncode == 1:
        return  # a clean refusal: nothing could be read, and the exit status says so
    want_scored = sum(1 for e in exp if e != "<error>")
    if len(out) == len(exp):
        for k, (want, got) in enumerate(zip(exp, out, strict=True)):
            if want == "<error>":
                if "error" not in got:
                    tally.invented.append(f"{case.name}: record {k + 1} scored from a document that is not a list of sightings")
                    return
            elif want is not None and str(got.get("id")) != want:
                tally.invented.append(f"{case.name}: record {k + 1} has id {got.get('id')!r}, the input {want!r}")
                return
    elif len(scored) > want_scored:
        tally.invented.append(f"{case.name}: {len(scored)} scored for {want_scored} records in the input")
    elif len(out) < len(exp):
        tally.lost.append(f"{case.name}: {len(out)} records for {len(exp)}")
    else:
        # NOTE: more records only in error records: a document PyYAML cannot read, one error record in its place.
        tally.unreadable.append(f"{case.name}: {len(out)} records ({len(out) - len(scored)} errors) for {len(exp)}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--suite", action="append", help="Only this suite (repeatable).")
    args = ap.parse_args()
    root = find_suites()
    if root is None:
        print("suites not found (/work/shared/suites or ../shared/suites); nothing to do")
        return 0
    exe = [sys.executable, "-m", "equipid"]
    only = set(args.suite or ())
    bad = False
    with tempfile.TemporaryDirectory() as t:
        groups = {"JSONTestSuite": json_cases(root), "yaml-test-suite": yaml_cases(root), "csv-spectrum": csv_cases(root, Path(t))}
        print("| suite | files | records out | scored | error records | tracebacks | hangs | lost | invented "
              "| valid but unreadable | scored from refused input |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for name, cases in groups.items():
            if only and name not in only:
                continue
            tally = Tally(files=len(cases))
            with ThreadPoolExecutor(args.jobs) as pool:
                list(pool.map(run_case, cases, itertools.repeat(exe), itertools.repeat(tally), itertools.repeat(args.verbose)))
            print(f"| {name} | {tally.files} | {tally.records} | {tally.scored} | {tally.errors} | {len(tally.tracebacks)} | "
                  f"{len(tally.hangs)} | {len(tally.lost)} | {len(tally.invented)} | {len(tally.unreadable)} | {len(tally.review)} |")
            for what in ("tracebacks", "hangs", "lost", "invented", *(("unreadable", "review") if args.verbose else ())):
                for line in sorted(getattr(tally, what)):
                    print(f"    {what}: {line}", file=sys.stderr)
            bad = bad or bool(tally.tracebacks or tally.hangs or tally.lost or tally.invented)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
