"""Words analysts write for generic kit, languages and ships, on the bundled catalog (issue 14)."""

from __future__ import annotations

import pytest

from equipid.engine.lookup import lookup_names
from equipid.sightings.matcher import Observer


def looked_up(bundled, name: str) -> list[str]:
    (entry,) = lookup_names(bundled, [name])
    return [i["id"] for i in entry.get("items", [])]


def items_in(bundled, text: str) -> set[str]:
    return {o.item for o in Observer(bundled).observe({"text": text}, "s").items}


@pytest.mark.parametrize(
    ("name", "item"),
    [
        ("jets", "aircraft-unstated"),
        ("fixed-wing jets", "aircraft-unstated"),
        ("warplanes", "aircraft-unstated"),
        ("fighter jets", "aircraft-unstated"),
        ("Urdu", "urdu-speech"),
        ("Urdu-language", "urdu-speech"),
        ("Pashto", "pashto-speech"),
        ("Kurdish-speaking", "kurdish-speech"),
        ("Ivan Gren", "ship-ivan-gren"),
        ("AK-pattern rifles", "ak-47"),
        ("AK-style rifle", "ak-47"),
        ("Kalashnikov-type rifles", "ak-47"),
    ],
)
def test_the_common_word_is_looked_up(bundled, name: str, item: str) -> None:
    assert looked_up(bundled, name) == [item]


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("fixed-wing jets struck the town", "aircraft-unstated"),
        ("the fighters spoke in Urdu", "urdu-speech"),
        ("Kurdish-speaking fighters at a checkpoint", "kurdish-speech"),
        ("men with AK-pattern rifles", "ak-47"),
    ],
)
def test_the_phrase_is_read_from_text(bundled, text: str, item: str) -> None:
    assert item in items_in(bundled, text)


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("water jets sprayed the crowd", "aircraft-unstated"),
        ("an Urdu-language banner", "urdu-speech"),
        ("a leaflet in Pashto", "pashto-speech"),
        ("Kurdish fighters", "kurdish-speech"),
        ("the AK Party won", "ak-47"),
    ],
)
def test_bare_words_are_not_read_as_them(bundled, text: str, item: str) -> None:
    assert item not in items_in(bundled, text)
