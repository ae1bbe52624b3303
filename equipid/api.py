"""The library: open a catalog once, then look up kit and score sightings with it.

    >>> import equipid
    >>> engine = equipid.open_catalog()
    >>> a = engine.assess({"observed": ["MIB", "telnyashka"], "location": {"country": "SY"}, "date": "2016-03"})
    >>> a.leading.affiliation in {"ru-ksso", "ru-gru-spetsnaz"}
    True

An :class:`Engine` builds the matcher and the scorer once; reuse it for every
call (building one costs a few milliseconds, scoring a sighting well under one).
Results are frozen objects; :meth:`Assessment.to_record` gives exactly the JSON
record of ``equipid score --format jsonl`` (docs/output.md).
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from equipid.errors import InputError

if TYPE_CHECKING:
    from equipid.catalog.compiled import Compiled
    from equipid.engine.batch import ChunkEngine, Stats
    from equipid.output.base import Writer

PathLike = str | os.PathLike[str]


@dataclass(frozen=True, slots=True)
class Ranked:
    """One leaf affiliation in a ranking."""

    affiliation: str
    probability: float
    estimate: str
    """The ICD 203 term of likelihood for ``probability``."""
    path: tuple[str, ...]
    """The ids from the root down to this leaf."""


@dataclass(frozen=True, slots=True)
class GroupShare:
    """A parent affiliation and the summed probability of the leaves below it."""

    affiliation: str
    probability: float
    estimate: str


@dataclass(frozen=True, slots=True)
class Assessment:
    """The result for one sighting: a ranking with its evidence, or the error that stopped it.

    Lists are tuples and the record behind them is private: an assessment never
    changes. Evidence, matched names and look-for-next entries are the plain
    mappings of the JSON record (docs/output.md describes each field).
    """

    id: str
    ranking: tuple[Ranked, ...] = ()
    groups: tuple[GroupShare, ...] = ()
    evidence: tuple[Mapping[str, Any], ...] = ()
    unmatched: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    look_for_next: tuple[Mapping[str, Any], ...] = ()
    matched: tuple[Mapping[str, Any], ...] = ()
    prior: str | None = None
    error: str | None = None
    """Why the sighting could not be read; None when it was scored."""
    _record: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """True when the sighting was scored (no error)."""
        return self.error is None

    @property
    def leading(self) -> Ranked | None:
        """The leaf ranked first, or None for an error."""
        return self.ranking[0] if self.ranking else None

    def probability(self, affiliation: str) -> float:
        """The probability of a leaf or a group (0.0 for an id the catalog does not define)."""
        for r in self.ranking:
            if r.affiliation == affiliation:
                return r.probability
        for g in self.groups:
            if g.affiliation == affiliation:
                return g.probability
        return 0.0

    def to_record(self) -> dict[str, Any]:
        """The JSON record, exactly as ``equipid score --format jsonl`` writes it (a fresh copy)."""
        return copy.deepcopy(dict(self._record))

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Assessment:
        """An assessment from a JSON record (for example one line of a JSON Lines result file)."""
        if "error" in record:
            return cls(id=str(record.get("id")), error=str(record["error"]), _record=dict(record))
        return cls(
            id=str(record["id"]),
            ranking=tuple(Ranked(r["affiliation"], r["probability"], r["estimate"], tuple(r["path"])) for r in record["ranking"]),
            groups=tuple(GroupShare(g["affiliation"], g["probability"], g["estimate"]) for g in record["groups"]),
            evidence=tuple(record.get("evidence", ())),
            unmatched=tuple(record.get("unmatched", ())),
            warnings=tuple(record.get("warnings", ())),
            look_for_next=tuple(record.get("look_for_next", ())),
            matched=tuple(record.get("matched", ())),
            prior=record.get("prior"),
            _record=dict(record),
        )


@dataclass(frozen=True, slots=True)
class LookupResult:
    """What a name resolves to: how it matched, and the items (or the candidates) it names."""

    query: str
    match: str
    """``exact``, ``fuzzy``, ``ambiguous`` or ``none``."""
    items: tuple[Mapping[str, Any], ...] = ()
    """Everything the catalog says of each item named (docs/output.md, lookup)."""
    candidates: tuple[Mapping[str, Any], ...] = ()
    """For an ambiguous name, the items it could be; for no match, suggestions."""
    _record: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def found(self) -> bool:
        """True when the name resolved to at least one item."""
        return bool(self.items)

    def to_record(self) -> dict[str, Any]:
        """The JSON form, as ``equipid lookup --format json`` prints it (a fresh copy)."""
        return copy.deepcopy(dict(self._record))


class Engine:
    """A compiled catalog with its matcher and scorer, built once and reused.

    Make one with :func:`open_catalog`. Not shared between threads (the scorer
    keeps small memos); one per process or thread.
    """

    def __init__(self, compiled: Compiled) -> None:
        self.compiled = compiled
        self._chunks: ChunkEngine | None = None

    def _engine(self) -> ChunkEngine:
        if self._chunks is None:
            from equipid.engine.batch import ChunkEngine

            self._chunks = ChunkEngine(self.compiled)
        return self._chunks

    @property
    def affiliations(self) -> dict[str, str]:
        """Every affiliation id the catalog defines, with its name."""
        return dict(self.compiled.aff_names)

    @property
    def leaves(self) -> tuple[str, ...]:
        """The leaf affiliations: the hypotheses that are scored."""
        return tuple(self.compiled.leaves)

    def lookup(self, name: str) -> LookupResult:
        """Resolve one observed name (any spelling, Cyrillic, a misspelling) and describe what it names."""
        from equipid.engine.lookup import lookup_names

        rec = lookup_names(self.compiled, [name])[0]
        return LookupResult(query=name, match=rec["match"], items=tuple(rec.get("items", ())),
                            candidates=tuple(rec.get("candidates", rec.get("suggestions", ()))), _record=rec)

    def assess(self, sighting: Mapping[str, Any], default_id: str = "sighting") -> Assessment:
        """Score one sighting (docs/sightings.md); raise :class:`equipid.InputError` if it cannot be read."""
        from equipid.engine.assess import assess

        if not isinstance(sighting, Mapping):
            raise InputError(f"a sighting is a mapping, got {type(sighting).__name__}")
        return Assessment.from_record(assess(self.compiled, dict(sighting), default_id, self._engine()))

    def score(self, sightings: Iterable[Mapping[str, Any]], *, explain: bool = True, chunk: int = 2000) -> Iterator[Assessment]:
        """Score many sightings lazily, one assessment per input in order.

        A sighting that cannot be read yields an assessment with ``error`` set in
        its place (never an exception, never a dropped record). ``explain=False``
        skips "look for next", which is most of the cost on huge batches.
        """
        for rec in self.records(sightings, explain=explain, chunk=chunk):
            yield Assessment.from_record(rec)

    def records(self, sightings: Iterable[Mapping[str, Any]], *, explain: bool = True, chunk: int = 2000,
                start: int = 0) -> Iterator[dict[str, Any]]:
        """:meth:`score` as the plain JSON records (docs/output.md), without building assessments.

        ``start``: how many sightings came before these (a sighting without an
        id is named ``sighting-N`` by its position N counted from there).
        """
        from equipid.sightings.readers import RawRecord

        engine = self._engine()
        buf: list[RawRecord] = []
        n = start
        for s in sightings:
            n += 1
            where = f"sighting {n}"
            if isinstance(s, Mapping):
                buf.append(RawRecord(f"sighting-{n}", where, data=dict(s)))
            else:
                buf.append(RawRecord(f"sighting-{n}", where, error=f"{where}: a sighting is a mapping, got {type(s).__name__}"))
            if len(buf) >= chunk:
                yield from engine.records(buf, explain)[0]
                buf = []
        if buf:
            yield from engine.records(buf, explain)[0]

    def score_frame(self, df: Any, *, explain: bool = True) -> Any:
        """Score a pandas or Polars data frame of sightings: a frame of the same kind, one row per input row, in order.

        Input columns are sighting fields (``id``, ``date``, ``location``,
        ``country``, ``text``, ``observed`` as a list or ``;``-separated text,
        ``absent``; ``lat`` and ``lon`` columns go into the location); empty
        cells are left out. Output columns: those of ``--format csv`` typed
        (probabilities as floats) plus ``record``, the whole JSON record as
        text. A pandas result keeps the input's index. Needs the ``frames``
        extra (``pip install 'equipid[frames]'``).
        """
        from equipid.output.frames import columns, need, sighting_from_row

        kind = type(df).__module__.split(".")[0]
        if kind == "pandas":
            pd = need("pandas")
            rows = df.to_dict("records")
            cols = columns(self.records((sighting_from_row(r) for r in rows), explain=explain))
            return pd.DataFrame(cols, index=df.index)
        if kind == "polars":
            pl = need("polars")
            cols = columns(self.records((sighting_from_row(r) for r in df.iter_rows(named=True)), explain=explain))
            from equipid.output.frames import COLUMNS

            return pl.DataFrame(cols, schema={k: pl.Float64 if t == "float" else pl.String for k, t in COLUMNS.items()})
        raise InputError(f"score_frame takes a pandas or Polars DataFrame, got {type(df).__module__}.{type(df).__name__}")

    def score_files(self, files: Sequence[str], writer: Writer, *, input_format: str | None = None, jobs: int = 1,
                    explain: bool = True, on_error: Callable[[InputError], None] | None = None,
                    progress: Callable[[int], None] | None = None, dask: Any = None) -> Stats:
        """Score sighting files (YAML, JSON, JSON Lines, CSV; ``-`` is standard input) into an output writer.

        The records reach ``writer`` in input order, scored by ``jobs`` worker
        processes; a record that cannot be read becomes an error record in its
        place. A whole file that cannot be read goes to ``on_error`` (default:
        raised). Returns the run's counts (records read, scored, errors, and
        the leading affiliations by month and country).

        ``dask``: score on a Dask cluster instead of local processes: a
        ``distributed.Client``, a scheduler address, or ``local:N`` for a
        local cluster of N workers (made and closed here). The output is the
        same, byte for byte. Needs the ``dask`` extra.
        """
        from equipid.engine.run import score_files

        client, made = dask, False
        if isinstance(dask, str):
            from equipid.engine.cluster import connect

            client, made = connect(dask), True
        try:
            return score_files(self.compiled, files, writer, input_format=input_format, jobs=jobs, explain=explain,
                               on_error=on_error, progress=progress, client=client)
        finally:
            if made:
                from equipid.engine.cluster import close

                close(client)

    def write(self, records: Iterable[Mapping[str, Any] | Assessment], writer: Writer) -> Stats:
        """Write result records (or :class:`Assessment` objects) through an output writer; returns their counts."""
        from equipid.engine.batch import Stats
        from equipid.output.view import month_of, sighting_of

        recs = [r.to_record() if isinstance(r, Assessment) else dict(r) for r in records]
        stats = Stats(read=len(recs))
        for r in recs:
            if "error" in r:
                stats.errors += 1
                continue
            stats.scored += 1
            path = r["ranking"][0]["path"]
            stats.leading[path[-1]] += 1
            if self.compiled.groups:
                stats.leading_group[path[0]] += 1
            s = sighting_of(r)
            stats.by_month[month_of(s["date"])] += 1
            stats.by_country[s["country"] or "(no country)"] += 1
        writer.begin()
        if writer.payload == "jsonl":
            import orjson

            writer.write(b"".join(orjson.dumps(r) + b"\n" for r in recs))
        elif writer.payload == "bytes":
            writer.write(writer.encode(recs))
        else:
            writer.write(recs)
        writer.end(stats)
        writer.out.flush()
        return stats

    def writer(self, name: str, out: IO[bytes], *, detail: bool = False) -> Writer:
        """An output writer for a format name (``jsonl``, ``json``, ``csv``, ``table``, ``summary``...) writing to ``out``."""
        from equipid.output.base import RunInfo, get_writer

        try:
            cls = get_writer(name)
        except KeyError as exc:
            raise InputError(exc.args[0]) from None
        return cls(out, RunInfo(self.compiled, detail=detail))


def open_catalog(dirs: PathLike | Sequence[PathLike] | None = None, extend: Sequence[PathLike] = ()) -> Engine:
    """Open a catalog and return an :class:`Engine` for it.

    ``dirs``: a catalog directory (or a list: the first is the base, the rest are
    layered on top); default $EQUIPID_CATALOG, else the catalog shipped with the
    package. ``extend``: more directories layered on top. The compiled form is
    cached by content hash, so a second open of an unchanged catalog is fast.
    Raises :class:`equipid.CatalogError` naming the file and line of any problem.
    """
    from equipid.catalog.cache import load_compiled
    from equipid.catalog.locate import catalog_dirs

    if dirs is None or isinstance(dirs, (str, os.PathLike)):
        base, more = dirs, list(extend)
    else:
        layers = list(dirs)
        if not layers:
            raise InputError("open_catalog: dirs is an empty list")
        base, more = layers[0], layers[1:] + list(extend)
    return Engine(load_compiled(catalog_dirs(base, [Path(p) for p in more])))
