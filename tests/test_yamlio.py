import pytest

from equipid.catalog.yamlio import MAX_DEPTH, load_yaml, split_items, yaml_lines
from equipid.errors import InputError


def test_positions_are_one_based() -> None:
    data, pos = load_yaml("a: 1\nb:\n  - x\n  - y\n", "f.yaml")
    assert data == {"a": 1, "b": ["x", "y"]}
    loc = pos.locate(("b", 1))
    assert (loc.line, loc.column) == (4, 5)


def test_impossible_date_stays_text() -> None:
    data, _ = load_yaml("date: 2016-02-30\n", "f.yaml")
    assert data == {"date": "2016-02-30"}


def test_duplicate_key_refused_with_both_lines() -> None:
    with pytest.raises(InputError) as e:
        load_yaml("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert (e.value.location.line, e.value.location.column) == (3, 1)
    assert "first on line 1" in str(e.value)


def test_python_tag_refused_not_executed(tmp_path) -> None:
    marker = tmp_path / "pwned"
    doc = f"a: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(InputError) as e:
        load_yaml(doc, "f.yaml")
    assert "not allowed" in str(e.value)
    assert not marker.exists()


@pytest.mark.parametrize("doc", ["[" * 40000 + "]" * 40000, "a:\n" + "".join("  " * i + "- \n" for i in range(1, 400))])
def test_absurd_nesting_refused(doc: str) -> None:
    with pytest.raises(InputError) as e:
        load_yaml(doc, "f.yaml")
    assert str(MAX_DEPTH) in str(e.value) or "deep" in str(e.value)


def test_syntax_error_has_position() -> None:
    with pytest.raises(InputError) as e:
        load_yaml("a: [1,\nb: 2\n", "f.yaml")
    assert e.value.location.line is not None


def test_split_items_splits_a_list() -> None:
    got = split_items(yaml_lines("- id: a\n  x: 1\n- id: b\n"))
    assert got is not None
    assert got[0] == [(0, 2), (2, 3)]


def test_split_items_refuses_a_mapping_with_a_nested_list() -> None:
    assert split_items(yaml_lines('id: a\ntext: "open\nobserved:\n- MIB\n- AK-74M\n')) is None


def _alias_bomb(levels: int) -> str:
    lines = ["- &l0 [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, levels):
        refs = ", ".join([f"*l{n - 1}"] * 10)
        lines.append(f"- &l{n} [{refs}]")
    lines.append(f"- observed: [*l{levels - 1}]")
    return "\n".join(lines) + "\n"


def test_alias_expansion_bomb_is_refused_quickly() -> None:
    with pytest.raises(InputError, match="aliases expand the document"):
        load_yaml(_alias_bomb(9), "bomb.yaml")


def test_ordinary_aliases_still_load() -> None:
    data, _ = load_yaml("- &x {a: 1}\n- *x\n- *x\n", "ok.yaml")
    assert data == [{"a": 1}, {"a": 1}, {"a": 1}]


def test_alias_bomb_in_a_sighting_file_costs_records_not_the_run(runner, tmp_path) -> None:
    from equipid.cli.main import cli

    f = tmp_path / "bomb.yaml"
    f.write_text(_alias_bomb(8), encoding="utf-8")
    r = runner.invoke(cli, ["score", str(f), "--format", "jsonl"])
    assert r.exit_code in (0, 1)
    assert "Traceback" not in r.output
