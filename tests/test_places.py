"""The bundled place gazetteer: a location given only by name yields its country."""

import pytest

from equipid.engine.assess import assess
from equipid.sightings.matcher import Observer, Resolver


@pytest.mark.parametrize(
    "location, country",
    [
        # English names and transliteration variants
        ("Aleppo", "SY"),
        ("Deir al-Zour", "SY"),
        ("Dayr az-Zawr", "SY"),
        ("Tadmur", "SY"),
        ("T4 airbase", "SY"),
        ("Kiev", "UA"),
        ("Kharkov", "UA"),
        ("Lugansk", "UA"),
        ("Artemivsk", "UA"),
        ("Izyum", "UA"),
        ("Sudzha, Kursk region", "RU"),
        ("Jurf al-Sakhr", "IQ"),
        ("Tombouctou", "ML"),
        ("Menaka", "ML"),
        ("Ménaka", "ML"),
        ("Bria", "CF"),
        ("Tripoli, Libya", "LY"),
        ("Tripoli, Lebanon", "LB"),
        ("South Sudan", "SS"),
        # native scripts
        ("حلب", "SY"),
        ("تدمر", "SY"),
        ("الموصل", "IQ"),
        ("Київ", "UA"),
        ("Киев", "UA"),
        ("Луганськ", "UA"),
        ("Артемовск", "UA"),
        ("Россия", "RU"),
        # occupied or annexed territory stays under the internationally recognised country
        ("Crimea", "UA"),
        ("Sevastopol", "UA"),
        ("Melitopol", "UA"),
        # place names inside a longer location text
        ("west of Palmyra (ad-Duwwa area)", "SY"),
        ("Husarivka, Kharkiv oblast", "UA"),
        ("4 km east of Gossi base", "ML"),
        ("Jabal al-Zawiya, Idlib", "SY"),  # not the Libyan city of Zawiya
        ("Niger bend near Gao", "ML"),  # the river, not the country
    ],
)
def test_bundled_place_gives_country(bundled, location, country) -> None:
    obs = Observer(bundled).observe({"location": location}, "d")
    assert obs.country == country
    assert any("inferred from the location" in w for w in obs.warnings)


@pytest.mark.parametrize(
    "location",
    [
        "Russia–Ukraine border",
        "between Aleppo and Mosul",
        "Iraq–Syria border near Abu Kamal and al-Qaim",
        "Tripoli",  # Lebanon's and Libya's
        "طرابلس",
    ],
)
def test_bundled_location_naming_two_countries_gives_none(bundled, location) -> None:
    obs = Observer(bundled).observe({"location": location}, "d")
    assert obs.country is None
    assert any("more than one country" in w for w in obs.warnings)


@pytest.mark.parametrize("location", ["Georgia", "Niger", "Salah al-Din", "tyre dump"])
def test_bundled_names_left_out_as_ordinary_or_shared_words(bundled, location) -> None:
    assert Resolver(bundled).country_of(location) == (None, "none")


def test_bundled_places_cover_every_prior_country(bundled) -> None:
    from equipid.catalog.loader import load_catalog
    from equipid.catalog.locate import bundled_catalog

    cat = load_catalog([bundled_catalog()])
    countries = {p.country for p in cat.places if p.kind == "country"}
    for pr in cat.priors:
        assert set(pr.country) <= countries, pr.id


def test_bundled_place_names_are_ambiguous_only_where_meant(bundled) -> None:
    from equipid.catalog.loader import load_catalog
    from equipid.catalog.locate import bundled_catalog

    meant = {"Tripoli", "Tarabulus", "طرابلس", "Триполи", "Khoms", "Хомс"}  # see the notes in places.yaml
    r = Resolver(bundled)
    for p in load_catalog([bundled_catalog()]).places:
        for name in (p.name, *p.aliases):
            got = r.country_of(name)
            if name in meant and got == (None, "ambiguous"):
                continue
            assert got == (p.country, "exact"), (p.id, name, got)


def test_location_by_name_chooses_the_theatre_prior(bundled) -> None:
    rec = assess(bundled, {"id": "a", "date": "2013-12", "location": "Aleppo", "observed": ["barrel bomb"]})
    assert rec["prior"].startswith("syria-")
    assert any("country SY inferred" in w for w in rec["warnings"])


def test_country_from_place_names_in_the_text_when_no_location(bundled) -> None:
    from equipid.sightings.matcher import Observer

    obs = Observer(bundled).observe({"text": "Convict assault groups advance near Bakhmut", "date": "2023-01"}, "t")
    assert obs.country == "UA"
    assert any("inferred from place names in the text" in w for w in obs.warnings)
    given = Observer(bundled).observe({"text": "seen near Bakhmut", "location": {"country": "RU"}}, "t")
    assert given.country == "RU"  # a country given is never overridden
