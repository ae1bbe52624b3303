"""Score one sighting: the core function behind ``equipid identify``."""

from __future__ import annotations

from typing import Any

from equipid.catalog.compiled import Compiled
from equipid.engine.scorer import Scorer
from equipid.errors import InputError
from equipid.sightings.matcher import Observer, RecordError


def assess(compiled: Compiled, sighting: dict[str, Any], default_id: str = "sighting") -> dict[str, Any]:
    """Score one sighting mapping (docs/sightings.md) into a result record (docs/output.md)."""
    try:
        obs = Observer(compiled).observe(sighting, default_id)
    except RecordError as exc:
        raise InputError(str(exc)) from None
    return Scorer(compiled).score(obs)
