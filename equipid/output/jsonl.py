"""JSON Lines: one result record per line, in input order (the default off a terminal)."""

from __future__ import annotations

from equipid.output.base import Writer, register


@register
class JsonlWriter(Writer):
    """One JSON object per line, encoded by the engine's fast encoder and streamed by the workers."""

    name = "jsonl"
    description = "one JSON record per line (the batch contract)"
    payload = "jsonl"
    streams = True
