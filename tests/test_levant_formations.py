"""Iranian and Iran-backed formations, Syrian army aliases, and the speech heard in Syria, on the bundled catalog."""

from __future__ import annotations

import pytest

from equipid.engine.assess import assess
from equipid.sightings.matcher import Observer


def items_in(bundled, text: str) -> set[str]:
    return {o.item for o in Observer(bundled).observe({"text": text}, "s").items}


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("A commander of the Saberin Brigade was buried in Hamedan.", "unit-ir-saberin-brigade"),
        ("Four men of the 8th Najaf Ashraf Division died in Syria.", "unit-ir-8-najaf-ashraf-division"),
        ("Liwa Fatemiyoun fighters near Palmyra", "unit-ir-fatemiyoun-division"),
        ("A Zeinabiyoun commander was buried in Qom", "unit-ir-zainabiyoun-brigade"),
        ("تشییع پیکر شهید مدافع حرم", "shrine-defender-framing"),
        ("Iranian media called them shrine defenders", "shrine-defender-framing"),
        ("Gunmen with Lebanese accents stopped the car", "lebanese-arabic-speech"),
        ("The militiamen spoke with an Iraqi accent", "iraqi-arabic-speech"),
        ("The prisoners answered in Afghan-accented Persian", "dari-speech"),
        ("fighters speaking Urdu at the shrine", "urdu-speech"),
        ("مقاتلو حركة النجباء في ريف حلب", "actor-pmf"),
        ("Fifth Assault Corps units moved to Hama", "unit-sy-5-corps"),
        ("Hezbollah's Aziz Unit fired rockets", "unit-lb-hezbollah-aziz"),
        ("Fighters of PMF Brigade 45 at al-Qaim", "unit-iq-pmf-45-brigade"),
        ("مقاتلو اللواء 45 في الحشد الشعبي", "unit-iq-pmf-45-brigade"),
        ("Asa'ib Ahl al-Haq's 42nd Brigade", "unit-iq-pmf-42-brigade"),
        ("Tanks of the Syrian 9th Division near Daraa", "unit-sy-9-division"),
        ("The 106th Brigade of the Republican Guard moved north", "unit-sy-rg-106-brigade"),
        ("Radwan Force fighters crossed the border", "unit-lb-hezbollah-radwan"),
        ("a statement of the IRGC Aerospace Force", "unit-ir-irgc-aerospace-force"),
        ("Quds Force advisers in Aleppo", "unit-ir-quds-force"),
        ("Soldiers of the 104th Airborne Brigade held the airport", "unit-sy-rg-104-airborne-brigade"),
        ("Ghaith Forces tanks arrived in Daraa", "unit-sy-4-div-42-brigade"),
    ],
)
def test_the_formation_or_speech_is_read_from_text(bundled, text: str, item: str) -> None:
    assert item in items_in(bundled, text)


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("Pilgrims travelled to Najaf Ashraf for Arbaeen.", "unit-ir-8-najaf-ashraf-division"),
        ("Sabereen News reported the strike first.", "unit-ir-saberin-brigade"),
        ("Mr Dari told reporters the road was closed.", "dari-speech"),
        ("Kataib Sayyid al-Shuhada claimed the attack.", "unit-ir-10-seyyed-al-shohada-division"),
        ("Mohammad Rasulullah's birthday and the 27th division of the parade", "unit-ir-27-mohammad-rasulullah-division"),
        ("The 42nd brigade held the line near Bakhmut", "unit-sy-4-div-42-brigade"),
        ("The 104th brigade moved up", "unit-sy-rg-104-airborne-brigade"),
        ("The 45th brigade held the line near Bakhmut", "unit-iq-pmf-45-brigade"),
        ("The 9th Armoured Division of the Iraqi army", "unit-sy-9-division"),
        ("The 106th brigade moved up", "unit-sy-rg-106-brigade"),
        ("Badr Unit fighters", "unit-lb-hezbollah-badr"),
    ],
)
def test_ordinary_words_and_near_names_are_not_read_as_them(bundled, text: str, item: str) -> None:
    assert item not in items_in(bundled, text)


def _leader(bundled, text: str, country: str = "SY", date: str = "2016-05-01") -> tuple[str, float]:
    rec = assess(bundled, {"id": "s", "date": date, "location": {"country": country}, "text": text})
    top = rec["ranking"][0]
    return top["affiliation"], top["probability"]


def _p(bundled, text: str, affiliation: str, country: str = "SY", date: str = "2016-05-01") -> float:
    rec = assess(bundled, {"id": "s", "date": date, "location": {"country": country}, "text": text})
    return next(r["probability"] for r in rec["ranking"] if r["affiliation"] == affiliation)


@pytest.mark.parametrize(
    ("text", "leader"),
    [
        ("Fighters speaking with Lebanese accents held the checkpoint", "lb-hezbollah"),
        ("Militiamen with Iraqi accents held the checkpoint", "iq-pmf"),
        ("A man of the Saberin Brigade was buried in Qom", "ir-irgc"),
        ("Iranian media called him a shrine defender", "ir-irgc"),
        ("Fighters speaking Dari near Palmyra", "ir-irgc"),
        ("Fighters speaking Urdu at a checkpoint", "ir-irgc"),
        ("Soldiers of the 104th Airborne Brigade near the Deir ez-Zor airport", "sy-saa"),
        ("Fighters of PMF Brigade 45 near al-Bukamal", "iq-pmf"),
        ("Hezbollah's Nasr Unit fired rockets", "lb-hezbollah"),
        ("Tanks of the Syrian 9th Division near Daraa", "sy-saa"),
    ],
)
def test_the_speech_or_formation_moves_the_ranking(bundled, text: str, leader: str) -> None:
    assert _leader(bundled, text)[0] == leader


def test_a_dialect_weighs_more_than_arabic_alone(bundled) -> None:
    plain = _p(bundled, "Fighters speaking Arabic held the checkpoint", "lb-hezbollah")
    accent = _p(bundled, "Fighters speaking with Lebanese accents held the checkpoint", "lb-hezbollah")
    assert accent > 3 * plain


def test_an_iraqi_accent_in_iraq_says_nothing_of_the_militias(bundled) -> None:
    syria = _p(bundled, "Militiamen with Iraqi accents held the checkpoint", "iq-pmf")
    iraq_plain = _p(bundled, "Militiamen speaking Arabic held the checkpoint", "iq-pmf", country="IQ")
    iraq_accent = _p(bundled, "Militiamen with Iraqi accents held the checkpoint", "iq-pmf", country="IQ")
    assert syria > 0.5
    assert iraq_accent == pytest.approx(iraq_plain, rel=0.05)
