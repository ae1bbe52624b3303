"""Score one sighting: the core function behind ``equipid identify``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from equipid.errors import InputError
from equipid.sightings.matcher import RecordError

if TYPE_CHECKING:
    from equipid.catalog.compiled import Compiled
    from equipid.engine.batch import ChunkEngine


def assess(compiled: Compiled, sighting: dict[str, Any], default_id: str = "sighting", engine: ChunkEngine | None = None) -> dict[str, Any]:
    """Score one sighting mapping (docs/sightings.md) into a result record (docs/output.md).

    Pass the ``engine`` to reuse (its observer and scorer are built once: about
    a millisecond a call instead of ten); without one, one is built for this call.
    """
    if engine is None:
        from equipid.engine.batch import ChunkEngine

        engine = ChunkEngine(compiled)
    try:
        obs = engine.observer.observe(sighting, default_id)
    except RecordError as exc:
        raise InputError(str(exc)) from None
    return engine.scorer.score(obs)
