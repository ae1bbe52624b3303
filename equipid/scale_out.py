"""Score sightings held in a Dask bag or data frame (needs the ``dask`` extra).

    >>> import dask.bag as db, equipid
    >>> from equipid.scale_out import score_bag
    >>> bag = db.from_sequence(sightings, npartitions=8)
    >>> records = score_bag(bag, equipid.open_catalog()).compute()

The records are those of :meth:`equipid.api.Engine.records` over the same
sightings in the same order, partition by partition: a sighting without an id
gets ``sighting-N`` from its position in the whole collection, as in a local
run. The compiled catalog travels once in the task graph.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from equipid.errors import InputError

if TYPE_CHECKING:
    from equipid.api import Engine

#: Engines already built in this worker process, by catalog digest.
_ENGINES: dict[str, Engine] = {}


def _need(module: str) -> Any:
    from equipid.output.frames import need

    return need(module, "dask")


def _engine(compiled: Any) -> Engine:
    from equipid.api import Engine

    e = _ENGINES.get(compiled.digest)
    if e is None:
        e = _ENGINES[compiled.digest] = Engine(compiled)
    return e


def _offsets(lengths: list[int]) -> list[int]:
    out, at = [], 0
    for n in lengths:
        out.append(at)
        at += n
    return out


def _score_part(part: Any, compiled: Any, start: int, explain: bool) -> list[dict[str, Any]]:
    return list(_engine(compiled).records(part, explain=explain, start=start))


def score_bag(bag: Any, engine: Engine, *, explain: bool = True) -> Any:
    """A bag of result records (dicts), one per sighting of ``bag``, in the same order.

    The partition sizes are counted first (one pass over the bag), so that
    default ids match a local run.
    """
    db = _need("dask.bag")
    dask = _need("dask")
    if not isinstance(bag, db.Bag):
        raise InputError(f"score_bag takes a dask.bag.Bag, got {type(bag).__name__}")
    lengths = bag.map_partitions(lambda p: [sum(1 for _ in p)]).compute()
    compiled = dask.delayed(engine.compiled, pure=True)
    parts = [dask.delayed(_score_part, pure=True)(p, compiled, off, explain)
             for p, off in zip(bag.to_delayed(), _offsets(lengths), strict=True)]
    return db.from_delayed(parts)


def _score_frame_part(pdf: Any, compiled: Any, start: int, explain: bool) -> Any:
    from equipid.output.frames import columns, sighting_from_row

    pd = _need("pandas")
    rows = pdf.to_dict("records")
    cols = columns(_engine(compiled).records((sighting_from_row(r) for r in rows), explain=explain, start=start))
    return pd.DataFrame(cols, index=pdf.index)


def score_dataframe(ddf: Any, engine: Engine, *, explain: bool = True) -> Any:
    """A Dask data frame of results, one row per row of ``ddf`` with its index: the columns of
    :meth:`equipid.api.Engine.score_frame` (those of ``--format csv``, typed, plus the record as JSON)."""
    dd = _need("dask.dataframe")
    dask = _need("dask")
    pd = _need("pandas")
    from equipid.output.frames import COLUMNS

    if not isinstance(ddf, dd.DataFrame):
        raise InputError(f"score_dataframe takes a dask.dataframe.DataFrame, got {type(ddf).__name__}")
    lengths = ddf.map_partitions(len).compute().tolist()
    meta = pd.DataFrame({k: pd.Series(dtype="float64" if t == "float" else "object") for k, t in COLUMNS.items()})
    compiled = dask.delayed(engine.compiled, pure=True)
    parts = [dask.delayed(_score_frame_part, pure=True)(p, compiled, off, explain)
             for p, off in zip(ddf.to_delayed(), _offsets(lengths), strict=True)]
    return dd.from_delayed(parts, meta=meta, verify_meta=False)
