"""Property-based test of the readers and the scorer (issue 13).

Random sightings (any Unicode, huge numbers, deep nesting, long strings) are
written as YAML, JSON Lines and CSV, read back and scored: one output record
per input record, in order, with its id; every scored ranking sums to 1; no
exception. Bounded to well under a minute per format.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equipid.engine.batch import ChunkEngine
from equipid.sightings.readers import read_records

_SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

_text = st.text(max_size=40) | st.text(alphabet="MIBAK-74 \u202e\u2028\x85\t\"'[]{}:#&*!|>%@`", max_size=60) | st.sampled_from(
    ["MIB", "AK-74M with suppressor", "2x MIB", "possible T-90M?", "NO", "yes", "~", "null", "2016-02-30", "1e999", "0x1F"])
_long = st.builds(lambda c, n: c * n, st.sampled_from(["x", "MIB ", " ", "\u00e9"]), st.integers(0, 3000))
_number = st.integers(-(10**40), 10**40) | st.floats(allow_nan=False, allow_infinity=False) | st.integers(0, 5)


def _nested(depth: int) -> st.SearchStrategy[Any]:
    leaf = _text | _number | st.booleans() | st.none()
    return st.recursive(leaf, lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.sampled_from("abc"), kids, max_size=3),
                        max_leaves=depth)


def _deep(n: int) -> Any:
    v: Any = 1
    for _ in range(n):
        v = [v]
    return v


_entry = _text | _long | st.fixed_dictionaries(
    {"item": _text}, optional={"count": _number, "confidence": st.sampled_from(["possible", "probable", "confirmed", "maybe"]),
                               "attributes": st.lists(_text, max_size=3)})
_record = st.fixed_dictionaries(
    {},
    optional={
        "date": st.sampled_from(["2016-03-17", "2016-03", "2016", "2016-02-30", "soon"]) | _number,
        "location": _text | st.fixed_dictionaries({}, optional={"country": _text | st.booleans(), "name": _text,
                                                                 "lat": _number, "lon": _number}),
        "text": _text | _long,
        "observed": st.lists(_entry, max_size=4) | _text,
        "absent": st.lists(_text, max_size=2),
        "extra": _nested(12) | st.builds(_deep, st.integers(0, 90)),
    },
)
_records = st.lists(_record, min_size=1, max_size=6)


def _check(path: Path, n: int, mini: Any) -> None:
    raws = list(read_records(str(path)))
    engine = ChunkEngine(mini)
    out, _ = engine.records(raws)
    assert [r["id"] for r in out] == [f"r{i}" for i in range(n)], [r.get("error") for r in out]
    for r in out:
        if "error" not in r:
            assert abs(sum(x["probability"] for x in r["ranking"]) - 1) < 1e-6
        json.dumps(r, ensure_ascii=False).encode("utf-8")
    # The fast encoder: the same records, as valid UTF-8 JSON Lines.
    lines, _ = engine.jsonl(raws)
    assert [json.loads(x)["id"] for x in lines.decode("utf-8").split("\n") if x] == [r["id"] for r in out]


def _with_ids(recs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": f"r{i}", **r} for i, r in enumerate(recs)]


@_SETTINGS
@given(_records)
def test_jsonl_one_record_out_per_record_in(mini, recs) -> None:
    recs = _with_ids(recs)
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "f.jsonl"
        p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
        _check(p, len(recs), mini)


@_SETTINGS
@given(_records)
def test_yaml_one_record_out_per_record_in(mini, recs) -> None:
    recs = _with_ids(recs)
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "f.yaml"
        p.write_text(yaml.safe_dump(recs, allow_unicode=True, sort_keys=False, width=60), encoding="utf-8")
        _check(p, len(recs), mini)


@_SETTINGS
@given(_records)
def test_csv_one_record_out_per_record_in(mini, recs) -> None:
    recs = _with_ids(recs)
    cols = ["id", "date", "location", "country", "text", "observed", "extra"]
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(cols)
    for r in recs:
        loc = r.get("location")
        row = [r["id"], str(r.get("date", "")), loc if isinstance(loc, str) else "", "",
               r.get("text", ""), ";".join(x for x in r.get("observed", []) if isinstance(x, str)) if isinstance(r.get("observed"), list)
               else str(r.get("observed", "")), json.dumps(r.get("extra"))]
        # NOTE: a record whose cells are all empty but the id is still a record.
        w.writerow(row)
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "f.csv"
        p.write_text(buf.getvalue(), encoding="utf-8", newline="")
        _check(p, len(recs), mini)
