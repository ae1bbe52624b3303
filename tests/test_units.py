"""Units: military unit numbers and garrison towns as names, and the checks on them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from equipid.catalog.compiler import compile_catalog, unit_forms, unit_kind
from equipid.catalog.loader import load_catalog
from equipid.errors import CatalogError
from equipid.maintenance.lint import Severity, lint
from equipid.sightings.matcher import Observer, Resolver

FILES = Path(__file__).parent / "files"

UNITS = """\
equipment:
  - id: units-airborne
    name: Airborne formation
    category: unit
    operators: [ru-vdv]
    sources: [https://en.wikipedia.org/wiki/Russian_Airborne_Forces]
  - id: reg-a
    name: 331st Guards Parachute Regiment
    category: unit
    aliases: [331st regiment]
    unit_numbers: ["71211"]
    garrison: [Kostroma, Кострома]
    variant_of: units-airborne
    operators: [ru-vdv]
    sources: [https://en.wikipedia.org/wiki/Russian_Airborne_Forces]
  - id: reg-b
    name: 104th Guards Air Assault Regiment
    category: unit
    garrison: [Pskov]
    variant_of: units-airborne
    operators: [ru-vdv]
    sources: [https://en.wikipedia.org/wiki/Russian_Airborne_Forces]
  - id: reg-c
    name: 234th Guards Air Assault Regiment
    category: unit
    garrison: [Pskov]
    variant_of: units-airborne
    operators: [ru-vdv]
    sources: [https://en.wikipedia.org/wiki/Russian_Airborne_Forces]
  - id: div-d
    name: 76th Guards Air Assault Division
    category: unit
    garrison: [Pskov]
    variant_of: units-airborne
    operators: [ru-vdv]
    sources: [https://en.wikipedia.org/wiki/Russian_Airborne_Forces]
  - id: brig-ua
    name: 44th Separate Mechanized Brigade
    category: unit
    unit_numbers: [А4723]
    operators: [ua-afu]
    sources: [https://militaryland.net/news/new-mechanized-brigade-is-being-formed/]
indicators:
  - id: named-airborne-unit
    name: An airborne formation named
    when: {item: units-airborne}
    likelihoods: {ru-vdv: characteristic}
    default: rare
    alternatives: Captions misname units.
    rationale: The formations of the airborne branch are its own.
    sources:
      - url: https://en.wikipedia.org/wiki/Russian_Airborne_Forces
        claim: "Order of battle of the VDV"
"""


@pytest.fixture
def cat(tmp_path: Path) -> Path:
    dest = tmp_path / "cat"
    shutil.copytree(FILES / "mini", dest)
    (dest / "zz-units.yaml").write_text(UNITS, encoding="utf-8")
    return dest


def items_in(cat: Path, text: str) -> list[str]:
    c = compile_catalog(load_catalog([cat]), "t")
    return [o.item for o in Observer(c).observe({"text": text}, "s").items]


def test_the_kind_word_is_read_from_the_name() -> None:
    assert unit_kind("331st Guards Parachute Regiment") == "regiment"
    assert unit_kind("1st Guards Tank Army") == "army"
    # A note in brackets names no kind: the Caspian Flotilla's regiment is a regiment.
    assert unit_kind("177th Naval Infantry Regiment (Caspian Flotilla)") == "regiment"
    assert unit_kind("Landing ship Yamal") is None


def test_unit_forms_give_numbers_written_out_and_garrison_phrases() -> None:
    forms = unit_forms("3rd Guards Spetsnaz Brigade", ["21208"], ["Tolyatti"])
    assert {"в/ч 21208", "military unit 21208", "войсковая часть 21208", "brigade based in Tolyatti",
            "Tolyatti based brigade", "brigade from Tolyatti"} <= set(forms)
    assert "21208" not in forms
    # Without a kind word in the name, a garrison makes only the phrases that need none.
    assert unit_forms("Something", [], ["Tolyatti"]) == ["garrison town Tolyatti", "garrison in Tolyatti", "garrison at Tolyatti",
                                                       "Tolyatti garrison", "garrison Tolyatti", "garrisons Tolyatti",
                                                       "гарнизон Tolyatti", "место дислокации Tolyatti",
                                                       "пункт постоянной дислокации Tolyatti"]


def test_unit_forms_keep_the_ordinal_with_some_of_the_names_own_qualifiers() -> None:
    forms = unit_forms("45th Guards Spetsnaz Brigade (VDV)", [], [])
    for said in ("45th separate special purpose brigade", "45th spetsnaz brigade", "45th guards special forces brigade"):
        assert said in forms
    # only the unit's own words: another kind of brigade with the same number is not named
    assert "45th motor rifle brigade" not in forms
    assert "155th naval infantry brigade" in unit_forms("155th Guards Naval Infantry Brigade", [], [])
    # a garrison town with the unit's own qualifiers: "the Pskov special-purpose brigade"
    forms = unit_forms("2nd Separate Spetsnaz Brigade", [], ["Pskov"])
    assert {"Pskov special purpose brigade", "special forces brigade based in Pskov", "Pskov spetsnaz brigade"} <= set(forms)
    assert "Pskov motor rifle brigade" not in forms
    assert "82nd airmobile brigade" in unit_forms("82nd Air Assault Brigade (Ukraine)", [], [])
    assert "155th mechanised brigade" in unit_forms("155th Separate Mechanized Brigade (Anne of Kyiv)", [], [])


def test_unit_forms_give_the_ordinal_with_the_kind_from_25_on() -> None:
    forms = unit_forms("810th Guards Naval Infantry Brigade", [], [])
    assert {"810th brigade", "810th guards brigade", "810-я бригада", "810-я гвардейская бригада"} <= set(forms)
    assert "331-й полк" in unit_forms("331st Guards Parachute Regiment", [], [])
    # Every army has a 3rd or a 22nd brigade: below MIN_ORDINAL the number and kind alone name none.
    assert unit_forms("3rd Guards Spetsnaz Brigade", [], []) == []


def test_unit_forms_find_the_units_own_ordinal_inside_its_name() -> None:
    forms = unit_forms("Republican Guard 104th Airborne Brigade (Syria)", [], [])
    assert {"104th airborne brigade", "104th separate airborne brigade"} <= set(forms)
    # with other words first, the bare number is not the unit's alone
    assert "104th brigade" not in forms and "104-я бригада" not in forms
    # a number that belongs to another formation named beside it names nothing
    assert not any(f.startswith("4th") for f in unit_forms("Fighter regiment at Belbek (4th Air Force and Air Defence Army)", [], []))
    assert not any(f.startswith("4th") for f in unit_forms("Air regiment of the 4th Air Force and Air Defence Army", [], []))


def test_a_garrison_names_its_unit_without_the_kind_word() -> None:
    forms = unit_forms("106th Guards Airborne Division", [], ["Tula"])
    assert {"unit based in Tula", "Tula based unit", "military unit from Tula", "formation stationed in Tula"} <= set(forms)


@pytest.mark.parametrize("text", ["the 234th regiment moved on Bucha", "234-й полк"])
def test_a_unit_is_found_by_its_ordinal_and_kind(cat: Path, text: str) -> None:
    assert items_in(cat, text) == ["reg-c"]


def test_an_ordinal_two_units_share_names_neither(cat: Path) -> None:
    (cat / "zz-more.yaml").write_text("""
equipment:
  - id: brig-x
    name: 234th Separate Brigade
    category: unit
    operators: [ua-afu]
    sources: [https://en.wikipedia.org/wiki/Russian_Airborne_Forces]
  - id: brig-y
    name: 234th Motor Rifle Brigade
    category: unit
    operators: [ru-ground-forces]
    sources: [https://en.wikipedia.org/wiki/Russian_Airborne_Forces]
""", encoding="utf-8")
    assert items_in(cat, "the 234th brigade attacked") == []
    assert items_in(cat, "the 234th regiment attacked") == ["reg-c"]


@pytest.mark.parametrize("text", [
    "documents of military unit 71211 were found",
    "в/ч 71211",
    "служил в войсковой части 71211",
    "вч71211 погибшие",
    "Military Unit No. 71211",
    "paratroopers of a regiment based in Kostroma",
    "the Kostroma-based regiment",
    "костромские: regiment from Кострома",
])
def test_a_unit_is_found_by_its_number_or_garrison(cat: Path, text: str) -> None:
    assert items_in(cat, text) == ["reg-a"]


@pytest.mark.parametrize("text", [
    "71211 shells were fired",           # a bare number is anything
    "a convoy left Kostroma",            # a town alone is a place, not a unit
])
def test_bare_numbers_and_towns_name_no_unit(cat: Path, text: str) -> None:
    assert items_in(cat, text) == []


def test_a_garrison_two_units_share_names_their_family_or_neither(cat: Path) -> None:
    # Two airborne regiments in Pskov: the phrase names the airborne formations, not one regiment.
    assert items_in(cat, "a regiment from Pskov") == ["units-airborne"]
    (cat / "zz-more.yaml").write_text("""
equipment:
  - id: reg-other
    name: 999th Guards Rifle Regiment
    category: unit
    garrison: [Kostroma]
    operators: [ru-ground-forces]
    sources: [https://en.wikipedia.org/wiki/Russian_Airborne_Forces]
""", encoding="utf-8")
    # An airborne and a rifle regiment in Kostroma share no family: neither.
    assert items_in(cat, "a regiment from Kostroma") == []
    assert items_in(cat, "garrison town: Kostroma") == []


def test_a_shared_garrison_still_names_the_one_unit_of_its_kind(cat: Path) -> None:
    assert items_in(cat, "a division from Pskov") == ["div-d"]
    # without a kind word the town's units all answer: their family
    assert items_in(cat, "a Pskov-based unit") == ["units-airborne"]


def test_a_ukrainian_unit_number_with_a_cyrillic_letter(cat: Path) -> None:
    assert items_in(cat, "військова частина А4723") == ["brig-ua"]
    assert items_in(cat, "military unit A4723") == ["brig-ua"]


def test_a_shared_garrison_phrase_names_the_family_when_looked_up(cat: Path) -> None:
    from equipid.sightings.matcher import Resolver

    r = Resolver(compile_catalog(load_catalog([cat]), "t"))
    assert r.resolve("regiment from Pskov").items == ("units-airborne",)
    assert r.resolve("military unit 71211").items == ("reg-a",)


def test_a_written_alias_wins_over_a_generated_form(cat: Path) -> None:
    (cat / "zz-more.yaml").write_text("""\
equipment:
  - id: kostroma-regiment-band
    name: Kostroma regiment band
    category: other
    aliases: [regiment from Kostroma]
    sources: [https://example.org/band]
""", encoding="utf-8")
    assert items_in(cat, "the regiment from Kostroma played") == ["kostroma-regiment-band"]
    assert items_in(cat, "a regiment based in Kostroma") == ["reg-a"]


def test_the_family_indicator_weighs_every_unit_of_the_branch(cat: Path) -> None:
    from equipid.engine.scorer import Scorer

    c = compile_catalog(load_catalog([cat]), "t")
    obs = Observer(c).observe({"text": "в/ч 71211", "country": "UA"}, "s")
    res = Scorer(c).score(obs)
    assert res["ranking"][0]["affiliation"] == "ru-vdv"
    assert [e["indicator"] for e in res["evidence"]] == ["named-airborne-unit"]
    # A named unit is nothing to go and look for.
    assert all(not set(s["items"]) & {"reg-a", "reg-b", "units-airborne"} for s in res["look_for_next"])


@pytest.mark.parametrize(("field", "value", "message"), [
    ("unit_numbers", '["7121"]', "is not a military unit number"),
    ("unit_numbers", '["74268a"]', "is not a military unit number"),
])
def test_a_malformed_unit_number_is_refused(cat: Path, field: str, value: str, message: str) -> None:
    (cat / "zz-bad.yaml").write_text(f"""\
equipment:
  - id: bad-unit
    name: Bad Regiment
    category: unit
    {field}: {value}
    sources: [https://example.org/a]
""", encoding="utf-8")
    with pytest.raises(CatalogError) as e:
        load_catalog([cat])
    assert message in str(e.value.problems[0])


def test_unit_fields_are_for_units_only(cat: Path) -> None:
    (cat / "zz-bad.yaml").write_text("""\
equipment:
  - id: not-a-unit
    name: A tank
    category: tank
    garrison: [Pskov]
    sources: [https://example.org/a]
""", encoding="utf-8")
    with pytest.raises(CatalogError) as e:
        load_catalog([cat])
    assert "unit_numbers and garrison are for category unit, not tank" in str(e.value.problems[0])


def test_a_unit_number_claimed_twice_is_a_lint_error(cat: Path) -> None:
    (cat / "zzz-dup.yaml").write_text("""\
equipment:
  - id: other-regiment
    name: Other Regiment
    category: unit
    unit_numbers: ["71211"]
    sources: [https://example.org/a]
""", encoding="utf-8")
    clashes = [i for i in lint([cat]).issues if i.code == "alias-clash"]
    assert len(clashes) == 1
    assert clashes[0].message.startswith("unit number '71211' is also claimed by item 'reg-a'")
    assert (Path(clashes[0].location.path).name, clashes[0].location.line) == ("zzz-dup.yaml", 5)


def test_indicators_without_a_claimed_source_are_listed_at_info_level(cat: Path) -> None:
    (cat / "zz-unclaimed.yaml").write_text("""\
indicators:
  - id: unclaimed
    name: Unclaimed
    when: {item: reg-a}
    likelihoods: {ru-vdv: common}
    default: rare
    rationale: None given.
    sources: [https://example.org/a, {url: "https://example.org/b", title: B}]
""", encoding="utf-8")
    result = lint([cat])
    got = [i for i in result.issues if i.code == "unclaimed-sources"]
    assert [(i.field, i.severity) for i in got] == [("indicators[unclaimed].sources", Severity.INFO)]
    # Info only: --strict still passes.
    assert result.exit_code(strict=True) == 0


def test_bundled_catalog_finds_garrisons_and_numbers(bundled) -> None:
    observe = Observer(bundled).observe
    assert [o.item for o in observe({"text": "a brigade based in Tolyatti"}, "a").items] == ["unit-ru-3-spetsnaz-brigade"]
    assert [o.item for o in observe({"text": "military unit 51460"}, "b").items] == ["unit-ru-64-motor-rifle-brigade"]
    assert [o.item for o in observe({"text": "331st regiment from Kostroma"}, "c").items] == ["unit-ru-331-parachute-regiment"]
    # Two brigades are garrisoned at Ussuriysk (the VDV's 83rd, the GRU's 14th): the phrase names neither.
    assert [o.item for o in observe({"text": "a brigade from Ussuriysk"}, "d").items] == []
    # A ship named after a town is found with a ship word only.
    assert [o.item for o in observe({"text": "BDK Yamal hit"}, "e").items] == ["ship-yamal"]
    assert [o.item for o in observe({"text": "gas from Yamal"}, "f").items] == []


def test_lookup_shows_unit_numbers_and_garrison(cat: Path) -> None:
    from click.testing import CliRunner

    from equipid.cli.main import cli

    r = CliRunner().invoke(cli, ["--catalog", str(cat), "lookup", "в/ч 71211"], env={"COLUMNS": "120"})
    assert r.exit_code == 0, r.output
    assert "331st Guards Parachute Regiment" in r.stdout
    assert "unit numbers 71211" in r.stdout and "Kostroma, Кострома" in r.stdout


@pytest.mark.parametrize(("text", "item"), [
    ("documents of military unit 13984 were found", "unit-number-russian"),
    ("служил в в/ч 32010", "unit-number-russian"),
    ("вч32010", "unit-number-russian"),
    ("військова частина А1234", "unit-number-ukrainian"),
    ("в/ч 32515", "unit-ru-104-air-assault-regiment"),  # a number the catalog knows names its unit
])
def test_a_unit_number_the_catalog_does_not_know_names_its_numbering(bundled, text: str, item: str) -> None:
    obs = Observer(bundled).observe({"text": text}, "s")
    assert [o.item for o in obs.items] == [item]


@pytest.mark.parametrize("text", ["13984 shells", "unit 12 of the column", "military unit 1234"])
def test_a_bare_or_short_number_names_no_numbering(bundled, text: str) -> None:
    assert not any(o.item.startswith("unit-number") for o in Observer(bundled).observe({"text": text}, "s").items)


@pytest.mark.parametrize(("text", "item", "branch"), [
    ("a regiment based in Primorsko-Akhtarsk", "unit-ru-960-assault-regiment", "ru-vks"),
    ("military unit 77978", "unit-ru-2-reconnaissance-squadron", "ru-vks"),
    ("the Soltsy regiment", "unit-ru-840-heavy-bomber-regiment", "ru-vks"),
    ("regiment stationed in Krymsk", "unit-ru-3-fighter-regiment", "ru-vks"),
    ("Kacha regiment", "unit-ru-318-mixed-aviation-regiment", "ru"),
    ("в/ч 16871", "unit-ru-60-motor-rifle-brigade", "ru-ground-forces"),
    ("в/ч 07264", "unit-ru-76-air-assault-division", "ru-vdv"),
    ("Shali regiment", "unit-ru-70-motor-rifle-regiment", "ru-ground-forces"),
    ("Shali division", "unit-ru-42-motor-rifle-division", "ru-ground-forces"),
    ("155th brigade of the Pacific Fleet", "unit-ru-155-naval-infantry-brigade", "ru-naval-infantry"),
    ("Northern Fleet's naval infantry brigade", "unit-ru-61-naval-infantry-brigade", "ru-naval-infantry"),
])
def test_bundled_garrisons_and_numbers_name_the_unit_and_its_branch(bundled, text: str, item: str, branch: str) -> None:
    from equipid.catalog.locate import bundled_catalog

    assert [o.item for o in Observer(bundled).observe({"text": text}, "s").items] == [item]
    record = next(e for e in load_catalog([bundled_catalog()]).equipment if e.id == item)
    assert record.operators == [branch]


def test_a_base_two_vks_units_share_names_the_vks_or_the_one_of_its_kind(bundled) -> None:
    observe = Observer(bundled).observe
    # Marinovka holds the 11th regiment and the 2nd squadron: the bare garrison names the branch's family.
    assert [o.item for o in observe({"text": "Marinovka garrison"}, "a").items] == ["units-ru-vks"]
    assert [o.item for o in observe({"text": "regiment based in Marinovka"}, "b").items] == ["unit-ru-11-mixed-aviation-regiment"]
    assert [o.item for o in observe({"text": "Marinovka squadron"}, "c").items] == ["unit-ru-2-reconnaissance-squadron"]
    # Kursk is not written as the 14th regiment's garrison: captions name the town for the 2024 incursion.
    assert [o.item for o in observe({"text": "Kursk regiment"}, "d").items] == []


def test_a_number_a_russian_and_a_ukrainian_brigade_share_names_neither_bare(bundled) -> None:
    observe = Observer(bundled).observe
    assert [o.item for o in observe({"text": "the 30th brigade"}, "a").items] == []
    assert [o.item for o in observe({"text": "30th mechanized brigade"}, "b").items] == ["unit-ua-30-mechanized-brigade"]
    assert [o.item for o in observe({"text": "60th motor rifle brigade"}, "c").items] == ["unit-ru-60-motor-rifle-brigade"]
    assert [o.item for o in observe({"text": "army based in Chita"}, "d").items] == ["unit-ru-29-combined-arms-army"]
    assert [o.item for o in observe({"text": "brigade from Roshchinsky"}, "e").items] == ["units-ru-ground-forces"]


def _garrison_units(cat: Path) -> None:
    (cat / "zz-more.yaml").write_text("""
equipment:
  - id: brig-s
    name: 3rd Guards Spetsnaz Brigade
    category: unit
    garrison: [Tolyatti]
    operators: [ru-gru-spetsnaz]
    sources: [https://en.wikipedia.org/wiki/Spetsnaz_GRU]
  - id: brig-t
    name: 3rd Separate Assault Brigade
    category: unit
    garrison: [Kyiv]
    operators: [ua-afu]
    sources: [https://en.wikipedia.org/wiki/3rd_Assault_Brigade]
""", encoding="utf-8")


@pytest.mark.parametrize(("rec", "item", "role"), [
    ({"text": "He served in the 3rd brigade, based at Tolyatti."}, "brig-s", "self"),
    ({"text": "Funeral of a sergeant of the 3rd brigade", "location": {"name": "Tolyatti"}}, "brig-s", "fielded"),
    ({"observed": ["unit: 3rd brigade", {"item": "funeral", "attributes": ["in Kyiv"]}]}, "brig-t", "fielded"),
])
def test_a_bare_ordinal_is_the_unit_whose_garrison_the_sighting_names(cat: Path, rec: dict, item: str, role: str) -> None:
    _garrison_units(cat)
    obs = Observer(compile_catalog(load_catalog([cat]), "t")).observe(rec, "s")
    got = [(o.item, o.how, o.role) for o in obs.items if o.how == "garrison"]
    assert got == [(item, "garrison", role)]


@pytest.mark.parametrize("rec", [
    {"text": "He served in the 3rd brigade."},                                  # no town: every army has a 3rd
    {"text": "The 3rd brigade moved from Tolyatti towards Kyiv."},              # both towns: either
    {"text": "The 3rd regiment left Tolyatti."},                                # another kind of formation
])
def test_a_bare_ordinal_without_one_garrison_names_nothing(cat: Path, rec: dict) -> None:
    _garrison_units(cat)
    obs = Observer(compile_catalog(load_catalog([cat]), "t")).observe(rec, "s")
    assert [o.item for o in obs.items if o.how == "garrison"] == []


@pytest.mark.parametrize(("text", "items"), [
    ("Black Sea Fleet", ["unit-ru-black-sea-fleet"]),
    ("бригады Черноморского флота наступают", ["unit-ru-black-sea-fleet"]),
    ("корабли Тихоокеанского флота", ["unit-ru-pacific-fleet"]),
    ("Північного флоту", ["unit-ru-northern-fleet"]),
    ("Балтфлота", ["unit-ru-baltic-fleet"]),
    ("Каспийской флотилии", ["unit-ru-caspian-flotilla"]),
    ("flotilla based in Astrakhan", ["unit-ru-caspian-flotilla"]),
    ("морская пехота ТОФ", ["actor-naval-infantry"]),
    ("бригада морской пехоты Черноморского флота", ["unit-ru-810-naval-infantry-brigade"]),
    ("the 810th brigade of the Black Sea Fleet", ["unit-ru-810-naval-infantry-brigade", "unit-ru-black-sea-fleet"]),
    ("US Pacific Fleet", ["actor-us-pacific-fleet"]),
    # the abbreviations that are other things once transliterated (CHF, SF) are never scanned for alone
    ("CHF 100 and SF operators", []),
    # a base a fleet shares with its naval infantry brigade names the Navy's formations
    ("Sevastopol garrison", ["units-ru-navy"]),
    ("regiment based in Kaspiysk", ["unit-ru-177-naval-infantry-regiment"]),
])
def test_fleets_and_their_phrases_are_read(bundled, text: str, items: list[str]) -> None:
    assert [o.item for o in Observer(bundled).observe({"text": text}, "s").items] == items


@pytest.mark.parametrize("name", ["Black Sea Fleet", "Northern Fleet", "Pacific Fleet", "Baltic Fleet", "Caspian Flotilla",
                                  "ЧФ", "СФ", "ТОФ", "БФ", "КФл", "Черноморским флотом"])
def test_fleets_are_looked_up(bundled, name: str) -> None:
    items = Resolver(bundled).resolve(name).items
    assert len(items) == 1 and items[0].startswith("unit-ru-") and bundled.items[items[0]]["variant_of"] == "units-ru-navy"


def test_a_named_naval_infantry_brigade_supersedes_its_fleet() -> None:
    from equipid.catalog.locate import bundled_catalog

    cat = load_catalog([bundled_catalog()])
    ind = {i.id: i for i in cat.indicators}
    assert "named-russian-fleet" in ind["named-unit-naval-infantry"].supersedes
    assert ind["named-russian-fleet"].likelihoods["ru-naval-infantry"] == "common"
