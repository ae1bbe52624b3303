"""`equipid catalog stats | schema | export`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from equipid.catalog.kinds import KINDS
from equipid.catalog.locate import catalog_files
from equipid.catalog.yamlio import load_yaml
from equipid.cli.main import cli

MINI = Path(__file__).parent / "files" / "mini"


def run(*args: str) -> object:
    return CliRunner().invoke(cli, ["catalog", *args])


# -- stats ---------------------------------------------------------------------

def test_stats_json() -> None:
    r = run("stats", "--catalog", str(MINI), "--json")
    assert r.exit_code == 0, r.output
    s = json.loads(r.stdout)
    assert s["records"] == {"equipment": 11, "affiliations": 22, "indicators": 6, "priors": 1, "tests": 1, "places": 5, "counts": 0}
    assert s["equipment_by_category"]["small-arm"] == 2
    assert s["indicators_per_affiliation"]["ru-ksso"] == {"naming_it": 0, "naming_it_or_a_parent": 4}
    assert s["items_without_indicators"] == ["ak-74", "t-90", "t-90m", "r-166-0-5"]
    assert sum(s["records_without_sources"].values()) == 0
    assert s["in_service"]["with_in_service"] == 6
    assert s["in_service"]["from_by_decade"] == {"1970s": 1, "1990s": 2, "2000s": 1, "2010s": 1, "2020s": 1}


def test_stats_text() -> None:
    r = run("stats", "--catalog", str(MINI))
    assert r.exit_code == 0
    assert "Items without indicators: 4\n  ak-74, t-90, t-90m, r-166-0-5\n" in r.stdout
    assert "In-service dates: 6 of 11 items (55%)" in r.stdout


# -- schema --------------------------------------------------------------------

def test_file_schema_is_valid_and_accepts_the_mini_catalog() -> None:
    r = run("schema")
    assert r.exit_code == 0
    schema = json.loads(r.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    v = jsonschema.Draft202012Validator(schema)
    for _, path in catalog_files([MINI]):
        data, _ = load_yaml(path.read_text(encoding="utf-8"), str(path))
        assert list(v.iter_errors(data)) == []


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_schema_is_valid(kind: str) -> None:
    r = run("schema", kind)
    assert r.exit_code == 0
    jsonschema.Draft202012Validator.check_schema(json.loads(r.stdout))


def test_schema_checks_a_sample_record() -> None:
    schema = json.loads(run("schema", "equipment").stdout)
    v = jsonschema.Draft202012Validator(schema)
    good = {"id": "ak-74m", "name": "AK-74M", "category": "small-arm", "in_service": {"from": 1991},
            "sources": ["https://en.wikipedia.org/wiki/AK-74", {"url": "https://example.org", "title": "t"}]}
    assert list(v.iter_errors(good)) == []
    for bad in ({**good, "id": "AK 74M"}, {**good, "category": "tonk"}, {**good, "colour": "black"},
                {k: x for k, x in good.items() if k != "sources"}, {**good, "in_service": {"from": "1991-13-45x"}}):
        assert list(v.iter_errors(bad)), bad


def test_indicator_schema_checks_conditions() -> None:
    v = jsonschema.Draft202012Validator(json.loads(run("schema", "indicators").stdout))
    base = {"id": "i", "name": "n", "likelihoods": {"ru-sof": "common"}, "default": "rare", "rationale": "r",
            "sources": ["https://example.org"]}
    assert list(v.iter_errors({**base, "when": {"all": [{"item": "mib"}, {"date": {"from": 2015}}]}})) == []
    assert list(v.iter_errors({**base, "when": {"all": [{"item": "mib", "country": ["SY"]}]}}))
    assert list(v.iter_errors({**base, "when": {"sometimes": True}}))


def test_schema_to_file_and_unknown_kind(tmp_path: Path) -> None:
    out = tmp_path / "catalog.schema.json"
    r = run("schema", "-o", str(out))
    assert r.exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["title"] == "equipid catalog file"
    r = run("schema", "vehicles")
    assert r.exit_code == 2
    assert "Traceback" not in r.output


# -- export --------------------------------------------------------------------

def test_export_json_has_full_records() -> None:
    r = run("export", "--catalog", str(MINI), "--format", "json")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert list(doc) == ["equipment", "affiliations", "indicators", "priors", "places"]
    assert [len(doc[k]) for k in doc] == [11, 22, 6, 1, 5]
    ak = doc["equipment"][1]
    assert ak["id"] == "ak-74m" and ak["variant_of"] == "ak-74"
    assert ak["sources"] == ["https://en.wikipedia.org/wiki/AK-74"]
    assert set(ak) == {"id", "name", "category", "aliases", "not_in_text", "unit_numbers", "garrison", "generic", "variant_of",
                       "origin", "in_service", "operators", "operators_note", "recognition", "notes", "sources"}
    assert doc["indicators"][0]["when"] == {"item": "mib"}
    assert doc["priors"][0]["weights"] and doc["priors"][0]["sources"]
    assert {"id", "name", "country", "kind", "aliases", "lat", "lon", "held", "within", "sources"} == set(doc["places"][0])


def test_export_csv_one_row_per_item() -> None:
    r = run("export", "--catalog", str(MINI), "--format", "csv")
    assert r.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) == 11
    assert rows[2]["aliases"] == "silencer; PBS-1; ПБС-1"
    assert rows[1]["in_service_from"] == "1991"


def test_export_markdown_tables(tmp_path: Path) -> None:
    out = tmp_path / "catalog.md"
    r = run("export", "--catalog", str(MINI), "--format", "markdown", "-o", str(out))
    assert r.exit_code == 0
    md = out.read_text(encoding="utf-8")
    assert "## Equipment (11)" in md and "## Affiliations (22)" in md and "## Indicators (6)" in md
    assert "## Priors (1)" in md and "## Places (5)" in md
    assert "| ak-suppressed-thermal | AK-74M with suppressor and thermal sight | all(item ak-74m, item suppressor, item thermal-sight) |" in md
    assert "[1](https://en.wikipedia.org/wiki/AK-74)" in md


# -- every command: help, and bad input without a traceback ---------------------

@pytest.mark.parametrize("cmd", ["lint", "new", "fmt", "test", "stats", "schema", "export"])
def test_every_command_has_help_and_catalog_options(cmd: str) -> None:
    r = run(cmd, "--help")
    assert r.exit_code == 0
    assert "--catalog DIR" in r.stdout and "--extend DIR" in r.stdout
    assert "Example" in r.stdout


@pytest.mark.parametrize("cmd", ["lint", "fmt", "test", "stats", "export"])
def test_missing_catalog_is_a_message(cmd: str, tmp_path: Path) -> None:
    r = run(cmd, "--catalog", str(tmp_path / "missing"))
    assert r.exit_code == 2
    assert "does not exist" in r.stderr
    assert "Traceback" not in r.output


def test_export_csv_neutralises_formulas_and_quotes_line_breaks(tmp_path: Path) -> None:
    import shutil

    cat = tmp_path / "cat"
    shutil.copytree(MINI, cat)
    (cat / "zz-hostile.yaml").write_text("""\
equipment:
  - id: hostile
    name: "@SUM(1+1)*cmd|' /C calc'!A0"
    category: other
    aliases: ["=cmd|' /C calc'!A0", "-2+3"]
    recognition: "+1"
    notes: "first\\rsecond"
    operators_note: "-12.5"
    sources: [https://example.org/hostile]
""", encoding="utf-8")
    r = run("export", "--catalog", str(cat), "--format", "csv")
    assert r.exit_code == 0
    (row,) = [ln for ln in r.stdout.split("\n") if ln.startswith("hostile,")]
    assert row == ("hostile,'@SUM(1+1)*cmd|' /C calc'!A0,other,'=cmd|' /C calc'!A0; -2+3,,,,,,,,,,,-12.5,+1,"
                   "\"first\rsecond\",https://example.org/hostile")
    rows = {x["id"]: x for x in csv.DictReader(io.StringIO(r.stdout, newline=""))}
    assert rows["hostile"]["notes"] == "first\rsecond"
    assert len(rows) == 12


def test_schema_help_shows_the_readme_line() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    (line,) = [ln for ln in readme.splitlines() if ln.startswith("# yaml-language-server: $schema=")]
    r = run("schema", "--help")
    assert line in r.stdout
