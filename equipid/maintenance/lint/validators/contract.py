"""The affiliation ids every catalog must define."""

from __future__ import annotations

from equipid.errors import Location
from equipid.maintenance.lint.base import CATALOG_WIDE, Issue, Severity, Validator

CONTRACT_AFFILIATIONS: dict[str, str | None] = {
    "ru": None,
    "ru-sof": "ru",
    "ru-ksso": "ru-sof",
    "ru-gru-spetsnaz": "ru-sof",
    "ru-vdv": "ru",
    "ru-naval-infantry": "ru",
    "ru-ground-forces": "ru",
    "ru-military-police": "ru",
    "ru-vks": "ru",
    "ru-pmc": None,
    "ru-pmc-wagner": "ru-pmc",
    "ru-pmc-slavonic-corps": "ru-pmc",
    "ru-proxy-donbas": None,
    "sy-regime": None,
    "sy-saa": "sy-regime",
    "sy-ndf": "sy-regime",
    "ir-irgc": None,
    "iq-pmf": None,
    "lb-hezbollah": None,
    "isis": None,
    "sy-opposition": None,
    "ua-afu": None,
}


class ContractValidator(Validator):
    """The affiliation ids every catalog must define (docs/sightings.md), with their parents."""

    code = "contract-affiliation"
    severity = Severity.ERROR
    description = "an affiliation id that every catalog must define (docs/sightings.md) is missing or has another parent"

    def finalize(self) -> list[Issue]:
        """Check every pinned id."""
        out = []
        affs = self.ctx.affiliations
        for aid, parent in CONTRACT_AFFILIATIONS.items():
            if aid not in affs:
                where = f" (parent {parent})" if parent else ""
                out.append(self.issue(Location(CATALOG_WIDE), "affiliations",
                                      f"{aid!r}{where} is required of every catalog (docs/sightings.md) and missing"))
            elif affs[aid].parent != parent:
                out.append(self.issue(self.ctx.at("affiliations", aid, "parent"), f"affiliations[{aid}].parent",
                                      f"docs/sightings.md pins the parent of {aid!r} as {parent!r}, "
                                      f"not {affs[aid].parent!r}"))
        return out
