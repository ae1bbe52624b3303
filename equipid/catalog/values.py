"""The catalog's plain value types, checked without pydantic.

Slugs, country codes and equipment categories: what the record models and the
condition kinds (:mod:`equipid.catalog.conditions`) both check. Importing
this module is cheap.
"""

from __future__ import annotations

import re
from enum import StrEnum

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
COUNTRY = re.compile(r"^[A-Z]{2}$")


class Category(StrEnum):
    """What kind of thing an equipment record is."""

    SMALL_ARM = "small-arm"
    SNIPER_RIFLE = "sniper-rifle"
    MACHINE_GUN = "machine-gun"
    GRENADE_LAUNCHER = "grenade-launcher"
    ANTI_TANK = "anti-tank"
    MUNITION = "munition"
    MINE = "mine"
    GRENADE = "grenade"
    EXPLOSIVE = "explosive"
    ACCESSORY = "accessory"
    OPTIC = "optic"
    NIGHT_VISION = "night-vision"
    BODY_ARMOUR = "body-armour"
    HELMET = "helmet"
    UNIFORM = "uniform"
    INSIGNIA = "insignia"
    MARKING = "marking"
    FLAG = "flag"
    MEDICAL = "medical"
    ENGINEERING = "engineering"
    TANK = "tank"
    IFV = "ifv"
    APC = "apc"
    ARMOURED_CAR = "armoured-car"
    VEHICLE = "vehicle"
    TECHNICAL = "technical"
    ARTILLERY = "artillery"
    ROCKET_ARTILLERY = "rocket-artillery"
    MORTAR = "mortar"
    AIR_DEFENCE = "air-defence"
    MANPADS = "manpads"
    EW = "ew"
    SIGNALS = "signals"
    RADAR = "radar"
    UAV = "uav"
    LOITERING_MUNITION = "loitering-munition"
    AIRCRAFT = "aircraft"
    HELICOPTER = "helicopter"
    MISSILE = "missile"
    BOMB = "bomb"
    VESSEL = "vessel"
    TACTIC = "tactic"
    ACTOR = "actor"
    DOCUMENT = "document"
    AREA = "area"
    """Ground held by a side: context for what is seen there, not kit."""
    UNIT = "unit"
    OTHER = "other"


def check_slug(v: str) -> str:
    """``v`` if it is a slug; else ValueError."""
    if not SLUG.match(v):
        raise ValueError(f"{v!r} is not a slug (lower-case letters, digits and '-')")
    return v




def check_country(v: str) -> str:
    """``v`` if it is an ISO 3166-1 alpha-2 code; else ValueError."""
    if not COUNTRY.match(v):
        raise ValueError(f"{v!r} is not an ISO 3166-1 alpha-2 code (e.g. SY, UA)")
    return v
