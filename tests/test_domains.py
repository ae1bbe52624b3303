"""The catalog's layout by domain: the mapping, the layout tool, and stats by domain."""

from __future__ import annotations

import runpy
import shutil
import sys
from pathlib import Path

import yaml

from equipid.catalog.domains import DOMAINS, domain_of_category, domain_of_indicator

ROOT = Path(__file__).resolve().parent.parent


def test_every_category_has_one_domain() -> None:
    from equipid.catalog.values import Category

    seen = [c for cats in DOMAINS.values() for c in cats]
    assert len(seen) == len(set(seen))
    for c in Category:
        assert domain_of_category(c.value) in DOMAINS


def test_an_indicator_goes_where_most_of_its_items_are() -> None:
    cats = {"t-72b3": "tank", "bmp-2": "ifv", "pkm": "machine-gun"}
    assert domain_of_indicator({"any": [{"item": "t-72b3"}, {"item": "bmp-2"}, {"item": "pkm"}]}, cats) == "armour"
    assert domain_of_indicator({"attribute": {"item": "pkm", "with": "t-72b3"}}, cats) == "small-arms"  # a tie: the first named
    assert domain_of_indicator({"country": ["UA"]}, cats) == "context"


def test_layout_tool_moves_records_keeps_notes_and_is_idempotent(tmp_path: Path, mini_dir: Path, capsys) -> None:
    cat = tmp_path / "cat"
    shutil.copytree(mini_dir, cat)
    (cat / "equipment").mkdir()
    (cat / "indicators").mkdir()
    (cat / "equipment" / "batch-a.yaml").write_text(
        "# Notes on batch A.\nequipment:\n"
        "  - id: tank-a\n    name: Tank A  # a kept comment\n    category: tank\n    sources: [https://example.org/a]\n"
        "  - {id: rifle-a, name: Rifle A, category: small-arm, sources: [https://example.org/a]}\n", encoding="utf-8")
    (cat / "indicators" / "batch-a.yaml").write_text(
        "indicators:\n  - {id: tank-a-seen, name: Tank A seen, when: {item: tank-a}, likelihoods: {ru: common}, default: rare,"
        " rationale: r, sources: [https://example.org/a]}\n", encoding="utf-8")
    before = {k: sorted(r["id"] for f in cat.glob(f"{k}/*.yaml") for r in yaml.safe_load(f.read_text())[k])
              for k in ("equipment", "indicators")}
    argv = sys.argv
    try:
        sys.argv = ["catalog_layout.py", str(cat)]
        runpy.run_path(str(ROOT / "tools" / "catalog_layout.py"), run_name="not-main")["main"](cat)
        runpy.run_path(str(ROOT / "tools" / "catalog_layout.py"), run_name="not-main")["main"](cat)
    finally:
        sys.argv = argv
    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith("0 record(s) moved")
    after = {k: sorted(r["id"] for f in cat.glob(f"{k}/*.yaml") for r in yaml.safe_load(f.read_text())[k])
             for k in ("equipment", "indicators")}
    assert after == before
    assert sorted(f.name for f in cat.glob("equipment/*.yaml")) == ["armour.yaml", "small-arms.yaml"]
    assert [f.name for f in cat.glob("indicators/*.yaml")] == ["armour.yaml"]
    assert "a kept comment" in (cat / "equipment" / "armour.yaml").read_text()
    assert "Notes on batch A." in (cat / "NOTES.md").read_text()


def test_stats_count_by_domain(mini_dir: Path) -> None:
    from equipid.catalog.loader import load_catalog
    from equipid.maintenance.stats import stats

    s = stats(load_catalog([mini_dir]))
    assert set(s["by_domain"]) == set(DOMAINS)
    assert sum(d["equipment"] for d in s["by_domain"].values()) == s["records"]["equipment"]
    assert sum(d["indicators"] for d in s["by_domain"].values()) == s["records"]["indicators"]
