"""Ids that point at nothing."""

from __future__ import annotations

from typing import Any

from equipid.maintenance.lint.base import Issue, Severity, Validator


class ReferenceValidator(Validator):
    """Ids named by one record that no record defines."""

    code = "dangling-reference"
    severity = Severity.ERROR
    description = "variant_of, operators, supersedes or a test's leading ids name nothing"

    def validate(self, kind: str, rec: Any) -> list[Issue]:
        """Check the references of one record (affiliation parents and likelihoods come from the loader)."""
        c = self.ctx
        out = []
        if kind == "equipment":
            if rec.variant_of is not None and rec.variant_of not in c.items:
                out.append(self.issue(c.at(kind, rec.id, "variant_of"), f"equipment[{rec.id}].variant_of",
                                      f"unknown item {rec.variant_of!r}"))
            if rec.variant_of == rec.id:
                out.append(self.issue(c.at(kind, rec.id, "variant_of"), f"equipment[{rec.id}].variant_of",
                                      "an item cannot be a variant of itself", code="cycle"))
            for i, op in enumerate(rec.operators):
                if op not in c.affiliations:
                    out.append(self.issue(c.at(kind, rec.id, "operators", i), f"equipment[{rec.id}].operators[{i}]",
                                          f"unknown affiliation {op!r}"))
        elif kind == "indicators":
            for i, s in enumerate(rec.supersedes):
                if s not in c.indicators:
                    out.append(self.issue(c.at(kind, rec.id, "supersedes", i), f"indicators[{rec.id}].supersedes[{i}]",
                                          f"unknown indicator {s!r}"))
                elif s == rec.id:
                    out.append(self.issue(c.at(kind, rec.id, "supersedes", i), f"indicators[{rec.id}].supersedes[{i}]",
                                          "an indicator cannot supersede itself", severity=Severity.WARNING))
        elif kind == "tests":
            for i, a in enumerate(rec.expect.leading):
                if a not in c.affiliations:
                    out.append(self.issue(c.at(kind, rec.id, "expect", "leading", i), f"tests[{rec.id}].expect.leading[{i}]",
                                          f"unknown affiliation {a!r}"))
        return out
