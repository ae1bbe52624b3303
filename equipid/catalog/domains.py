"""The catalog's layout by domain: which file an equipment record or an indicator belongs in.

``catalog/equipment/<domain>.yaml`` and ``catalog/indicators/<domain>.yaml``
hold the records of one domain (what they are about), never of a batch or a
date. An equipment record's domain follows from its category, or for a few
categories from its id's prefix (a named person is an ``actor`` whose id begins
``person-``, filed under ``persons``); an indicator's
from the categories of the items its condition names (the most common one),
``context`` when it names none. ``equipid catalog stats`` counts by domain, and
``equipid catalog lint`` notes a record filed under another domain's file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from equipid.catalog.conditions import REGISTRY

#: Each domain and the equipment categories it holds, in the order ``stats`` shows them.
DOMAINS: dict[str, tuple[str, ...]] = {
    "small-arms": ("small-arm", "sniper-rifle", "machine-gun", "grenade-launcher", "accessory", "optic", "night-vision"),
    "anti-armour": ("anti-tank",),
    "armour": ("tank", "ifv", "apc", "armoured-car"),
    "soft-skin-vehicles": ("vehicle", "technical"),
    "artillery": ("artillery", "rocket-artillery", "mortar"),
    "air-defence": ("air-defence", "manpads", "radar"),
    "aircraft-and-helicopters": ("aircraft", "helicopter"),
    "uavs-and-loitering-munitions": ("uav", "loitering-munition"),
    "missiles-and-bombs": ("missile", "bomb"),
    "munitions-and-mines": ("munition", "mine", "grenade", "explosive"),
    "ew-and-signals": ("ew", "signals"),
    "naval": ("vessel",),
    "uniforms-and-insignia": ("body-armour", "helmet", "uniform", "insignia", "marking", "flag"),
    "medical-and-engineering": ("medical", "engineering"),
    "units": ("unit",),
    "documents-and-language": ("document",),
    "actors": ("actor",),
    "persons": (),  # actors whose id begins person- (ID_PREFIX_DOMAINS)
    "context": ("tactic", "area", "other"),
}

#: Ids that file a record of a category under another domain: (category, id prefix) -> domain.
#: A named commander is an ``actor`` (read, weighed and never suggested like a force's
#: name) but is kept apart from the forces.
ID_PREFIX_DOMAINS: dict[tuple[str, str], str] = {("actor", "person-"): "persons"}

_OF_CATEGORY = {c: d for d, cats in DOMAINS.items() for c in cats}


def domain_of_category(category: str) -> str:
    """The domain of an equipment category (``context`` for one not listed)."""
    return _OF_CATEGORY.get(category, "context")


def domain_of_item(item_id: str, category: str) -> str:
    """The domain of an equipment record: its id's prefix where ``ID_PREFIX_DOMAINS`` names one, else its category's."""
    for (cat, prefix), domain in ID_PREFIX_DOMAINS.items():
        if category == cat and item_id.startswith(prefix):
            return domain
    return domain_of_category(category)


def condition_items(cond: Any) -> Iterator[str]:
    """Every item id a condition names, at any depth (items, absent items, attributes and their bearers, items in a role)."""
    return REGISTRY.mentions(cond)


def domain_of_indicator(when: Any, category_of: Mapping[str, str]) -> str:
    """An indicator's domain: the most common domain of the items it names (the first named wins a tie)."""
    counts: Counter[str] = Counter()
    order: list[str] = []
    for iid in condition_items(when):
        cat = category_of.get(iid)
        if cat is None:
            continue
        d = domain_of_item(iid, cat)
        counts[d] += 1
        if d not in order:
            order.append(d)
    if not counts:
        return "context"
    best = max(counts.values())
    return next(d for d in order if counts[d] == best)


def categories(equipment: Iterable[Any]) -> dict[str, str]:
    """Item id to category value, from equipment records (models or plain mappings)."""
    out = {}
    for e in equipment:
        if isinstance(e, Mapping):
            out[str(e["id"])] = str(e["category"])
        else:
            out[e.id] = e.category.value if hasattr(e.category, "value") else str(e.category)
    return out
