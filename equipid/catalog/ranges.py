"""The catalog's strict record base and its date range (pydantic).

Kept apart from :mod:`equipid.catalog.models` so the ``date`` condition kind
can validate its range with the same model without importing the record
models (which import the condition registry).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from equipid import dates


class Record(BaseModel):
    """A catalog mapping: frozen, unknown keys refused, fields also by alias."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _partial_date(v: Any) -> str:
    return dates.canonical(v)


PartialDate = Annotated[str, BeforeValidator(_partial_date)]


class DateRange(Record):
    """An in-service or validity range; either end may be open."""

    from_: PartialDate | None = Field(default=None, alias="from")
    until: PartialDate | None = None
    uncertain: bool = False
    """True where the sources disagree or are vague about these dates."""

    @model_validator(mode="after")
    def _ordered(self) -> DateRange:
        if self.from_ and self.until:
            if dates.parse_partial(self.until)[1] < dates.parse_partial(self.from_)[0]:
                raise ValueError(f"until {self.until} is before from {self.from_}")
        return self
