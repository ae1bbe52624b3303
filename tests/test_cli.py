import json

import pytest

from equipid import __version__
from equipid.cli.main import cli


def test_version(runner) -> None:
    res = runner.invoke(cli, ["--version"])
    assert res.exit_code == 0 and res.output == f"equipid, version {__version__}\n"


@pytest.mark.parametrize(
    "name, item",
    [
        ("АК-74М", "ak-74m"),
        ("ak74m", "ak-74m"),
        ("Kalashnikov AK-74M", "ak-74m"),
        ("R-166-0,5", "r-166-0-5"),
        ("celox", "celox"),
        ("telnyashka", "telnyashka"),
        ("2S19", "2s19"),
        ("bat emblem", "bat-emblem"),
        ("thermal sight", "thermal-sight"),
        ("military intelligence insignia", "gru-insignia"),
        ("152 mm howitzers", "howitzer-152mm"),
        ("KamAZ artillery tractors", "kamaz-artillery-tractor"),
        ("Msta-B", "2a65"),
        ("Giatsint-B", "2a36"),
        ("R-17 Scud", "r-17-scud"),
        ("RBK-500", "rbk-500"),
        ("BTR-82A", "btr-82a"),
        ("T-90", "t-90"),
        ("pull cord", "tripwire-kit"),
        ("tactical rails", "tactical-rails"),
        ("suppressor", "suppressor"),
        ("MIB", "mib"),
        ("metal detector", "metal-detector"),
    ],
)
def test_lookup_bundled_names(runner, name, item) -> None:
    res = runner.invoke(cli, ["lookup", "--json", name])
    assert res.exit_code == 0, res.output
    [data] = json.loads(res.output)  # always a list, even for one name
    assert data["items"][0]["id"] == item


def test_lookup_unknown_exits_1_with_suggestions(runner) -> None:
    res = runner.invoke(cli, ["lookup", "xyz123"])
    assert res.exit_code == 1
    assert res.output.startswith("no item 'xyz123'; did you mean: ")


def test_lookup_panel_content(runner, mini_dir) -> None:
    res = runner.invoke(cli, ["lookup", "--catalog", str(mini_dir), "AK-74M"], terminal_width=120)
    assert res.exit_code == 0
    for text in ("AK-74M", "variant of", "AK-74", "1991", "What it indicates", "sources:", "wikipedia.org/wiki/AK-74"):
        assert text in res.output


def test_lookup_fuzzy_says_it_guessed(runner, mini_dir) -> None:
    res = runner.invoke(cli, ["lookup", "--catalog", str(mini_dir), "--json", "telnyaska"])
    [data] = json.loads(res.output)
    assert data["match"] == "fuzzy" and 0 < data["score"] < 100


def test_identify_json_is_a_contract_record(runner, mini_dir) -> None:
    res = runner.invoke(cli, ["identify", "--catalog", str(mini_dir), "--json", "MIB", "telnyashka", "--country", "SY", "--date", "2016-03-17"])
    assert res.exit_code == 0, res.output
    rec = json.loads(res.output)
    for key in ("id", "ranking", "groups", "evidence", "unmatched", "warnings", "look_for_next"):
        assert key in rec
    assert abs(sum(r["probability"] for r in rec["ranking"]) - 1) < 1e-9


def test_identify_table(runner, mini_dir) -> None:
    res = runner.invoke(cli, ["identify", "--catalog", str(mini_dir), "MIB", "frobnicator", "--absent", "BTR-4"], terminal_width=140)
    assert res.exit_code == 0
    for text in ("Who most likely fielded it", "Groups:", "Evidence", "Unmatched: frobnicator", "absent: BTR-4"):
        assert text in res.output


def test_identify_bad_date_is_a_message(runner, mini_dir) -> None:
    res = runner.invoke(cli, ["identify", "--catalog", str(mini_dir), "MIB", "--date", "2016-02-30"])
    assert res.exit_code == 2
    assert "date: impossible date '2016-02-30'" in res.output and "Traceback" not in res.output


def test_identify_needs_something(runner, mini_dir) -> None:
    assert runner.invoke(cli, ["identify", "--catalog", str(mini_dir)]).exit_code == 2


def test_missing_catalog_dir_is_a_message(runner, tmp_path) -> None:
    res = runner.invoke(cli, ["lookup", "--catalog", str(tmp_path / "nope"), "MIB"])
    assert res.exit_code == 2 and "does not exist" in res.output


def test_lookup_shows_each_indicators_rationale_at_80_columns(runner) -> None:
    r = runner.invoke(cli, ["lookup", "AK-74M"], env={"COLUMNS": "80"})
    assert r.exit_code == 0
    flat = " ".join(line.strip("│ ") for line in r.output.splitlines())
    assert "The AK-74M is the Russian service rifle since 1991" in " ".join(flat.split())


def test_unit_patch_checked_absent_is_evidence(runner) -> None:
    r = runner.invoke(cli, ["identify", "possible BTR-82A", "2x Tigr", "--absent", "unit patch", "--json"])
    assert r.exit_code == 0, r.output
    rec = json.loads(r.output)
    assert rec["unmatched"] == []
    assert "no-insignia-worn" in [e["indicator"] for e in rec["evidence"]]
