"""JSON: one array of result records."""

from __future__ import annotations

from typing import Any

from equipid.output.base import Writer, register


@register
class JsonWriter(Writer):
    """A JSON array, one record per line inside it; built from the JSON Lines chunks."""

    name = "json"
    description = "one JSON array of records"
    payload = "jsonl"

    def begin(self) -> None:
        """Open the array."""
        self.first = True
        self.out.write(b"[")

    def write(self, chunk: bytes) -> None:
        """Add a chunk's lines as array members."""
        for line in chunk.rstrip(b"\n").split(b"\n") if chunk else []:
            self.out.write((b"\n" if self.first else b",\n") + line)
            self.first = False

    def end(self, stats: Any) -> None:
        """Close the array."""
        self.out.write(b"\n]\n" if not self.first else b"]\n")
