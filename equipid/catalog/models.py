"""The catalog's record kinds as pydantic models (the cold path only).

Models are frozen and refuse unknown keys: a typo in a catalog file is an
error with its position, never silently ignored. The warm path (a cached,
compiled catalog) never imports this module.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from equipid.catalog.conditions import REGISTRY
from equipid.catalog.ranges import DateRange, PartialDate, Record
from equipid.catalog.scale import LIKELIHOOD, PRIOR_WEIGHT
from equipid.catalog.values import Category, check_country, check_slug

#: A military unit number: five digits (Russia's в/ч), or a letter and four
#: digits (Ukraine's А0501, Cyrillic or Latin letter).
UNIT_NUMBER = re.compile(r"^(?:\d{5}|[A-ZА-ЯІЇЄҐ]\d{4})$")


def _unit_number(v: Any) -> str:
    if isinstance(v, int) and not isinstance(v, bool):
        v = str(v)
    if not isinstance(v, str) or not UNIT_NUMBER.match(v.strip()):
        raise ValueError(f"{v!r} is not a military unit number (five digits such as 74268, or a letter and four digits such as А0501)")
    return v.strip()


def _nonblank(v: str) -> str:
    if not v.strip():
        raise ValueError("must not be blank")
    return v


Slug = Annotated[str, AfterValidator(check_slug)]
UnitNumber = Annotated[str, BeforeValidator(_unit_number)]
Country = Annotated[str, AfterValidator(check_country)]
Text = Annotated[str, AfterValidator(_nonblank)]


def _word_in(scale: dict[str, float], what: str) -> Any:
    """A validator accepting exactly the words of ``scale`` (defined once, in equipid.catalog.scale)."""

    def check(v: str) -> str:
        if v not in scale:
            raise ValueError(f"{v!r} is not a {what} word; use one of: {', '.join(scale)}")
        return v

    return check


LikelihoodWord = Annotated[str, AfterValidator(_word_in(LIKELIHOOD, "likelihood")),
                           WithJsonSchema({"type": "string", "enum": list(LIKELIHOOD)})]
PriorWord = Annotated[str, AfterValidator(_word_in(PRIOR_WEIGHT, "prior")),
                      WithJsonSchema({"type": "string", "enum": list(PRIOR_WEIGHT)})]


class SourceRef(Record):
    """A source given as a mapping: an address plus what it is."""

    url: Text
    title: str | None = None
    publisher: str | None = None
    date: PartialDate | None = None
    claim: str | None = None
    """What this source supports, when it backs only part of the record."""


Source = Annotated[Text, AfterValidator(lambda v: v.strip())] | SourceRef


def _sources_nonempty(v: list[Any]) -> list[Any]:
    if not v:
        raise ValueError("at least one source is required")
    return v


Sources = Annotated[list[Source], AfterValidator(_sources_nonempty)]


class Equipment(Record):
    """A kind of kit an observer can see: a weapon, vehicle, patch or tactic."""

    id: Slug
    name: Text
    category: Category
    aliases: list[Text] = []
    not_in_text: list[Text] = []
    """Names of the item (its name or aliases) that running text uses for other
    things ("Ukrainian patriots", "an archer"): looked up when an observer
    names the item, never scanned for in captions."""
    unit_numbers: list[UnitNumber] = []
    """A ``unit``'s military unit numbers (в/ч, войсковая часть): 74268, or
    А0501 for Ukraine's. Text is scanned for them in the written forms (в/ч
    74268, military unit 74268, ...), never bare: a bare number is anything."""
    garrison: list[Text] = []
    """A ``unit``'s garrison towns, each spelling: text is scanned for the
    unit's kind word with the town ("brigade based in Tolyatti", "Kostroma
    regiment"); a phrase two units share names neither."""
    generic: bool = False
    """A kind named without its type ("a tank", "drones", "a missile"): read so
    that a caption naming only the kind is understood (a strike's weapon is in
    view), evidence of no one. Beside a model's name ("T-90M tank", "drone
    Orlan-10") it is that name's head noun, not a second thing."""
    variant_of: Slug | None = None
    """The family parent: BTR-82A is a variant of BTR-82."""
    origin: Country | None = None
    in_service: DateRange | None = None
    operators: list[Slug] = []
    """Affiliation ids known to field it."""
    operators_note: str | None = None
    recognition: str | None = None
    notes: str | None = None
    sources: Sources

    @model_validator(mode="after")
    def _quiet_names_are_names(self) -> Equipment:
        from equipid.normalize import key

        names = {key(n) for n in (self.name, *self.aliases)}
        stray = [n for n in self.not_in_text if key(n) not in names]
        if stray:
            raise ValueError(f"not_in_text: {', '.join(map(repr, stray))} is not the name or an alias of {self.id}")
        if (self.unit_numbers or self.garrison) and self.category is not Category.UNIT:
            raise ValueError(f"unit_numbers and garrison are for category unit, not {self.category.value}")
        return self


class Affiliation(Record):
    """A hypothesis: a force that may have fielded what was seen."""

    id: Slug
    name: Text
    parent: Slug | None = None
    theatres: list[Country] = []
    opposes: list[Slug] = []
    """Affiliations (any level) this one fights: what it strikes is theirs. Symmetric; the sources must say so."""
    notes: str | None = None
    sources: Sources


# Conditions are kept as validated plain mappings: a recursive union in
# pydantic gives unreadable errors, so each condition kind checks its own
# shape (see equipid.catalog.conditions).
def _condition(v: Any) -> Any:
    REGISTRY.check(v)
    return v


Condition = Annotated[dict[str, Any], BeforeValidator(_condition)]


class Indicator(Record):
    """A rule: when the condition holds, how likely that is under each affiliation."""

    id: Slug
    name: Text
    when: Condition
    likelihoods: dict[Slug, LikelihoodWord]
    """P(evidence | affiliation) on the qualitative scale; parent ids cover their leaves."""
    default: LikelihoodWord
    """For every affiliation not named in ``likelihoods``."""
    supersedes: list[Slug] = []
    alternatives: str | None = None
    """How others could show this evidence too (bought, captured, mimicry)."""
    rationale: Text
    sources: Sources

    @field_validator("likelihoods")
    @classmethod
    def _nonempty(cls, v: dict[str, str]) -> dict[str, str]:
        if not v:
            raise ValueError("name at least one affiliation")
        return v


class Counts(Record):
    """A table of documented counts per model and side, turned into likelihoods by one rule.

    Each row names an equipment item and its count on each side. The compiler
    turns every row into an indicator: P(item | side) = (count + smoothing) /
    (side total + smoothing x rows) for the leaves under that side's
    affiliation, and the pooled rate of all sides for every other leaf. See
    docs/catalog-format.md, "Counts".
    """

    id: Slug
    name: Text
    sides: dict[str, Slug]
    """Column name in the rows -> the affiliation whose leaves take that side's rate."""
    period: DateRange
    """When the counted items were recorded."""
    applies: Condition
    """Where and when the likelihoods hold (a condition without items: country, date)."""
    smoothing: float = Field(default=0.5, gt=0)
    """Additive pseudo-count given to every row on every side."""
    rationale: Text
    notes: str | None = None
    sources: Sources
    rows: list[dict[str, Any]]
    """One per model: {item: ID, <side>: count, ...}."""

    @model_validator(mode="after")
    def _rows_fit_sides(self) -> Counts:
        if not self.sides:
            raise ValueError("sides: name at least one side")
        if not self.rows:
            raise ValueError("rows: at least one row")
        seen: set[str] = set()
        for i, row in enumerate(self.rows):
            item = row.get("item")
            if not isinstance(item, str):
                raise ValueError(f"rows[{i}]: needs item: ID")
            check_slug(item)
            if item in seen:
                raise ValueError(f"rows[{i}]: item {item!r} is counted twice")
            seen.add(item)
            for k, v in row.items():
                if k == "item":
                    continue
                if k not in self.sides:
                    raise ValueError(f"rows[{i}].{k}: not one of the sides {sorted(self.sides)}")
                if not isinstance(v, int) or isinstance(v, bool) or v < 0:
                    raise ValueError(f"rows[{i}].{k}: a whole number >= 0")
        return self


class Prior(Record):
    """Who was present in a theatre and period: the prior before evidence."""

    id: Slug
    name: Text
    country: list[Country] = []
    places: list[Slug] = []
    """Places (ids) the prior is scoped to within its countries: it applies only to sightings whose location
    names one of them or a place within one, and there it replaces the country's priors (Crimea from 2014,
    which the country code cannot tell from mainland Ukraine)."""
    date: DateRange | None = None
    weights: dict[Slug, PriorWord]
    default: PriorWord = "minor"
    notes: str | None = None
    sources: Sources


class TestExpectation(Record):
    """What a catalog test expects of the ranking."""

    leading: list[Slug]
    """The best leaf must lie under (or be) one of these ids."""
    min_probability: float | None = Field(default=None, ge=0.0, le=1.0)
    kept_open: bool = False
    """No leaf may exceed 0.8: the published analysts could not decide."""


class CatalogTest(Record):
    """An example sighting with the ranking the catalog must give it."""

    __test__ = False  # not a pytest class

    id: Slug
    description: str | None = None
    sighting: dict[str, Any]
    expect: TestExpectation
    known_miss: Text | None = None
    """Why the engine, with its numbers fitted on the whole case base, misses this test today: reported, not failed."""
    sources: Sources


class Held(Record):
    """Who held a place, and when: an ``area`` item (ground held by a side) and the dates."""

    by: Slug
    """An equipment item of category ``area`` (russian-held-area, ukrainian-held-area, rebel-held-area...)."""
    from_: PartialDate = Field(alias="from")
    until: PartialDate | None = None


class Place(Record):
    """A place name and its country, for sightings located only by name."""

    id: Slug
    name: Text
    country: Country
    kind: Literal["country", "region", "city", "town", "site"] = "city"
    aliases: list[Text] = []
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    held: list[Held] = []
    """Who held the place and when (front-line towns, occupied cities): a sighting located there at such a
    date is read as seen on ground that side held, as if its location said so."""
    within: list[Slug] = []
    """The regions (other places' ids) this place lies in: Sevastopol within Crimea. A prior scoped to a
    region (``places``) applies to a sighting located at any place within it."""
    sources: Sources
