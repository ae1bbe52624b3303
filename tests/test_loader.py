import re
from pathlib import Path

import pytest

from equipid.catalog.loader import load_catalog
from equipid.cli.main import cli
from equipid.errors import CatalogError

BROKEN = """\
equipment:
  - id: ok-item
    name: OK
    category: small-arm
    sources: [https://example.org/a]
  - id: Bad Id
    name: bad
    category: not-a-category
    in_service: {from: 2016-02-30}
    colour: green
    sources: []
"""


def test_every_problem_reported_with_position(mini_copy: Path) -> None:
    (mini_copy / "broken.yaml").write_text(BROKEN)
    with pytest.raises(CatalogError) as e:
        load_catalog([mini_copy])
    lines = [str(p) for p in e.value.problems]
    assert len(lines) >= 5
    for ln in lines:
        assert re.match(r".*broken\.yaml:\d+:\d+: ", ln), ln
    text = "\n".join(lines)
    assert "broken.yaml:6:9: equipment[Bad Id].id" in text
    assert "broken.yaml:8:15: equipment[Bad Id].category" in text
    assert "impossible date" in text
    assert "broken.yaml:10:5: equipment[Bad Id].colour: unknown key" in text


def test_cli_reports_broken_catalog_exit_2_no_traceback(mini_copy: Path, runner) -> None:
    (mini_copy / "broken.yaml").write_text(BROKEN)
    result = runner.invoke(cli, ["lookup", "--catalog", str(mini_copy), "AK-74M"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert re.search(r"broken\.yaml:\d+:\d+: ", result.output)


def test_python_tag_in_catalog_is_a_problem(mini_copy: Path) -> None:
    (mini_copy / "evil.yaml").write_text("equipment: !!python/object/apply:os.system ['true']\n")
    with pytest.raises(CatalogError) as e:
        load_catalog([mini_copy])
    assert any("not allowed" in str(p) for p in e.value.problems)


MANY = """\
equipment:
  - id: a
    id: b
    name: x
    category: nonsense
    sources: [https://example.org/a]
  - id: c
    name: !!python/object/apply:os.system ["true"]
    category: tank
    sources: [https://example.org/c]
    sources: [https://example.org/d]
"""


def test_duplicate_keys_and_tags_do_not_hide_the_other_problems(mini_copy: Path) -> None:
    (mini_copy / "many.yaml").write_text(MANY)
    with pytest.raises(CatalogError) as e:
        load_catalog([mini_copy])
    text = "\n".join(str(p) for p in e.value.problems)
    assert "many.yaml:3:5: duplicate key 'id' (first on line 2)" in text
    assert "many.yaml:5:15: equipment[a].category" in text
    assert "many.yaml:8:11: tag " in text
    assert "many.yaml:11:5: duplicate key 'sources' (first on line 10)" in text


@pytest.mark.parametrize(
    "content, where",
    [
        (b'equipment:\n  - id: n\n    name: "a\x00b"\n', "bad.yaml:3:13:"),
        (b'equipment:\n  - id: n\n    name: "a\xffb"\n', "bad.yaml:3:13:"),
        (b"equipment:\n  - id: n\n    name: " + b"[" * 70 + b"\n", "bad.yaml:3:75:"),
    ],
)
def test_unreadable_bytes_and_nesting_are_placed(mini_copy: Path, content: bytes, where: str) -> None:
    (mini_copy / "bad.yaml").write_bytes(content)
    with pytest.raises(CatalogError) as e:
        load_catalog([mini_copy])
    assert any(where in str(p) for p in e.value.problems), [str(p) for p in e.value.problems]


def test_extend_layer_adds_and_clash_names_both_files(mini_dir: Path, tmp_path: Path) -> None:
    layer = tmp_path / "local"
    layer.mkdir()
    (layer / "team.yaml").write_text(
        "equipment:\n  - id: new-thing\n    name: New thing\n    category: other\n    sources: [https://example.org]\n"
    )
    cat = load_catalog([mini_dir, layer])
    assert any(e.id == "new-thing" for e in cat.equipment)
    (layer / "clash.yaml").write_text(
        "equipment:\n  - id: mib\n    name: Other MIB\n    category: munition\n    sources: [https://example.org]\n"
    )
    with pytest.raises(CatalogError) as e:
        load_catalog([mini_dir, layer])
    msg = "\n".join(str(p) for p in e.value.problems)
    assert "clash.yaml:2:5" in msg and "items.yaml" in msg and "between catalog layers" in msg


def test_unknown_affiliation_in_indicator(mini_copy: Path) -> None:
    (mini_copy / "ind.yaml").write_text(
        "indicators:\n  - id: x\n    name: x\n    when: {item: mib}\n    likelihoods: {ru-nope: common}\n"
        "    default: rare\n    rationale: r\n    sources: [https://example.org]\n"
    )
    with pytest.raises(CatalogError) as e:
        load_catalog([mini_copy])
    assert any("ind.yaml:5:19" in str(p) and "ru-nope" in str(p) for p in e.value.problems)


def test_every_record_kind_is_registered_once_and_known_to_the_loader() -> None:
    """The registry is the one list of kinds: the loader, lint, fmt, schema, stats and export all follow it."""
    from equipid.catalog.kinds import KINDS, keys, models
    from equipid.catalog.loader import Catalog
    from equipid.maintenance import export, stats
    from equipid.maintenance.fmt import key_orders, top_order

    assert keys() == tuple(KINDS)
    for key, model in models().items():
        assert hasattr(Catalog(), key), key
        assert "sources" in model.model_fields, key
    assert set(export.EXPORTED) <= set(KINDS)
    assert set(stats.stats(Catalog())["records"]) == set(keys())
    assert top_order() == list(keys())
    assert set(key_orders()) == set(keys())


def test_an_unknown_affiliation_in_opposes_is_named_with_its_place(mini_copy) -> None:
    from equipid.catalog.loader import load_catalog
    from equipid.errors import CatalogError

    path = mini_copy / "affiliations.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    name: Russian state forces\n", "    name: Russian state forces\n    opposes: [nobody-at-all]\n", 1),
                    encoding="utf-8")
    with pytest.raises(CatalogError) as exc:
        load_catalog([mini_copy])
    assert "affiliations[ru].opposes[0]: unknown affiliation 'nobody-at-all'" in str(exc.value)
    assert f"{path}:7:" in str(exc.value)
