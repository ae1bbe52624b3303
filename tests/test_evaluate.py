"""equipid eval: labelled cases in, accuracy, Brier, log loss and calibration out; fitted weights."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from equipid.cli.main import cli
from equipid.engine.evaluate import Bench, Case, Outcome, figures, fit, folds, hand_set, judge, load_cases
from equipid.errors import InputError

CASES = """\
cases:
- sighting: {id: a, date: "2016-03", location: {country: SY}, observed: [MIB, AK-74M with suppressor and thermal sight]}
  truth: [ru-sof]
  ambiguous: false
- sighting: {id: b, date: "2023-03", location: {country: UA}, observed: [BTR-4]}
  truth: [ua-afu]
- sighting: {id: c, date: "2016-03", location: {country: SY}, observed: [telnyashka]}
  truth: [ru-vdv, ru-naval-infantry]
  ambiguous: true
"""
TESTS = """\
tests:
  - id: t1
    sighting: {date: "2023-03", location: {country: UA}, observed: [BTR-4]}
    expect: {leading: [ua-afu]}
"""


@pytest.fixture
def case_files(tmp_path: Path) -> list[str]:
    a = tmp_path / "cases.yaml"
    a.write_text(CASES, encoding="utf-8")
    b = tmp_path / "tests.yaml"
    b.write_text(TESTS, encoding="utf-8")
    return [str(a), str(b)]


def test_load_cases_reads_both_shapes(case_files: list[str]) -> None:
    cases = load_cases(case_files)
    assert [(c.id, c.truth, c.ambiguous) for c in cases] == [
        ("a", ["ru-sof"], False), ("b", ["ua-afu"], False), ("c", ["ru-vdv", "ru-naval-infantry"], True), ("t1", ["ua-afu"], False)]


def test_load_cases_names_file_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("cases:\n- sighting: {observed: [MIB]}\n  truth: 3\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.yaml: cases\[0\]: truth: a list"):
        load_cases([str(bad)])


def _rec(probs: dict[str, float]) -> dict:
    paths = {"ru-ksso": ["ru", "ru-sof", "ru-ksso"], "ru-vdv": ["ru", "ru-vdv"], "ua-afu": ["ua-afu"]}
    ranking = sorted(({"affiliation": a, "probability": p, "path": paths[a]} for a, p in probs.items()),
                     key=lambda r: -r["probability"])
    return {"id": "x", "ranking": ranking}


def test_judge_and_figures() -> None:
    right = judge(_rec({"ru-ksso": 0.9, "ru-vdv": 0.05, "ua-afu": 0.05}), Case("x", {}, ["ru-sof"]))
    wrong = judge(_rec({"ua-afu": 0.85, "ru-vdv": 0.1, "ru-ksso": 0.05}), Case("y", {}, ["ru"]))
    shut = judge(_rec({"ru-vdv": 0.9, "ru-ksso": 0.05, "ua-afu": 0.05}), Case("z", {}, ["ru-vdv", "ru-sof"], True))
    assert (right.right, wrong.right, shut.right) == (True, False, False)  # an ambiguous case must stay open
    f = figures([right, wrong, shut])
    assert f.right == 1 and f.confident == 3 and f.confident_wrong == 1
    assert math.isclose(f.brier, ((1 - 0.9) ** 2 + (1 - 0.15) ** 2 + (1 - 0.95) ** 2) / 3)
    assert math.isclose(f.log_loss, -(math.log(0.9) + math.log(0.15) + math.log(0.95)) / 3)
    # bins: 0.8-0.9 holds the wrong 0.85, 0.9-1.0 the two right 0.9s
    assert math.isclose(f.ece, 1 / 3 * abs(0 - 0.85) + 2 / 3 * abs(1 - 0.9), abs_tol=1e-9)
    # the ambiguous case's log score asks each truth id to keep a share
    assert shut.score < math.log(shut.mass)


def test_folds_cover_every_case_once() -> None:
    fs = folds(23, 5)
    assert sorted(i for f in fs for i in f) == list(range(23))
    assert fs == folds(23, 5)


def test_fit_does_not_lose_log_score(mini, case_files: list[str]) -> None:
    bench = Bench(mini, load_cases(case_files))
    start = sum(o.score for o in bench.outcomes(hand_set())) / len(bench.cases)
    w, best = fit(bench, sweeps=1)
    assert best >= start - 1e-12
    assert w.likelihood["characteristic"] > w.likelihood["common"] > w.likelihood["occasional"] > w.likelihood["rare"]


def test_eval_cli_json(runner, case_files: list[str], mini_dir: Path) -> None:
    r = runner.invoke(cli, ["eval", *case_files, "--catalog", str(mini_dir), "--format", "json", "--misses"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["cases"] == 4 and set(doc) >= {"top1", "brier", "log_loss", "ece", "confident_wrong", "misses"}


def test_eval_cli_text_and_cv(runner, case_files: list[str], mini_dir: Path) -> None:
    r = runner.invoke(cli, ["eval", *case_files, "--catalog", str(mini_dir), "--cv", "2"])
    assert r.exit_code == 0, r.output
    assert "(2-fold cross-validated)" in r.stdout and "Brier" in r.stdout and "ECE" in r.stdout


def test_eval_cli_bad_file_is_a_message(runner, tmp_path: Path) -> None:
    r = runner.invoke(cli, ["eval", str(tmp_path / "none.yaml")])
    assert r.exit_code == 2
    assert "none.yaml: cannot read" in r.output and "Traceback" not in r.output


def test_eval_plot_without_matplotlib_says_so(runner, case_files: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real = builtins.__import__

    def no_mpl(name, *a, **k):
        if name.startswith("matplotlib"):
            raise ImportError(name)
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_mpl)
    r = runner.invoke(cli, ["eval", *case_files, "--plot", "x.png"])
    assert r.exit_code == 2
    assert "pip install 'equipid[plot]'" in r.output


def test_outcome_fields() -> None:
    o = Outcome("x", "ua-afu", 0.5, 0.5, True, True, math.log(0.5))
    assert o.score == math.log(0.5)
