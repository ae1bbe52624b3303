"""Scoring on a Dask cluster: ``equipid score --dask ADDRESS`` (needs the ``dask`` extra).

The client reads the input and cuts it into the same chunks as a local run;
each chunk is scored on a worker by the same engine, and the results come back
and are written in input order, so the output is byte for byte that of a local
run. The compiled catalog is sent to every worker once.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Generator, Iterable
from typing import TYPE_CHECKING, Any

from equipid.errors import InputError

if TYPE_CHECKING:
    from equipid.catalog.compiled import Compiled
    from equipid.engine.batch import Encoder, Stats
    from equipid.sightings.readers import Piece


def _need(module: str) -> Any:
    from equipid.output.frames import need

    return need(module, "dask")


def connect(address: str) -> Any:
    """A ``distributed.Client`` for a scheduler address, or for a new local cluster of N worker processes (``local:N``)."""
    distributed = _need("distributed")
    if address.startswith("local:"):
        try:
            n = int(address[6:])
        except ValueError:
            n = 0
        if n < 1:
            raise InputError(f"--dask {address}: local:N needs a whole number of workers >= 1")
        cluster = distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None)
        return distributed.Client(cluster)
    try:
        return distributed.Client(address, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise InputError(f"--dask {address}: cannot reach the scheduler: {exc}") from None


def close(client: Any) -> None:
    """Close a client, and the local cluster it started if any."""
    cluster = getattr(client, "cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()


#: The engine of this worker process, by catalog digest (built on the first chunk).
_ENGINES: dict[str, Any] = {}


def _score_chunk(compiled: Compiled, pieces: list[Piece], encode: Encoder, explain: bool) -> tuple[Any, Stats]:
    """On a worker: score one chunk with this process's engine for ``compiled`` (made once)."""
    from equipid.engine.batch import ChunkEngine, score_job

    engine = _ENGINES.get(compiled.digest)
    if engine is None:
        _ENGINES.clear()
        engine = _ENGINES[compiled.digest] = ChunkEngine(compiled)
    return score_job(engine, None, (0, pieces, encode, explain))


def run_chunks(client: Any, compiled: Compiled, chunks: Iterable[list[Piece]], encode: Encoder,
               explain: bool = True) -> Generator[tuple[Any, Stats], None, None]:
    """Like :func:`equipid.engine.batch.run_chunks`, on the cluster: (payload, stats) per chunk, in input order."""
    workers = max(len(client.scheduler_info().get("workers", {})), 1)
    [shared] = client.scatter([compiled], broadcast=True)
    window: deque[Any] = deque()
    # NOTE: a bounded window of chunks in flight keeps the client's memory flat.
    for ch in chunks:
        window.append(client.submit(_score_chunk, shared, ch, encode, explain, pure=False))
        if len(window) >= 3 * workers:
            f = window.popleft()
            yield f.result()
            f.release()
    while window:
        f = window.popleft()
        yield f.result()
        f.release()
