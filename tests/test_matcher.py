import pytest

from equipid.sightings.matcher import _O_FOR_ZERO, Observer, RecordError, Resolver, parse_phrase


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2x MIB", ("MIB", 2, None)),
        ("MIB x3", ("MIB", 3, None)),
        ("possible BTR-82A", ("BTR-82A", 1, "possible")),
        ("probably T-90", ("T-90", 1, "probable")),
        ("T-90?", ("T-90", 1, "possible")),
        ("20 Mi-8AMTSh", ("Mi-8AMTSh", 20, None)),
        ("152 mm howitzer", ("152 mm howitzer", 1, None)),
        ("АК-74М w/ PBS-1", ("АК-74М w/ PBS-1", 1, None)),
        ("dozens of KamAZ trucks", ("KamAZ trucks", 24, None)),
        ("several T-72B3", ("T-72B3", 3, None)),
        ("possible hundreds of MIB", ("MIB", 200, "possible")),
        ("сотни грузовиков", ("грузовиков", 200, None)),
        ("Several", ("Several", 1, None)),  # a count word alone names nothing: left as said
        ("somewhat burnt T-72", ("somewhat burnt T-72", 1, None)),  # a word that begins with one is not one
    ],
)
def test_parse_phrase(text, expected) -> None:
    assert parse_phrase(text) == expected


def test_resolver_exact_contained_fuzzy(mini) -> None:
    r = Resolver(mini)
    assert r.resolve("АК-74М").items == ("ak-74m",)
    assert r.resolve("АК-74М").how == "exact"
    got = r.resolve("Kalashnikov AK-74M w/ PBS-1")
    assert got.how == "exact" or got.how == "contained"
    fz = r.resolve("telnyaska")
    assert fz.how == "fuzzy" and fz.items == ("telnyashka",) and fz.score < 100
    assert r.resolve("xyz123").how == "none"


def test_a_letter_o_for_a_zero_is_read_and_said(mini) -> None:
    r = Resolver(mini)
    got = r.resolve("T-9O")
    assert (got.how, got.items, got.note) == ("exact", ("t-90",), "a letter O read as a zero")
    assert r.resolve("T-90").note == ""
    assert _O_FOR_ZERO.sub("0", "t 9o tor o2 bo 2s1") == "t 90 tor 02 bo 2s1"  # only an O beside a digit
    obs = Observer(mini).observe({"observed": ["T-9O with gizmo"]}, "s")
    assert [o.item for o in obs.items] == ["t-90"] and obs.unmatched == ["gizmo"]
    assert any("'T-9O with gizmo' read as" in w and "a letter O read as a zero" in w for w in obs.warnings)


def test_text_scan_is_word_bounded(mini) -> None:
    r = Resolver(mini)
    assert r.scan("a t 90m and mibk") == ["t-90m"]
    assert r.scan("a t 90 and mib") == ["t-90", "mib"]


def test_observe_phrase_with_attributes(mini) -> None:
    obs = Observer(mini).observe({"observed": ["АК-74М w/ PBS-1 and thermal sight", "2x MIB"]}, "f:1")
    items = [(o.item, o.how) for o in obs.items]
    assert ("ak-74m", "contained") in items
    assert ("suppressor", "attribute") in items and ("thermal-sight", "attribute") in items
    assert [o.count for o in obs.items if o.item == "mib"] == [2]
    assert obs.id == "f:1"


def test_observe_mapping_form_and_confidence(mini) -> None:
    obs = Observer(mini).observe(
        {"id": "x", "observed": [{"item": "MIB", "attributes": ["tripwire"], "confidence": "possible", "count": 2}]}, "d"
    )
    mib = next(o for o in obs.items if o.item == "mib")
    assert mib.confidence == 0.35 and mib.count == 2
    assert obs.unmatched == ["tripwire"]


def test_text_is_scanned_and_unmatched_kept(mini) -> None:
    obs = Observer(mini).observe({"text": "Fighter with a T-90M and telnyashka", "observed": ["frobnicator"]}, "d")
    assert {o.item for o in obs.items} == {"t-90m", "telnyashka"}
    assert obs.unmatched == ["frobnicator"]


def test_absent_resolved(mini) -> None:
    obs = Observer(mini).observe({"absent": ["bat patch"]}, "d")
    assert obs.absent == {"bat-emblem"}


def test_unknown_fields_kept(mini) -> None:
    obs = Observer(mini).observe({"observed": ["MIB"], "ranking": "spoof", "analyst": "kb"}, "d")
    assert obs.extra == {"ranking": "spoof", "analyst": "kb"}


@pytest.mark.parametrize(
    "rec, field",
    [
        ({"date": "2016-02-30"}, "date"),
        ({"date": "yesterday"}, "date"),
        ({"location": {"country": "Syria"}}, "location.country"),
        ({"location": {"lat": 123}}, "location.lat"),
        ({"observed": [{"attributes": ["x"]}]}, "observed[0].item"),
        ({"observed": [{"item": "MIB", "confidence": "sure"}]}, "observed[0].confidence"),
        ({"observed": [{"item": "MIB", "count": 0}]}, "observed[0].count"),
        ({"observed": 7}, "observed"),
        ({"text": ["a"]}, "text"),
    ],
)
def test_bad_fields_name_the_field(mini, rec, field) -> None:
    with pytest.raises(RecordError) as e:
        Observer(mini).observe(rec, "d")
    assert e.value.field == field


@pytest.mark.parametrize(
    "location, country",
    [
        ("Aleppo", "SY"),
        ({"name": "west of Palmyra (ad-Duwwa area)"}, "SY"),
        ("Луганськ", "UA"),
        ("Russia–Ukraine border strip, Luhansk and Donetsk oblasts", "UA"),
        ({"name": "Aleppo", "country": "TR"}, "TR"),
        ("Atlantis", None),
    ],
)
def test_country_inferred_from_place_names(mini, location, country) -> None:
    obs = Observer(mini).observe({"location": location}, "d")
    assert obs.country == country
    if country and not (isinstance(location, dict) and "country" in location):
        assert any("inferred from the location" in w for w in obs.warnings)


def test_tie_between_countries_gives_none(mini) -> None:
    obs = Observer(mini).observe({"location": "between Aleppo and Luhansk"}, "d")
    assert obs.country is None and any("more than one country" in w for w in obs.warnings)


@pytest.mark.parametrize(
    "phrase, items, unmatched",
    [
        ("AK-74M with gizmo", ["ak-74m"], ["gizmo"]),
        ("AK-74M with flux capacitor and suppressor", ["ak-74m", "suppressor"], ["flux capacitor"]),
        ("T-72B3 tank", ["t-72b3"], []),
        ("AK-74M with thermal sight and suppressor", ["ak-74m", "thermal-sight", "suppressor"], []),
    ],
)
def test_words_a_phrase_leaves_over_are_unmatched_not_dropped(bundled, phrase, items, unmatched) -> None:
    obs = Observer(bundled).observe({"observed": [phrase]}, "t")
    assert [o.item for o in obs.items] == items
    assert obs.unmatched == unmatched


def test_an_ambiguous_leftover_is_said(bundled) -> None:
    obs = Observer(bundled).observe({"observed": ["Msta with suppressor"]}, "t")
    assert [o.item for o in obs.items] == ["suppressor"]
    assert any("ambiguous" in w and "Msta-B" in w for w in obs.warnings)


def test_a_fuzzy_guess_says_so_in_how(bundled) -> None:
    obs = Observer(bundled).observe({"observed": ["telnyaska"]}, "t")
    assert [(o.item, o.how) for o in obs.items] == [("telnyashka", "fuzzy")]


def test_fuzzy_full_scan_skips_only_keys_out_of_reach(bundled) -> None:
    from rapidfuzz import fuzz, process

    from equipid.sightings.matcher import FUZZY_CUTOFF

    r = Resolver(bundled)
    keys = list(bundled.alias_keys)
    for k in ("t72b3mod2022", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", "abc", "kornetem", "qqqwwweee", "bmp2k", "xyzzyplugh42"):
        full = process.extract(k, keys, scorer=fuzz.ratio, limit=5, score_cutoff=FUZZY_CUTOFF - 20)
        near = process.extract(k, r._keys_near(len(k)), scorer=fuzz.ratio, limit=5, score_cutoff=FUZZY_CUTOFF - 20)
        assert [(c, s) for c, s, _ in near] == [(c, s) for c, s, _ in full]


class _Str(str):
    pass


class _List(list):
    pass


@pytest.mark.parametrize(
    "rec, expected",
    [
        (
            {"id": 7, "date": 2016, "country": "ua", "observed": "MIB; 2x T-90M ;", "text": "T-90M seen"},
            ("str", "7", (735964, 736329), "UA", [("mib", 1, "exact", "MIB"), ("t-90m", 2, "exact", "T-90M")], [], [], [], {}),
        ),
        ({"id": True}, ("error", "id: expected text, got bool")),
        ({"id": 1.5}, ("error", "id: expected text, got float")),
        ({"id": "", "date": ""}, ("str", "dflt", None, None, [], [], [], [], {})),
        ({"date": "2016-02-30"}, ("error", "date: impossible date '2016-02-30'")),
        ({"date": True}, ("error", "date: not a date: True")),
        ({"date": "2016-03", "location": {"country": "SY", "lat": 35.1, "lon": 38.2}}, ("str", "dflt", (736024, 736054), "SY", [], [], [], [], {})),
        ({"location": {"country": "SY", "lat": 135.1}}, ("error", "location.lat: expected a number within ±90, got 135.1")),
        ({"location": {"country": "SY", "lon": True}}, ("error", "location.lon: expected a number within ±180, got True")),
        (
            {"location": {"country": "SY", "elevation": 3}},
            ("str", "dflt", None, "SY", [], [], [], ["location: unknown keys ['elevation'] ignored"], {}),
        ),
        ({"location": {"country": "S1"}}, ("error", "location.country: expected an ISO 3166-1 alpha-2 code such as SY, got 'S1'")),
        ({"location": {"country": ""}, "country": "ua"}, ("str", "dflt", None, None, [], [], [], [], {})),
        ({"location": {"name": "x"}, "country": " sy "}, ("str", "dflt", None, "SY", [], [], [], [], {})),
        ({"location": {"country": None}, "country": 5}, ("str", "dflt", None, None, [], [], [], [], {})),
        ({"location": 5}, ("error", "location: expected text or a mapping, got int")),
        ({"location": "Palmyra"}, ("str", "dflt", None, "SY", [], [], [], ["country SY inferred from the location 'Palmyra'"], {})),
        ({"text": 5}, ("error", "text: expected text, got int")),
        ({"observed": 5}, ("error", "observed: expected a list, got int")),
        ({"observed": {"a": 1}}, ("error", "observed: expected a list, got dict")),
        ({"observed": _List(["MIB"])}, ("str", "dflt", None, None, [("mib", 1, "exact", "MIB")], [], [], [], {})),
        (
            {"observed": ["MIB", 5, {"item": "T-90M", "count": 2}, _Str("MIB")]},
            ("str", "dflt", None, None, [("mib", 1, "exact", "MIB"), ("t-90m", 2, "exact", "T-90M"), ("mib", 1, "exact", "MIB")], [], ["5"], [], {}),
        ),
        ({"observed": ["MIB", True]}, ("error", "observed[1]: expected text or a mapping, got bool")),
        ({"observed": [1, True]}, ("error", "observed[1]: expected text or a mapping, got bool")),
        ({"observed": ["MIB", {"item": ""}]}, ("error", "observed[1].item: the mapping form needs 'item': a name")),
        ({"observed": [{"item": "MIB", "count": "hundreds"}]},
         ("str", "dflt", None, None, [("mib", 200, "exact", "MIB")], [], [], ["observed[0].count 'hundreds' read as at least 200"], {})),
        ({"observed": [{"item": "MIB", "count": " 7 "}]}, ("str", "dflt", None, None, [("mib", 7, "exact", "MIB")], [], [], [], {})),
        ({"observed": [{"item": "MIB", "count": "²"}]},
         ("error", "observed[0].count: expected a whole number from 1 to 1,000,000 or a count word such as 'several', "
                   "'dozens' or 'hundreds', got '²'")),
        ({"observed": [{"item": "MIB", "count": "lots"}]},
         ("error", "observed[0].count: expected a whole number from 1 to 1,000,000 or a count word such as 'several', "
                   "'dozens' or 'hundreds', got 'lots'")),
        ({"observed": [{"item": "MIB", "count": 0}]},
         ("error", "observed[0].count: expected a whole number from 1 to 1,000,000 or a count word such as 'several', "
                   "'dozens' or 'hundreds', got 0")),
        (
            {"observed": ["MIB", "telnyaska"], "text": "a MIB and a T-90M and МИБ", "absent": ["T-90M"], "extra1": 1},
            (
                "str",
                "dflt",
                None,
                None,
                [("mib", 1, "exact", "MIB"), ("telnyashka", 1, "fuzzy", "telnyaska"), ("t-90m", 1, "text", "text")],
                ["t-90m"],
                [],
                [
                    "observed 'telnyaska' read as telnyashka (fuzzy match, score 95)",
                    "'T-90M' is both observed and reported absent; both are scored, check the sighting",
                ],
                {"extra1": 1},
            ),
        ),
        ({"text": "", "observed": []}, ("str", "dflt", None, None, [], [], [], [], {})),
        (
            {"id": _Str("sid"), "date": _Str("2016"), "location": {"country": _Str("ua")}, "text": _Str("T-90M")},
            ("str", "sid", (735964, 736329), "UA", [("t-90m", 1, "text", "text")], [], [], [], {}),
        ),
    ],
)
def test_observe_reads_every_shape_of_field(mini, rec, expected) -> None:
    """The common shapes take fast paths; these are the others, and their messages."""
    try:
        o = Observer(mini).observe(rec, "dflt")
    except RecordError as e:
        assert expected == ("error", str(e))
        return
    got = (
        type(o.id).__name__,
        o.id,
        o.date,
        o.country,
        [(i.item, i.count, i.how, i.said) for i in o.items],
        sorted(o.absent),
        o.unmatched,
        o.warnings,
        o.extra,
    )
    assert got == expected


def test_a_name_not_in_text_is_looked_up_but_not_scanned_for(mini_copy) -> None:
    """"Ukrainian patriots" are no Patriot battery; an observer who names the Patriot still gets it."""
    from equipid.catalog.compiler import compile_catalog
    from equipid.catalog.loader import load_catalog

    (mini_copy / "zz-patriot.yaml").write_text("""\
equipment:
  - id: patriot
    name: MIM-104 Patriot
    category: air-defence
    aliases: [Patriot, Patriot battery]
    not_in_text: [patriot]
    sources: [https://en.wikipedia.org/wiki/MIM-104_Patriot]
""", encoding="utf-8")
    c = compile_catalog(load_catalog([mini_copy]), "t")
    observe = Observer(c).observe
    assert [o.item for o in observe({"text": "Ukrainian patriots with a T-90M", "observed": []}, "a").items] == ["t-90m"]
    assert [o.item for o in observe({"text": "a Patriot near Kyiv"}, "b").items] == []
    assert [o.item for o in observe({"text": "two Patriot batteries near Kyiv"}, "c").items] == ["patriot"]
    assert [(o.item, o.how) for o in observe({"observed": ["Patriot"]}, "d").items] == [("patriot", "exact")]


def test_not_in_text_names_only_the_items_own_names(mini_copy) -> None:
    from equipid.catalog.loader import load_catalog
    from equipid.errors import CatalogError

    (mini_copy / "zz-stray.yaml").write_text("""\
equipment:
  - id: archer
    name: Archer howitzer
    category: artillery
    aliases: [Archer]
    not_in_text: [Archer, bowman]
    sources: [https://en.wikipedia.org/wiki/Archer_Artillery_System]
""", encoding="utf-8")
    with pytest.raises(CatalogError) as e:
        load_catalog([mini_copy])
    (problem,) = e.value.problems
    assert "zz-stray.yaml:2:5" in str(problem) and "'bowman' is not the name or an alias of archer" in str(problem)


def test_a_kind_beside_a_name_is_its_head_noun_unless_it_says_the_name_is_another_thing_s(bundled) -> None:
    r = Resolver(bundled)
    assert r.resolve("T-90M tank").items == ("t-90m",)
    assert r.resolve("drone Orlan-10").items == ("orlan-10",)
    assert r.resolve("Javelin hits a tank").items == ("javelin", "tank-unstated")  # two things: a joiner between
    assert r.resolve("AKM rockets").items == ("rocket-unstated",)  # no rifle heads a rocket: another thing's name


def test_a_caption_word_already_read_in_an_observed_entry_means_that_entry(bundled) -> None:
    # NOTE: "Azov" alone names the Ukrainian regiment; beside an observed landing ship Azov it is the ship.
    from equipid.sightings.matcher import Observer

    obs = Observer(bundled).observe({"date": "2024-03-24", "location": {"country": "UA"},
                                     "text": 'Two landing ships reported hit at their moorings, "Yamal" and "Azov".',
                                     "observed": ['large landing ship "Azov"']}, "s")
    assert "ship-azov" in {o.item for o in obs.items}
    assert "actor-ukrainian-forces" not in {o.item for o in obs.items}
    alone = Observer(bundled).observe({"text": "Fighters of Azov hold the plant."}, "s")
    assert "actor-ukrainian-forces" in {o.item for o in alone.items}


def test_a_location_that_says_who_holds_it_is_ground_held(bundled) -> None:
    from equipid.sightings.matcher import Observer

    obs = Observer(bundled).observe({"date": "2018-06", "observed": ["T-72"], "location": {
        "name": "Andriivka, 23 km from Donetsk (non-government-controlled)", "country": "UA"}}, "s")
    held = [o for o in obs.items if o.how == "location"]
    assert [(o.item, o.role) for o in held] == [("rebel-held-area", "place")]
    plain = Observer(bundled).observe({"observed": ["T-72"], "location": {"name": "Andriivka", "country": "UA"}}, "s")
    assert not [o for o in plain.items if o.how == "location"]


HELD = """\
equipment:
  - id: held-by-rebels
    name: Area held by rebels
    category: area
    sources: [https://en.wikipedia.org/wiki/Donbas]
places:
  - id: uspenka
    name: Uspenka
    country: UA
    held:
      - {by: held-by-rebels, from: "2014-06", until: "2022-09-30"}
    sources: [https://en.wikipedia.org/wiki/Uspenka]
  - id: twin-a
    name: Twinville
    country: UA
    held:
      - {by: held-by-rebels, from: "2014-06"}
    sources: [https://en.wikipedia.org/wiki/Donbas]
  - id: twin-b
    name: Twinville
    country: UA
    sources: [https://en.wikipedia.org/wiki/Donbas]
"""


def test_a_place_held_by_a_side_at_the_date_is_ground_held(mini_copy) -> None:
    from equipid.catalog.compiler import compile_catalog
    from equipid.catalog.loader import load_catalog
    from equipid.sightings.matcher import Observer

    (mini_copy / "zz-held.yaml").write_text(HELD, encoding="utf-8")
    obs = Observer(compile_catalog(load_catalog([mini_copy]), "held"))

    def held(date: str, where: str) -> list[tuple[str, str, str]]:
        o = obs.observe({"date": date, "location": {"name": where, "country": "UA"}, "observed": ["T-72"]}, "s")
        return [(x.item, x.role, x.how) for x in o.items if x.how == "location"]

    assert held("2017-09-03", "near Uspenka, 23 km south-west of Luhansk") == [("held-by-rebels", "place", "location")]
    assert held("2013-05", "Uspenka") == []  # before the hold
    assert held("2022", "Uspenka") == []  # the year straddles its end: nothing said
    assert held("2017-09", "Twinville") == []  # a name two places share says nothing of either
    assert held("2017-09", "Hnutove, Uspenka oblast") == []  # a region named after the town is not the town


def test_a_hold_must_name_an_area(mini_copy) -> None:
    from equipid.catalog.loader import load_catalog
    from equipid.errors import CatalogError

    (mini_copy / "zz-held.yaml").write_text(HELD.replace("by: held-by-rebels, from: \"2014-06\", until",
                                                         "by: ak-74, from: \"2014-06\", until"), encoding="utf-8")
    with pytest.raises(CatalogError, match=r"places\[uspenka\]\.held\[0\]\.by: not an item of category area 'ak-74'"):
        load_catalog([mini_copy])


def test_a_caption_says_what_befell_an_observed_item_whose_entry_said_nothing(bundled) -> None:
    from equipid.sightings.matcher import Observer

    def role_of(observed: list) -> str:
        obs = Observer(bundled).observe({"date": "2018-02-03", "location": {"country": "SY"}, "observed": observed,
                                         "text": "Video shows a Su-25 falling after it was shot down by a MANPADS."}, "s")
        return next(o.role for o in obs.items if o.item == "su-25")

    assert role_of(["Su-25", "MANPADS"]) == "target"  # the entry said nothing of its part: the caption does
    assert role_of([{"item": "Su-25", "attributes": ["captured"]}]) == "captured"  # the entry's own word stands


def test_a_class_followed_by_a_name_is_the_one_ship_of_that_class_so_named(bundled) -> None:
    # NOTE: "Azov" alone names the Ukrainian regiment; after the ship's class it is the class's ship of that name.
    r = Resolver(bundled)
    assert r.resolve("Ropucha-class landing ship 'Azov'").items == ("ropucha-class", "ship-azov")
    assert r.resolve("T-72B3 of the Azov regiment").items == ("t-72b3", "actor-ukrainian-forces")  # a tank has no such variant


def test_an_attribute_names_a_force_in_its_own_words(bundled) -> None:
    # NOTE: "captured from Ukrainian forces" said of a Humvee: the Ukrainians are who the subject took it from.
    from equipid.sightings.matcher import Observer

    obs = Observer(bundled).observe({"observed": [{"item": "Humvee-type armoured vehicle",
                                                   "attributes": ["captured from Ukrainian forces"]},
                                                  "Su-25 crashing and burning (target)"]}, "s")
    roles = {o.item: o.role for o in obs.items}
    assert roles["actor-ukrainian-forces"] == "opposed"
    assert roles["su-25"] == "target"


def test_the_parts_of_a_phrase_are_not_guessed_at(bundled) -> None:
    # NOTE: "explosives" is a fuzzy match for "explosive vest": a guess about one word of a longer phrase, made
    # silently, would put a suicide vest in a report of demolished buildings.
    from equipid.sightings.matcher import Observer

    obs = Observer(bundled).observe({"observed": ["buildings demolished with explosives and heavy equipment"]}, "s")
    assert "suicide-vest" not in {o.item for o in obs.items}


def test_generated_unit_forms_are_looked_up_exactly(bundled) -> None:
    # NOTE: "garrison Krymsk" names a regiment; "garrison: Kursk", one letter and one town away, must not.
    r = Resolver(bundled)
    # Vladivostok is the 155th brigade's and the Pacific Fleet's: the Navy's formations, their nearest family.
    assert r.resolve("garrisons: Vladivostok").items == ("units-ru-navy",)
    assert r.resolve("garrisons: Sputnik").items == ("unit-ru-61-naval-infantry-brigade",)
    assert "unit-ru-3-fighter-regiment" not in r.resolve("garrison: Kursk").items
    assert "garrisonkrymsk" in bundled.exact_only and "garrisonkrymsk" in bundled.alias_keys
