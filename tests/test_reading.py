"""Reading with roles: each mention gets the part it plays, from the words around it."""

from __future__ import annotations

import pytest

from equipid.normalize import scan_text
from equipid.sightings.reading import Reader, end_label, mark_clauses

CATS = {"ka-52": "helicopter", "piorun": "manpads", "t-90": "tank", "no-insignia": "insignia", "caesar": "artillery",
        "rebel-held-area": "area", "government-held-area": "area", "actor-ukrainian-forces": "actor",
        "actor-separatists": "actor", "actor-isis": "actor", "ukrainian-flag-patch": "insignia", "orlan-10": "uav",
        "strike-site": "tactic", "nasams": "air-defence", "l-39": "aircraft"}


def roles(text: str, names: dict[str, str]) -> dict[str, str]:
    """The role of each named phrase (``names``: phrase as written -> item id) in ``text``."""
    form = scan_text(mark_clauses(text))
    reader = Reader(CATS)
    out = {}
    for phrase, item in names.items():
        pat = scan_text(phrase).strip()
        at = form.index(" " + pat + " ") + 1
        out[phrase] = reader.role_at(form, item, at, at + len(pat))
    return out


@pytest.mark.parametrize(("text", "names", "want"), [
    ("Piorun shoots down a Ka-52 near Izium", {"Piorun": "piorun", "Ka-52": "ka-52"},
     {"Piorun": "fielded", "Ka-52": "target"}),
    ('A Ka-52 "Alligator" attack helicopter is shot down near Izium by troops using a Polish-built Piorun.',
     {"Ka-52": "ka-52", "Piorun": "piorun"}, {"Ka-52": "target", "Piorun": "fielded"}),
    ("Сбит Ка-52 под Изюмом", {"Ка-52": "ka-52"}, {"Ка-52": "target"}),
    ("Збито Ка-52 біля Ізюма", {"Ка-52": "ka-52"}, {"Ка-52": "target"}),
    # a noun of striking, and a kind word in the genitive between it and the name
    ("Ранок розпочався зі знищення російського вертольоту Ка-52", {"Ка-52": "ka-52"}, {"Ка-52": "target"}),
    ("Video of the destruction of a Ka-52 near Robotyne", {"Ka-52": "ka-52"}, {"Ka-52": "target"}),
    ("A captured T-90 is driven by its new crew", {"T-90": "t-90"}, {"T-90": "captured"}),
    ("Трофейный Т-90 на ходу", {"Т-90": "t-90"}, {"Т-90": "captured"}),
    ("Soldiers with no insignia; not a T-90 but a T-72", {"T-90": "t-90"}, {"T-90": "negated"}),
    ("Helicopters firing on opposition positions near Idlib", {"opposition positions": "rebel-held-area"},
     {"opposition positions": "target"}),
    ("Rocket craters show the salvo came from the east, from separatist-held ground.",
     {"separatist-held": "rebel-held-area"}, {"separatist-held": "fired-from"}),
    ("An Orlan-10 crossed into government-held territory", {"government-held": "government-held-area",
                                                            "Orlan-10": "orlan-10"},
     {"government-held": "place", "Orlan-10": "fielded"}),
    ("Moscow blames Ukrainian NASAMS interceptors", {"NASAMS": "nasams"}, {"NASAMS": "reported-by"}),
    ("The city was held by the separatists at the time", {"separatists": "actor-separatists"},
     {"separatists": "place"}),
    ("According to Ukrainian forces, the column withdrew", {"Ukrainian forces": "actor-ukrainian-forces"},
     {"Ukrainian forces": "reported-by"}),
    ("Drones hit the large landing ship Tsezar Kunikov", {"Tsezar": "caesar"}, {"Tsezar": "other-sense"}),
    ("The ministry says it was not shot down; a technical fault is suspected", {"technical": "technical"},
     {"technical": "other-sense"}),
    # a force named as the one that struck or took the subject's things
    ("A T-90 destroyed near Izium by Ukrainian forces", {"Ukrainian forces": "actor-ukrainian-forces", "T-90": "t-90"},
     {"Ukrainian forces": "attacker", "T-90": "target"}),
    ("Abandoned vehicles, filmed as Ukrainian forces take them over", {"Ukrainian forces": "actor-ukrainian-forces"},
     {"Ukrainian forces": "attacker"}),
    ("Two separatists captured near Shchastia", {"separatists": "actor-separatists"}, {"separatists": "captured"}),
    # the force a thing was taken from is one the subject fights, unless the taker is named
    ("a Humvee captured from Ukrainian troops", {"Ukrainian troops": "actor-ukrainian-forces"},
     {"Ukrainian troops": "opposed"}),
    ("Weapons captured from Islamic State fighters by Kurdish forces", {"Islamic State": "actor-isis"},
     {"Islamic State": "captured"}),
    # a formation the subject names as its own
    ("One says he served in the 82nd airmobile brigade", {"82nd airmobile brigade": "actor-ukrainian-forces"},
     {"82nd airmobile brigade": "self"}),
    ("servicemen who say they are marines of the 155th brigade", {"155th brigade": "actor-ukrainian-forces"},
     {"155th brigade": "self"}),
    ("a soldier who served in operations against the 155th brigade", {"155th brigade": "actor-ukrainian-forces"},
     {"155th brigade": "opposed"}),
    ("Moscow claims they are Ukrainian soldiers", {"Ukrainian soldiers": "actor-ukrainian-forces"},
     {"Ukrainian soldiers": "reported-by"}),
    # who describes what happened is a witness, not the subject
    ("A Ukrainian soldier describes his column being raked from high ground",
     {"Ukrainian soldier": "actor-ukrainian-forces"}, {"Ukrainian soldier": "reported-by"}),
    # a flag torn down or burned is the subject's enemy's
    ("four fighters pull down the Ukrainian flag and set it alight", {"Ukrainian flag": "ukrainian-flag-patch"},
     {"Ukrainian flag": "opposed"}),
    ("soldiers pose with a Ukrainian flag", {"Ukrainian flag": "ukrainian-flag-patch"}, {"Ukrainian flag": "fielded"}),
    ("the Russian tricolour was lowered and the Ukrainian flag raised over the council",
     {"Ukrainian flag": "ukrainian-flag-patch"}, {"Ukrainian flag": "fielded"}),
    # who publishes a video or interviews is its source, not its subject
    ("Ukrainian forces publish interviews with captured soldiers", {"Ukrainian forces": "actor-ukrainian-forces"},
     {"Ukrainian forces": "reported-by"}),
    # clashes with a force, in English, Russian and Arabic
    ("two men killed in clashes with ISIS near Palmyra", {"ISIS": "actor-isis"}, {"ISIS": "opposed"}),
    ("погибли в боях с ВСУ", {"ВСУ": "actor-ukrainian-forces"}, {"ВСУ": "opposed"}),
    ("باشتباكات ضد تنظيم داعش", {"داعش": "actor-isis"}, {"داعش": "opposed"}),
    ("Ukrainian forces with a Piorun near Izium", {"Ukrainian forces": "actor-ukrainian-forces"},
     {"Ukrainian forces": "fielded"}),
    ("Ukrainian forces shoot down a Ka-52 near Izium", {"Ukrainian forces": "actor-ukrainian-forces"},
     {"Ukrainian forces": "attacker"}),
    ("Two separatists killed near Shchastia", {"separatists": "actor-separatists"}, {"separatists": "fielded"}),
    # a force the subject fights
    ("Volunteers defend the town against the separatists", {"separatists": "actor-separatists"},
     {"separatists": "opposed"}),
    ("Militiamen fighting the separatists near the town", {"separatists": "actor-separatists"},
     {"separatists": "opposed"}),
    ("Наступление против ВСУ под Бахмутом", {"ВСУ": "actor-ukrainian-forces"}, {"ВСУ": "opposed"}),
    ("About 30 Ukrainian forces fire back and withdraw", {"Ukrainian forces": "actor-ukrainian-forces"},
     {"Ukrainian forces": "opposed"}),
    ("Assault groups advance in waves on separatist-held positions", {"separatist-held": "rebel-held-area"},
     {"separatist-held": "opposed"}),
    ("Tanks advancing on the separatists base", {"separatists": "actor-separatists"}, {"separatists": "opposed"}),
    ("Separatists fighting alongside Ukrainian forces", {"Ukrainian forces": "actor-ukrainian-forces"},
     {"Ukrainian forces": "fielded"}),
    # taken: said just before the thing taken, not after it
    ("Fighters film the base: we took the L-39 here", {"L-39": "l-39"}, {"L-39": "captured"}),
    ("The L-39 took off from the base", {"L-39": "l-39"}, {"L-39": "fielded"}),
    # a road named like a rifle or a gun
    ("a checkpoint on the Caesar highway near Saraqib", {"Caesar": "caesar"}, {"Caesar": "other-sense"}),
])
def test_roles_from_the_words_around(text: str, names: dict[str, str], want: dict[str, str]) -> None:
    assert roles(text, names) == want


def test_a_clause_end_stops_the_window() -> None:
    # "shot down" belongs to the first sentence; the Piorun of the second is fielded.
    assert roles("A drone was shot down. Piorun teams trained all week.", {"Piorun": "piorun"}) == {"Piorun": "fielded"}


def test_attributes_give_the_role_of_an_observed_item(mini) -> None:
    from equipid.sightings.matcher import Observer

    obs = Observer(mini).observe({"observed": [{"item": "T-90", "attributes": ["captured intact"]},
                                               {"item": "BTR-4", "attributes": ["target, shot down"]},
                                               "MIB"]}, "t")
    got = {o.item: o.role for o in obs.items}
    assert got["t-90"] == "captured"
    assert got["btr-4"] == "target"
    assert got["mib"] == "fielded"
    # an attribute that says the thing was struck: burning, damaged, sunk
    burning = Observer(mini).observe({"observed": [{"item": "T-90", "attributes": ["burning on the apron"]},
                                                   {"item": "BTR-4", "attributes": ["fresh paint"]}]}, "t")
    assert {o.item: o.role for o in burning.items} == {"t-90": "target", "btr-4": "fielded"}


def test_reading_is_linear_on_long_text(mini) -> None:
    from equipid.sightings.matcher import Observer

    # 20,000 mentions in one caption: every one read with a bounded window.
    text = "A captured T-90 and an MIB were seen. " * 10_000
    obs = Observer(mini).observe({"text": text}, "t")
    assert {(o.item, o.role) for o in obs.items} == {("t-90", "captured"), ("mib", "fielded")}


def test_a_force_named_for_its_ground_is_a_place() -> None:
    assert roles("Spotters passed coordinates of Islamic State positions near Tadmor",
                 {"Islamic State": "actor-separatists"}) == {"Islamic State": "place"}


def test_the_kind_of_thing_may_stand_between_a_name_and_its_fate() -> None:
    assert roles("a Russian T-90 tank destroyed near Staryi Saltiv by a Piorun", {"T-90": "t-90", "Piorun": "piorun"}) == {
        "T-90": "target", "Piorun": "fielded"}


def test_the_next_force_in_a_list_after_against_is_fought_too() -> None:
    reader = Reader(CATS)

    def second_role(text: str) -> str:
        form = scan_text(mark_clauses(text))
        head, nxt = scan_text("separatists").strip(), scan_text("Ukrainian forces").strip()
        first = form.index(" " + head + " ") + 1
        at = form.index(" " + nxt + " ") + 1
        return reader.role_at(form, "actor-ukrainian-forces", at, at + len(nxt), floor=first + len(head))

    assert second_role("Local men defended the town against the separatists and later Ukrainian forces") == "opposed"
    # without "against" before the list's head, a list is only a list
    assert second_role("Local men and the separatists and later Ukrainian forces") == "fielded"
    assert second_role("Local men fighting alongside the separatists and Ukrainian forces") == "fielded"


def test_a_label_in_brackets_at_an_entrys_end_gives_the_role_of_all_it_names() -> None:
    assert end_label("Su-25 crashing and burning (target)") == "target"
    assert end_label("Mi-8 (трофей)") == "captured"
    assert end_label("drones diving into targets") is None  # a word, not a label
    assert end_label("BMP-2 (two of them)") is None
