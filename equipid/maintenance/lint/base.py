"""The pieces every lint check shares: severities, issues, the context, the validator base class."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar

from equipid.catalog.kinds import KINDS
from equipid.catalog.loader import Catalog, field_location
from equipid.errors import Location

CATALOG_WIDE = "<catalog>"


class Severity(StrEnum):
    """How bad an issue is; errors fail lint, warnings fail it under --strict."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for errors, 1 for warnings, 2 for infos (sort order)."""
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True)
class Issue:
    """One lint finding: where, which field, what, and how bad."""

    code: str
    severity: Severity
    location: Location
    field: str
    message: str

    def __str__(self) -> str:
        fld = f" {self.field}:" if self.field else ""
        return f"{self.location}: {self.severity.value} [{self.code}]{fld} {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return {
            "path": self.location.path,
            "line": self.location.line,
            "column": self.location.column,
            "severity": self.severity.value,
            "code": self.code,
            "field": self.field,
            "message": self.message,
        }


@dataclass
class LintContext:
    """The loaded records and indexes every validator reads."""

    cat: Catalog
    items: dict[str, Any] = field(default_factory=dict)
    affiliations: dict[str, Any] = field(default_factory=dict)
    indicators: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def build(cls, cat: Catalog) -> LintContext:
        """Index the records of ``cat`` by id."""
        return cls(
            cat,
            {e.id: e for e in cat.equipment},
            {a.id: a for a in cat.affiliations},
            {i.id: i for i in cat.indicators},
        )

    def at(self, kind: str, rid: str, *sub: Any) -> Location:
        """Location of a field of a record (or of the record itself)."""
        return field_location(self.cat, kind, rid, *sub)


class Validator:
    """A check: ``validate`` per record, ``finalize`` across the catalog."""

    code: ClassVar[str]
    severity: ClassVar[Severity]
    description: ClassVar[str]
    variants: ClassVar[dict[str, tuple[Severity, str]]] = {}
    """Other codes this validator issues, with their severity and description."""

    def __init__(self, ctx: LintContext) -> None:
        self.ctx = ctx

    def validate(self, kind: str, rec: Any) -> list[Issue]:
        """Issues of one record (``kind`` is its catalog key)."""
        return []

    def validate_raw(self, kind: str, label: str, raw: dict[str, Any], at: Callable[..., Location]) -> list[Issue]:
        """Issues of a record as written, for records the schema refused (``at(*sub)`` locates a field)."""
        return []

    def finalize(self) -> list[Issue]:
        """Issues that need every record seen first."""
        return []

    def issue(self, loc: Location, fld: str, message: str, *, code: str | None = None,
              severity: Severity | None = None) -> Issue:
        """An issue of this validator (code and severity overridable for variants)."""
        return Issue(code or self.code, severity or self.severity, loc, fld, message)


# -- sources ---------------------------------------------------------------


NAMED = tuple(k.key for k in KINDS.values() if k.named)


def dotted(path: tuple[Any, ...]) -> str:
    """A field path as written in messages: ``when.any[1].item``."""
    shown = ""
    for p in path:
        shown += f"[{p}]" if isinstance(p, int) else (f".{p}" if shown else str(p))
    return shown


def field_name(kind: str, rid: str, sub: tuple[Any, ...]) -> str:
    """The name of a record's field in messages: ``indicators[mib].when.item``."""
    return f"{kind}[{rid}].{dotted(sub)}" if sub else f"{kind}[{rid}]"
