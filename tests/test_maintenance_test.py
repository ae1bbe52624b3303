"""`equipid catalog test`: example sightings scored and checked."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from equipid.cli.main import cli

MINI = Path(__file__).parent / "files" / "mini"


@pytest.fixture
def cat(tmp_path: Path) -> Path:
    dest = tmp_path / "cat"
    shutil.copytree(MINI, dest)
    return dest


def run(*args: str) -> object:
    return CliRunner().invoke(cli, ["catalog", "test", *args])


def add_test(cat: Path, body: str) -> None:
    (cat / "zz-tests.yaml").write_text("tests:\n" + body, encoding="utf-8")


def test_mini_tests_pass() -> None:
    r = run("--catalog", str(MINI))
    assert r.exit_code == 0, r.output
    assert r.stdout == "PASS palmyra-mini\n"
    # NOTE: the numbers follow the fitted weights (equipid/catalog/fitted.py); the shape is what is pinned.
    assert re.fullmatch(r"1 test\(s\): 1 passed, 0 failed\nprobability given the expected answer: "
                        r"mean 0\.9\d\d, Brier 0\.0\d\d, log loss 0\.0\d\d\n", r.stderr), r.stderr


#: A test whose expectation the mini catalog cannot meet: Russian kit expected to read as Ukrainian.
NOT_RUSSIAN = """\
  - id: btr-4-is-not-russian
    sighting:
      date: 2016-03-17
      location: {country: SY}
      observed: [AK-74M with suppressor and thermal sight, MIB]
    expect: {leading: [ua-afu]}
"""


def test_wrong_expectation_fails_with_the_ranking(cat: Path) -> None:
    add_test(cat, NOT_RUSSIAN + "    sources: [https://en.wikipedia.org/wiki/Spetsnaz_GRU]\n")
    r = run("--catalog", str(cat))
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert lines[0] == "PASS palmyra-mini"
    assert lines[1] == f"FAIL btr-4-is-not-russian ({cat / 'zz-tests.yaml'}:2:5)"
    # NOTE: which Russian leaf leads follows the fitted numbers; the report's shape is what is pinned.
    m = re.match(r"    leading leaf (\S+) \((0\.\d\d), path (?:ru|ru-pmc) > [^)]*\) is not under any of ua-afu", lines[2])
    assert m, lines[2]
    assert lines[3].startswith(f"    ranking: {m.group(1)} {m.group(2)}, ")
    assert re.match(r"    groups: ru\S* 0\.\d\d, ", lines[4])
    assert re.match(r"2 test\(s\): 1 passed, 1 failed\nprobability given the expected answer: mean 0\.\d{3},", r.stderr)


def test_a_known_miss_is_reported_not_failed(cat: Path) -> None:
    add_test(cat, NOT_RUSSIAN + """\
    known_miss: A fixture whose expectation the numbers do not meet.
    sources: [https://en.wikipedia.org/wiki/Spetsnaz_GRU]
  - id: marked-but-passes
    sighting: {date: 2016-03-17, location: {country: SY}, observed: [MIB, suppressor]}
    expect: {leading: [ru-sof]}
    known_miss: A fixture that passes again.
    sources: [https://en.wikipedia.org/wiki/Spetsnaz_GRU]
""")
    r = run("--catalog", str(cat))
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[1] == (f"MISS btr-4-is-not-russian ({cat / 'zz-tests.yaml'}:2:5), known: "
                        "A fixture whose expectation the numbers do not meet.")
    assert lines[2].startswith("    leading leaf ru-")
    assert "PASS marked-but-passes (marked known_miss, but passes: remove the mark)" in lines
    assert r.stderr.startswith("3 test(s): 2 passed, 0 failed, 1 known miss (1 marked known_miss pass again: "
                               "remove the marks)\n"), r.stderr
    doc = json.loads(run("--catalog", str(cat), "--format", "json").stdout)
    assert (doc["passed"], doc["failed"], doc["known_misses"]) == (2, 0, 1)
    assert doc["tests"][1]["known_miss"].startswith("A fixture whose")


def test_a_known_miss_never_hides_a_broken_test(cat: Path) -> None:
    add_test(cat, """\
  - id: typo-marked
    sighting: {date: 2016-03-17, location: {country: SY}, observed: [MIBB-typo-here]}
    expect: {leading: [ru-sof]}
    known_miss: A mark cannot excuse a name the catalog does not know.
    sources: [https://en.wikipedia.org/wiki/Spetsnaz_GRU]
""")
    r = run("--catalog", str(cat), "typo-marked")
    assert r.exit_code == 1
    assert r.stdout.startswith("FAIL typo-marked")
    assert r.stderr.startswith("1 test(s): 0 passed, 1 failed")


def test_min_probability_and_kept_open(cat: Path) -> None:
    (cat / "zy-hallmark.yaml").write_text("""\
indicators:
  - id: ua-hallmark
    name: hallmark
    when: {item: btr-4}
    likelihoods: {ua-afu: characteristic}
    default: unheard-of
    alternatives: A test fixture.
    rationale: A test fixture.
    sources: [https://en.wikipedia.org/wiki/BTR-4]
""", encoding="utf-8")
    add_test(cat, """\
  - id: too-sure
    sighting: {date: 2016-03-17, location: {country: SY}, observed: [MIB]}
    expect: {leading: [ru-sof, ru-pmc], min_probability: 0.99}
    sources: [https://en.wikipedia.org/wiki/Spetsnaz_GRU]
  - id: not-open
    sighting: {date: 2016, location: {country: UA}, observed: [BTR-4]}
    expect: {leading: [ua-afu], kept_open: true}
    sources: [https://en.wikipedia.org/wiki/BTR-4]
""")
    r = run("--catalog", str(cat), "too-sure", "not-open", "--format", "json")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert (doc["passed"], doc["failed"]) == (0, 2)
    too_sure, not_open = doc["tests"]
    assert too_sure["failures"][0].startswith("P(ru-")
    assert too_sure["failures"][0].endswith("is below min_probability 0.99")
    assert not_open["failures"][0].startswith("kept_open: ua-afu has ")
    assert not_open["failures"][0].endswith("> 0.8; the case should stay open")
    assert not_open["ranking"][0]["affiliation"] == "ua-afu"


def test_calibration_is_the_probability_given_the_expected_ids(cat: Path) -> None:
    """Per test, the leaves under the expected ids summed; over the tests, mean, Brier and log loss of those."""
    import math

    add_test(cat, """\
  - id: wrong-side
    sighting:
      date: 2016-03-17
      location: {country: SY}
      observed: [AK-74M with suppressor and thermal sight, MIB]
    expect: {leading: [ua-afu, ru-pmc]}
    sources: [https://en.wikipedia.org/wiki/Spetsnaz_GRU]
""")
    r = run("--catalog", str(cat), "--format", "json")
    doc = json.loads(r.stdout)
    ps = []
    for t in doc["tests"]:
        # palmyra-mini expects [ru-sof, ru-pmc]; this test [ua-afu, ru-pmc]: disjoint subtrees, so their totals add.
        expected = {"palmyra-mini": ("ru-sof", "ru-pmc"), "wrong-side": ("ua-afu", "ru-pmc")}[t["id"]]
        totals = {x["affiliation"]: x["probability"] for x in (*t["ranking"], *t["groups"])}
        want = sum(totals[a] for a in expected)
        assert t["expected_probability"] == pytest.approx(want)
        ps.append(want)
    assert 0.1 < ps[1] < 0.5
    cal = doc["calibration"]
    assert cal["scored"] == 2
    assert cal["mean_probability"] == pytest.approx(sum(ps) / 2, abs=1e-4)
    assert cal["brier"] == pytest.approx(sum((1 - p) ** 2 for p in ps) / 2, abs=1e-4)
    assert cal["log_loss"] == pytest.approx(-sum(math.log(p) for p in ps) / 2, abs=1e-4)


def test_unknown_test_name(cat: Path) -> None:
    r = run("--catalog", str(cat), "nope")
    assert r.exit_code == 2
    assert "no catalog test named 'nope'" in r.stderr


def test_bad_sighting_is_a_failure_not_a_crash(cat: Path) -> None:
    add_test(cat, """\
  - id: bad-date
    sighting: {date: 2016-02-30, observed: [MIB]}
    expect: {leading: [ru-sof]}
    sources: [https://en.wikipedia.org/wiki/Spetsnaz_GRU]
""")
    r = run("--catalog", str(cat), "bad-date")
    assert r.exit_code == 1
    assert "    sighting: date: impossible date '2016-02-30'" in r.stdout
    assert "Traceback" not in r.output


def test_broken_catalog_exits_2(cat: Path) -> None:
    (cat / "zz.yaml").write_text("equipment:\n  - id: x\n", encoding="utf-8")
    r = run("--catalog", str(cat))
    assert r.exit_code == 2
    assert f"{cat / 'zz.yaml'}:2:5:" in r.stderr


def test_a_tie_with_a_leaf_outside_the_expected_ids_fails(cat: Path) -> None:
    add_test(cat, """\
  - id: nothing-seen
    sighting: {date: 2016-03-17}
    expect: {leading: [ru-sof]}
    sources: [https://en.wikipedia.org/wiki/Spetsnaz_GRU]
  - id: sof-tie-within-sof
    sighting: {date: 2016-03-17, location: {country: SY}, observed: [MIB, suppressor]}
    expect: {leading: [ru-sof]}
    sources: [https://en.wikipedia.org/wiki/Spetsnaz_GRU]
""")
    r = run("--catalog", str(cat), "nothing-seen", "sof-tie-within-sof")
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert lines[0] == f"FAIL nothing-seen ({cat / 'zz-tests.yaml'}:2:5)"
    assert lines[1] == ("    leading leaf ru-ksso (0.06) is tied with ru-vdv, ru-naval-infantry, ru-ground-forces, ru-military-police, "
                        "ru-vks and 11 more, not under any of ru-sof; it leads only by tie order")
    # ru-ksso and ru-gru-spetsnaz tie, but both lie under ru-sof: that passes.
    assert lines[-1] == "PASS sof-tie-within-sof"


def test_an_unmatched_name_fails_the_test(cat: Path) -> None:
    add_test(cat, """\
  - id: typo
    sighting: {date: 2016-03-17, location: {country: SY}, observed: [nonexistent-gizmo]}
    expect: {leading: [ru-sof]}
    sources: [https://en.wikipedia.org/wiki/Spetsnaz_GRU]
  - id: typo-beside-real-kit
    sighting: {date: 2016-03-17, location: {country: SY}, observed: [MIB, suppressor, MIBB-typo-here]}
    expect: {leading: [ru-sof]}
    sources: [https://en.wikipedia.org/wiki/Spetsnaz_GRU]
""")
    r = run("--catalog", str(cat), "typo", "typo-beside-real-kit", "--format", "json")
    assert r.exit_code == 1
    typo, beside = json.loads(r.stdout)["tests"]
    assert typo["failures"][0] == "sighting names no item for 'nonexistent-gizmo'; fix the name or add an alias"
    assert typo["failures"][1].startswith("leading leaf ")  # the prior alone: not ru-sof, or tied
    assert beside["failures"] == ["sighting names no item for 'MIBB-typo-here'; fix the name or add an alias"]


# -- the documented examples work ---------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


def bundled_test_ids() -> set[str]:
    from equipid.catalog.loader import load_catalog
    from equipid.catalog.locate import bundled_catalog

    return {t.id for t in load_catalog([bundled_catalog()]).tests}


def test_help_examples_name_bundled_tests() -> None:
    import re

    r = CliRunner().invoke(cli, ["catalog", "test", "--help"])
    named = re.findall(r"equipid catalog test ([a-z0-9][a-z0-9-]+)", r.stdout)
    assert named and set(named) <= bundled_test_ids()
    for name in named:
        assert CliRunner().invoke(cli, ["catalog", "test", name], env={"EQUIPID_CATALOG": ""}).exit_code == 0


def test_documented_test_record_exists_and_passes(tmp_path: Path) -> None:
    text = (ROOT / "docs" / "catalog-format.md").read_text(encoding="utf-8")
    section = text.split("\n## Tests\n", 1)[1].split("\n## ", 1)[0]
    block = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    doc_id = block.split("- id: ", 1)[1].split("\n", 1)[0].strip()
    assert doc_id in bundled_test_ids()
    assert f"equipid catalog test {doc_id}" in section
    local = tmp_path / "local"
    local.mkdir()
    body = block.replace(f"- id: {doc_id}", "- id: documented-example").replace("sources: [...]", "sources: [https://www.bellingcat.com/]")
    (local / "tests.yaml").write_text("tests:\n" + "".join(f"  {ln}\n" for ln in body.splitlines()), encoding="utf-8")
    r = CliRunner().invoke(cli, ["catalog", "test", "documented-example", "--extend", str(local)], env={"EQUIPID_CATALOG": ""})
    assert r.exit_code == 0, r.output
