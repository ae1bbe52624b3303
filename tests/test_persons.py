"""Named persons: a commander seen or named in a sighting resolves to a person record and moves the ranking to the
force the person led; a bare surname that is an ordinary word or shared is looked up but not scanned for."""

from __future__ import annotations

import pytest

from equipid.catalog.domains import domain_of_indicator, domain_of_item
from equipid.engine.assess import assess
from equipid.sightings.matcher import Observer


def _share(result: dict, aff: str) -> float:
    """The probability of every leaf at or under ``aff``."""
    return sum(r["probability"] for r in result["ranking"] if aff in r["path"])


@pytest.mark.parametrize(("text", "item"), [
    ("speaker recognisable as Yevgeny Prigozhin", "person-yevgeny-prigozhin"),
    ("Girkin's men at a checkpoint", "person-igor-girkin"),
    ("Strelkov's men at a checkpoint", "person-igor-girkin"),
    ("a fighter beside Suheil al-Hassan", "person-suheil-al-hassan"),
    ("позывной Гиви", "person-mikhail-tolstykh"),
    ("Motorola's men at the airport", "person-arsen-pavlov"),
    ("صورة قاسم سليماني", "person-qasem-soleimani"),
    ("Ahmed al-Sharaa in Idlib", "person-abu-mohammad-al-julani"),
    ("Hajji Marea's fighters in Aleppo", "person-abdul-qader-saleh"),
    ("позывной Воха", "person-vladimir-zhoga"),
])
def test_a_persons_name_in_text_resolves(bundled, text: str, item: str) -> None:
    assert [o.item for o in Observer(bundled).observe({"text": text}, "s").items] == [item]


@pytest.mark.parametrize("text", [
    "a Motorola radio on the table",          # the radio maker, not Arsen Pavlov
    "батальон стрелков на позиции",           # 'of riflemen', not Strelkov
    "Zakharchenko said",                      # Vitaliy or Alexander
    "a sermon by al-Baghdadi",                # Abu Bakr or Abu Omar
    "Budanov said",                           # Kyrylo or Yuri
    "the Bes group",                          # 'demon'
    "al-Sharaa said",                         # Ahmed or Farouk
    "Воха и его друзья",                      # an everyday diminutive of Vladimir
    "Saleh said",                             # a very common name
])
def test_an_ambiguous_bare_surname_is_not_scanned(bundled, text: str) -> None:
    assert not any(o.item.startswith("person-") for o in Observer(bundled).observe({"text": text}, "s").items)


def test_an_ambiguous_bare_surname_is_still_looked_up_when_observed(bundled) -> None:
    obs = Observer(bundled).observe({"observed": ["Strelkov", "Motorola", "al-Baghdadi"]}, "s")
    assert [o.item for o in obs.items] == ["person-igor-girkin", "person-arsen-pavlov", "person-abu-bakr-al-baghdadi"]


@pytest.mark.parametrize(("text", "date", "country", "force"), [
    ("Fighters near Palmyra; a man recognisable as Prigozhin", "2017-03", "SY", "ru-pmc-wagner"),
    ("Girkin's men at a checkpoint", "2014-06", "UA", "ru-proxy-donbas"),
    ("A fighter beside Suheil al-Hassan", "2016-02", "SY", "sy-saa"),
    ("Fighters with Qasem Soleimani", "2016-02", "SY", "ir-irgc"),
    ("Fighters with Akram al-Kaabi", "2016-02", "SY", "iq-pmf"),
    ("Fighters with Abu Mohammad al-Julani", "2019-02", "SY", "sy-opposition"),
    ("Abu Bakr al-Baghdadi's sermon", "2014-07", "IQ", "isis"),
    ("Biletsky with his brigade", "2023-06", "UA", "ua-afu"),
])
def test_a_named_person_moves_the_ranking_to_the_force_led(bundled, text: str, date: str, country: str, force: str) -> None:
    where = {"date": date, "location": {"country": country}}
    named = assess(bundled, {"text": text, **where})
    plain = assess(bundled, {"text": "Fighters", **where})
    assert _share(named, force) > _share(plain, force) + 0.1
    assert force in named["ranking"][0]["path"]


def test_a_role_that_changed_is_read_with_the_date(bundled) -> None:
    def fired(text: str, date: str, country: str) -> set[str]:
        return {e["indicator"] for e in assess(bundled, {"text": text, "date": date, "location": {"country": country}})["evidence"]}

    assert "named-troshev-wagner" in fired("Troshev with fighters", "2019-01", "SY")
    assert "named-troshev-mod" in fired("Troshev with volunteers", "2024-01", "UA")
    assert "named-girkin-2014" in fired("Girkin's men", "2014-06", "UA")
    assert not any(i.startswith("named-girkin") for i in fired("Girkin's men", "2022-06", "UA"))
    assert "named-soleimani-after-death" in fired("a poster of Qasem Soleimani", "2021-06", "IQ")


def test_persons_are_filed_under_their_own_domain() -> None:
    assert domain_of_item("person-igor-girkin", "actor") == "persons"
    assert domain_of_item("actor-wagner", "actor") == "actors"
    assert domain_of_item("person-like-tank", "tank") == "armour"
    cats = {"person-igor-girkin": "actor", "actor-separatists": "actor"}
    assert domain_of_indicator({"item": "person-igor-girkin"}, cats) == "persons"
