"""The command line's output flags and views: verdict first, one row per sighting, --format/-o everywhere, stdin, Ctrl-C."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from equipid.cli.main import cli

PALMYRA = ["AK-74M with thermal sight and suppressor", "MIB", "metal detector", "Celox", "bat emblem", "telnyashka",
           "--country", "SY", "--date", "2016-03-17"]


def _invoke(args, **kw):
    return CliRunner().invoke(cli, args, **kw)


def test_identify_says_the_verdict_first_and_ranks_on_one_screen() -> None:
    from equipid.catalog.cache import load_compiled
    from equipid.catalog.locate import catalog_dirs
    from equipid.output.view import verdict

    res = _invoke(["identify", *PALMYRA], env={"COLUMNS": "80"})
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    record = json.loads(_invoke(["identify", *PALMYRA, "--json"]).output)
    said = verdict(record, load_compiled(catalog_dirs()).aff_names)
    # NOTE: the verdict's numbers follow the catalog and the fitted weights; its place and wording are what is tested here.
    assert " ".join(lines[:2]).startswith(said[:60])
    assert said.startswith("Russian special operations")
    assert max(len(line) for line in lines) <= 80
    ranking = next(i for i, line in enumerate(lines) if line.startswith("Who most likely fielded it"))
    others = next(i for i, line in enumerate(lines) if "others" in line)
    assert others < 24 and ranking < others  # the whole ranking on one 80x24 screen


def test_verdict_says_when_the_leading_groups_cannot_be_told_apart() -> None:
    from equipid.output.view import verdict

    def leaf(aff: str, p: float, path: list[str]) -> dict:
        return {"affiliation": aff, "probability": p, "estimate": "unlikely", "path": path}

    rec = {"id": "x", "ranking": [leaf("ru-ksso", 0.38, ["ru", "ru-sof", "ru-ksso"]),
                                  leaf("ru-gru-spetsnaz", 0.37, ["ru", "ru-sof", "ru-gru-spetsnaz"]),
                                  leaf("ru-pmc-wagner", 0.25, ["ru-pmc", "ru-pmc-wagner"])]}
    names = {"ru-sof": "Russian special operations", "ru-pmc": "Russian private military companies"}
    assert verdict(rec, names) == "Russian special operations or Russian private military companies, 75 % / 25 %; cannot be told apart"


def test_identify_compares_the_groups_when_the_leaders_are_siblings() -> None:
    res = _invoke(["identify", *PALMYRA], env={"COLUMNS": "100"})
    head = next(line for line in res.output.splitlines() if line.strip().startswith("ru-sof"))
    assert "ru-pmc" in head  # evidence columns: the two groups, not ru-ksso against ru-gru-spetsnaz


def test_identify_format_and_output(tmp_path) -> None:
    out = tmp_path / "one.geojson"
    res = _invoke(["identify", *PALMYRA, "--format", "geojson", "-o", str(out)])
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text())
    assert doc["features"][0]["properties"]["leading_group"] == "ru-sof"
    one = _invoke(["identify", *PALMYRA, "--json"])
    assert json.loads(one.output)["sighting"]["date"] == "2016-03-17"
    assert _invoke(["identify", "MIB", "--json", "--format", "csv"]).exit_code == 2


def test_score_table_is_one_line_per_sighting_and_detail_is_full(tmp_path) -> None:
    src = tmp_path / "s.jsonl"
    src.write_text("\n".join(json.dumps({"id": f"s{i}", "date": "2016-03", "location": "Palmyra", "observed": ["MIB", "telnyashka"]})
                             for i in range(5)) + "\n")
    res = _invoke(["score", str(src), "--format", "table"], env={"COLUMNS": "120"})
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0].split()[:4] == ["id", "date", "place", "leading"]
    assert len(lines) == 6 and lines[1].startswith("s0") and "Palmyra" in lines[1] and "2016-03" in lines[1]
    detail = _invoke(["score", str(src), "--format", "table", "--detail"])
    assert detail.stdout.count("Who most likely fielded it") == 5


def test_score_json_shorthand(tmp_path) -> None:
    src = tmp_path / "s.jsonl"
    src.write_text(json.dumps({"id": "a", "observed": ["MIB"]}) + "\n")
    res = _invoke(["score", str(src), "--json"])
    assert [r["id"] for r in json.loads(res.stdout)] == ["a"]


def test_lookup_reads_names_from_stdin_and_json_is_always_a_list(tmp_path) -> None:
    res = _invoke(["lookup", "-", "--json"], input="AK-74M\n\nMIB\n")
    assert res.exit_code == 0, res.output
    assert [r["query"] for r in json.loads(res.stdout)] == ["AK-74M", "MIB"]
    one = _invoke(["lookup", "MIB", "--json"])
    assert isinstance(json.loads(one.stdout), list)
    out = tmp_path / "l.jsonl"
    assert _invoke(["lookup", "MIB", "celox", "--format", "jsonl", "-o", str(out)]).exit_code == 0
    assert [json.loads(line)["query"] for line in out.read_text().splitlines()] == ["MIB", "celox"]
    assert _invoke(["lookup", "-"], input="\n").exit_code == 2


@pytest.mark.parametrize("args", [["lookup", "MIB"], ["identify", "MIB"], ["score", "-"]])
def test_ctrl_c_exits_130_without_a_traceback(monkeypatch, args) -> None:
    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr("equipid.api.open_catalog", interrupted)
    res = _invoke(args, input="")
    assert res.exit_code == 130
    assert "interrupted" in res.output and "Traceback" not in res.output


@pytest.mark.parametrize("results_on_terminal", [True, False])
def test_progress_bar_only_when_results_do_not_share_the_terminal(monkeypatch, tmp_path, results_on_terminal) -> None:
    made = []

    class Bar:
        def __init__(self, total):
            made.append(total)

        def advance(self, n):
            pass

        def stop(self):
            pass

    monkeypatch.setattr("equipid.cli.score._Progress", Bar)
    monkeypatch.setattr("equipid.cli.score._stderr_is_terminal", lambda: True)
    monkeypatch.setattr("equipid.cli.score.stdout_is_terminal", lambda: results_on_terminal)
    src = tmp_path / "s.jsonl"
    src.write_text(json.dumps({"id": "a", "observed": ["MIB"]}) + "\n")
    res = _invoke(["score", str(src)])
    assert res.exit_code == 0, res.output
    assert made == ([] if results_on_terminal else [1])
    assert res.stdout.startswith("id ") if results_on_terminal else json.loads(res.stdout)["id"] == "a"


def test_dask_without_the_extra_says_which(monkeypatch, tmp_path) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "distributed", None)
    src = tmp_path / "s.jsonl"
    src.write_text(json.dumps({"id": "a", "observed": ["MIB"]}) + "\n")
    res = _invoke(["score", str(src), "--dask", "local:2", "-o", str(tmp_path / "o.jsonl")])
    assert res.exit_code == 2 and "pip install 'equipid[dask]'" in res.output
    assert not (tmp_path / "o.jsonl").exists()
