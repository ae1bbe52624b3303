"""Indicators whose weights no source is said to support."""

from __future__ import annotations

from typing import Any

from equipid.maintenance.lint.base import Issue, Severity, Validator


class UnclaimedSourceValidator(Validator):
    """Indicators none of whose sources says, in a ``claim:``, what it supports.

    An indicator's likelihoods need a source that says who fields the item and
    how commonly (an order of battle, a count, an investigator's finding). At
    info level: the existing catalog stays clean under ``--strict``.
    """

    code = "unclaimed-sources"
    severity = Severity.INFO
    description = "no source of the indicator has a 'claim:' saying what it supports"

    def validate(self, kind: str, rec: Any) -> list[Issue]:
        """Check that at least one source of an indicator is a mapping with a claim."""
        if kind != "indicators":
            return []
        if any(getattr(src, "claim", None) for src in rec.sources):
            return []
        return [self.issue(self.ctx.at(kind, rec.id, "sources"), f"indicators[{rec.id}].sources",
                           "no source carries a 'claim:' saying who fields the item and how commonly; "
                           "the likelihoods rest on the rationale alone")]
