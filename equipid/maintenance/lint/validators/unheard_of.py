"""'unheard-of' likelihoods without alternatives named."""

from __future__ import annotations

from typing import Any

from equipid.maintenance.lint.base import Issue, Severity, Validator


class UnheardOfValidator(Validator):
    """``unheard-of`` makes an affiliation all but impossible: say how it could still happen."""

    code = "unheard-of-without-alternatives"
    severity = Severity.WARNING
    description = "a likelihood of unheard-of without an alternatives note"

    def validate(self, kind: str, rec: Any) -> list[Issue]:
        """Check the likelihoods and the default of an indicator."""
        if kind != "indicators" or rec.alternatives:
            return []
        out = []
        for aid, word in rec.likelihoods.items():
            if word == "unheard-of":
                out.append(self.issue(self.ctx.at(kind, rec.id, "likelihoods", aid), f"indicators[{rec.id}].likelihoods.{aid}",
                                      f"unheard-of for {aid!r} without an 'alternatives' note (captured, bought, mimicked?)"))
        if rec.default == "unheard-of":
            out.append(self.issue(self.ctx.at(kind, rec.id, "default"), f"indicators[{rec.id}].default",
                                  "default unheard-of without an 'alternatives' note (captured, bought, mimicked?)"))
        return out
