"""The one interface every output format implements, and the registry that names them.

A run hands a :class:`Writer` the scored chunks in input order. What a chunk is
depends on the writer's ``payload``:

- ``"jsonl"``: the records already encoded as JSON Lines bytes, by the engine's
  fast encoder (no record dicts are built);
- ``"bytes"``: the records encoded by the writer's own :meth:`Writer.encode`,
  which runs in the worker processes (so it must be a plain function of the
  records);
- ``"records"``: the record dicts themselves (docs/output.md), for writers
  that need to look at them whole (tables, reports).

Where ``streams`` is true, forked workers may write encoded chunks straight to
the output file in input order (gigabytes then never pass through the main
process); the writer's :meth:`Writer.write` then receives empty chunks.

A new format is a module in this package with a subclass registered by
:func:`register`; the CLI's ``--format`` choices come from :data:`WRITERS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any, ClassVar, Literal

Payload = Literal["jsonl", "bytes", "records"]


@dataclass(frozen=True)
class RunInfo:
    """What a writer may need to know of the run beyond the records."""

    compiled: Any
    """The compiled catalog (affiliation names, for instance)."""
    detail: bool = False
    """The full per-sighting view rather than one row per sighting, where a format has both."""


class Writer:
    """Base class of output formats: ``begin``, then ``write`` per chunk, then ``end``."""

    name: ClassVar[str] = ""
    """The ``--format`` name."""
    description: ClassVar[str] = ""
    payload: ClassVar[Payload] = "records"
    streams: ClassVar[bool] = False

    def __init__(self, out: IO[bytes], info: RunInfo) -> None:
        self.out = out
        self.info = info

    @staticmethod
    def encode(records: list[dict[str, Any]]) -> bytes:
        """Encode a chunk of records (``payload == "bytes"`` only; runs in the workers)."""
        raise NotImplementedError

    def begin(self) -> None:
        """Write whatever comes before the first record (a header, an opening bracket)."""

    def write(self, chunk: Any) -> None:
        """Write one chunk, in input order."""
        self.out.write(chunk)

    def end(self, stats: Any) -> None:
        """Write whatever closes the output; ``stats`` are the run's counts (:class:`equipid.engine.batch.Stats`)."""


#: The built-in formats and the module that registers each, imported only when
#: the format is used (so that listing ``--format`` choices imports nothing).
BUILTIN: dict[str, str] = {
    "table": "equipid.output.table",
    "jsonl": "equipid.output.jsonl",
    "json": "equipid.output.json",
    "csv": "equipid.output.csv",
    "summary": "equipid.output.summary",
    "geojson": "equipid.output.geojson",
    "stix": "equipid.output.stix",
    "html": "equipid.output.html",
    "parquet": "equipid.output.parquet",
}

#: Every output format loaded or registered so far, by its ``--format`` name.
WRITERS: dict[str, type[Writer]] = {}


def register(cls: type[Writer]) -> type[Writer]:
    """Class decorator: make a writer available under its ``name``."""
    if not cls.name or cls.name in WRITERS:
        raise ValueError(f"writer name {cls.name!r} is empty or taken")
    WRITERS[cls.name] = cls
    return cls


def writer_names() -> list[str]:
    """Every format name: the built-in ones, then any registered by other code."""
    return list(BUILTIN) + [n for n in WRITERS if n not in BUILTIN]


def get_writer(name: str) -> type[Writer]:
    """The writer class for a format name; KeyError names the choices."""
    if name not in WRITERS and name in BUILTIN:
        import importlib

        module = importlib.import_module(BUILTIN[name])
        if name not in WRITERS:  # imported before, and the registry was reset since (tests do)
            importlib.reload(module)
    try:
        return WRITERS[name]
    except KeyError:
        raise KeyError(f"unknown output format {name!r}; choose from {', '.join(writer_names())}") from None
