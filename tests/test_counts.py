"""Counts tables: the record kind, the rule that turns counts into likelihoods, and the generator."""

import csv
import importlib.util
import math
import subprocess
import sys
from pathlib import Path

import pytest

from equipid.catalog.compiler import _presence, compile_catalog
from equipid.catalog.conditions import REGISTRY
from equipid.catalog.loader import load_catalog
from equipid.catalog.scale import LIKELIHOOD
from equipid.errors import CatalogError

ROOT = Path(__file__).resolve().parent.parent

TABLE = """\
counts:
  - id: test-table
    name: Test losses
    sides: {ru: ru, ua: ua-afu}
    period: {from: "2022-03-01", until: "2023-12-31"}
    applies: {all: [{country: [UA, RU]}, {date: {from: "2022-02-24"}}]}
    smoothing: 0.5
    rationale: Counted by side.
    sources: [https://example.org/counts]
    rows:
      - {item: t-90, ru: 10, ua: 0}
      - {item: t-90m, ru: 30, ua: 2}
      - {item: btr-4, ru: 3, ua: 40}
      - {item: ak-74, ru: 7, ua: 8}
"""


def _compiled(cat_dir: Path):
    return compile_catalog(load_catalog([cat_dir]), "test")


def _row(c, item: str) -> int:
    return next(n for n, d in enumerate(c.indicators) if d["id"] == f"test-table--{item}")


def test_rule_gives_side_rates_pooled_default_and_floor(mini_copy: Path) -> None:
    (mini_copy / "counts.yaml").write_text(TABLE)
    c = _compiled(mini_copy)
    leaf = c.leaf_index()
    k, a = 4, 0.5
    n_ru, n_ua = 10 + 30 + 3 + 7, 0 + 2 + 40 + 8
    p = c.ind_p[_row(c, "ak-74")]  # no hand rule on the AK-74: the plain rule
    assert p[leaf["ru-vdv"]] == pytest.approx((7 + a) / (n_ru + a * k))
    assert p[leaf["ru-ksso"]] == p[leaf["ru-vdv"]]  # every leaf of the ru subtree
    assert p[leaf["ua-afu"]] == pytest.approx((8 + a) / (n_ua + a * k))
    assert p[leaf["sy-saa"]] == pytest.approx((15 + a) / (n_ru + n_ua + a * k))  # pooled, for leaves under no side
    q = c.ind_p[_row(c, "t-90")]
    floor = LIKELIHOOD["rare"] / LIKELIHOOD["characteristic"]
    # none counted: the smoothed rate, but never below rare/characteristic of the highest
    assert q[leaf["ua-afu"]] == pytest.approx(max((0 + a) / (n_ua + a * k), max(q) * floor))


def test_rows_fire_in_their_theatre_and_the_nearest_row_wins(mini_copy: Path) -> None:
    (mini_copy / "counts.yaml").write_text(TABLE)
    c = _compiled(mini_copy)
    r90, r90m = _row(c, "t-90"), _row(c, "t-90m")
    assert r90 in c.ind_supersedes[r90m]  # the variant's own row replaces its parent's
    assert c.ind_cond[r90m][0] == "all" and ("item", "t-90m") in c.ind_cond[r90m][1]
    assert r90m in c.ind_no_suggest and r90 in c.ind_no_suggest
    hand = next(n for n, d in enumerate(c.indicators) if d["id"] == "btr-4-ukraine")
    assert hand in c.ind_supersedes[_row(c, "btr-4")]  # a hand rule on the same kit gives way


def test_hand_rule_keeps_its_say_within_a_side(mini_copy: Path) -> None:
    (mini_copy / "counts.yaml").write_text(TABLE)
    (mini_copy / "ak.yaml").write_text("""\
indicators:
  - id: ak-74-vdv
    name: AK-74 with the VDV
    when: {item: ak-74}
    likelihoods: {ru-vdv: characteristic, ru-ground-forces: occasional, ua-afu: rare}
    default: rare
    rationale: Test rule.
    sources: [https://example.org/ak]
""")
    c = _compiled(mini_copy)
    leaf = c.leaf_index()
    p = c.ind_p[_row(c, "ak-74")]
    rate_ru = (7 + 0.5) / (50 + 2)
    ratio = LIKELIHOOD["occasional"] / LIKELIHOOD["characteristic"]
    assert p[leaf["ru-ground-forces"]] == pytest.approx(p[leaf["ru-vdv"]] * ratio)  # the rule's shape within the side
    assert p[leaf["ru-vdv"]] > rate_ru  # the favourite above the side's rate, the others below it
    # the side as a whole keeps its rate: the mean over its leaves, each weighed by how present the priors
    # that can apply in the table's theatre make it
    applies = REGISTRY.compile({"all": [{"country": ["UA", "RU"]}, {"date": {"from": "2022-02-24"}}]})
    w = _presence(applies, c.priors, len(c.leaves))
    ru = [j for j, path in enumerate(c.paths) if path[0] == "ru"]
    assert sum(w[j] * p[j] for j in ru) / sum(w[j] for j in ru) == pytest.approx(rate_ru)
    assert p[leaf["ua-afu"]] == pytest.approx((8 + 0.5) / (50 + 2))  # between the sides: the counts alone


def test_presence_is_the_mean_of_the_priors_that_apply() -> None:
    applies = REGISTRY.compile({"all": [{"country": ["UA"]}, {"date": {"from": "2022-02-24"}}]})
    day = 738_000  # 2021-07-29 as a proleptic ordinal: before the table applies
    priors = [("early", frozenset({"UA"}), None, day, [1.0, 0.0]),
              ("late", frozenset({"UA"}), day + 1, None, [0.25, 0.75]),
              ("syria", frozenset({"SY"}), None, None, [0.0, 1.0])]
    assert _presence(applies, priors, 2) == pytest.approx([0.25, 0.75])  # only the prior from 2022 on in UA
    assert _presence(applies, [], 2) == pytest.approx([0.5, 0.5])  # none: every leaf alike


def test_scored_sighting_uses_the_row(mini_copy: Path) -> None:
    (mini_copy / "counts.yaml").write_text(TABLE)
    from equipid.engine.scorer import Scorer
    from equipid.sightings.matcher import Observer

    c = _compiled(mini_copy)
    s, o = Scorer(c), Observer(c)

    def score(rec: dict) -> dict:
        return s.score(o.observe(rec, "t"))

    out = score({"id": "x", "date": "2023-05-01", "location": {"country": "UA"}, "observed": ["BTR-4"]})
    assert [e["indicator"] for e in out["evidence"]] == ["test-table--btr-4"]
    assert all(x["indicator"] != "test-table--btr-4" for x in out["look_for_next"])
    elsewhere = score({"id": "y", "date": "2023-05-01", "location": {"country": "SY"}, "observed": ["BTR-4"]})
    assert [e["indicator"] for e in elsewhere["evidence"]] == ["btr-4-ukraine"]


@pytest.mark.parametrize("row, message", [
    ("{item: ak-74, ru: -1}", "whole number"),
    ("{item: ak-74, pl: 3}", "not one of the sides"),
    ("{ru: 3}", "needs item"),
    ("{item: no-such-item, ru: 3}", "unknown item"),
])
def test_bad_rows_are_refused(mini_copy: Path, row: str, message: str) -> None:
    (mini_copy / "counts.yaml").write_text(TABLE.replace("{item: ak-74, ru: 7, ua: 8}", row))
    with pytest.raises(CatalogError) as e:
        load_catalog([mini_copy])
    assert message in str(e.value)


def _load_tool(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_generator_counts_by_owner_and_skips_later_rows(mini_copy: Path, tmp_path: Path) -> None:
    src = tmp_path / "oryx.csv"
    with open(src, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["owner", "model", "origin", "status", "first_recorded", "photo"])
        w.writerow(["ru", "T-90M", "Russia", "destroyed", "2022-05-01", "x"])
        w.writerow(["ru", "T-90M", "Russia", "captured", "2022-09-10", "x"])  # captured: still Russian-owned
        w.writerow(["ua", "BTR-4", "Ukraine", "destroyed", "2023-01-01", "x"])
        w.writerow(["ua", "BTR-4", "Ukraine", "destroyed", "2024-02-01", "x"])  # after --until: left out
        w.writerow(["ua", "Gizmo 3000", "Ukraine", "destroyed", "2023-01-01", "x"])  # unrecognised
    out = mini_copy / "counts" / "table.yaml"
    tool = ROOT / "tools" / "oryx_counts.py"
    r = subprocess.run([sys.executable, str(tool), str(src), "-o", str(out), "--catalog", str(mini_copy)],
                       capture_output=True, text=True, check=True)
    assert "Gizmo 3000" in r.stderr
    text = out.read_text(encoding="utf-8")
    assert "- {item: t-90m, ru: 2, ua: 0}" in text
    assert "- {item: btr-4, ru: 0, ua: 1}" in text
    cat = load_catalog([mini_copy])  # the output is a valid counts record
    assert [ct.id for ct in cat.counts] == ["oryx-ru-ua-2022-2023"]
    assert math.isclose(cat.counts[0].smoothing, 0.5)


def test_benchmark_skips_without_its_data(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "oryx_kit.py"), str(tmp_path / "absent.csv")],
                       capture_output=True, text=True)
    assert r.returncode == 0
    assert "not found; skipped" in r.stdout
