"""One root exception, a subclass per layer, each with a source location."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file, and a 1-based line and column when known."""

    path: str
    line: int | None = None
    column: int | None = None

    @classmethod
    def of_offset(cls, path: str, text: str | bytes, at: int) -> Location:
        """The 1-based line and column of offset ``at`` (a character, or a byte) in ``text``."""
        nl = "\n" if isinstance(text, str) else b"\n"
        line = text.count(nl, 0, at) + 1  # type: ignore[arg-type]
        return cls(path, line, at - (text.rfind(nl, 0, at) + 1) + 1)  # type: ignore[arg-type]

    def __str__(self) -> str:
        if self.line is None:
            return self.path
        if self.column is None:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    """One problem found in an input: where, which field, what is wrong."""

    location: Location
    field: str
    message: str
    severity: str = "error"
    code: str = "schema"

    def __str__(self) -> str:
        field = f" {self.field}:" if self.field else ""
        return f"{self.location}:{field} {self.message}"


class EquipidError(Exception):
    """Root of every error equipid raises on purpose."""


class InputError(EquipidError):
    """Bad user input: a file, a record or an argument that cannot be used."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.location = location

    def __str__(self) -> str:
        msg = super().__str__()
        return f"{self.location}: {msg}" if self.location else msg


class CatalogError(EquipidError):
    """A catalog that cannot be loaded: carries every problem found, not the first."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the catalog")
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)
