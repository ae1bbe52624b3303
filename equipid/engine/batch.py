"""Batch scoring: sighting files in, one result per record out, in order.

The main process reads records (see :mod:`equipid.sightings.readers`) and cuts them into
chunks; workers (one per core, forked once) parse, observe and score a chunk
at a time and return it already encoded; the main process writes chunks in
input order. Nothing is dropped: a record that cannot be read or validated
becomes ``{"id": ..., "error": "path:line: what is wrong"}`` in its place.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from equipid.catalog.compiled import Compiled
from equipid.errors import EquipidError
from equipid.sightings.readers import Lines, Piece, RawRecord

if TYPE_CHECKING:
    from equipid.sightings.matcher import Observations

CHUNK = 2000
#: What a chunk's payload is: "jsonl" (the fast encoder), an encoder of records, or None (the records).
Encoder = Callable[[list[dict[str, Any]]], bytes] | Literal["jsonl"] | None
_ID_IN_JSON = re.compile(rb'"id"\s*:\s*"((?:[^"\\]|\\.){1,200})"')


@dataclass
class Stats:
    """What a run did, for the closing summary."""

    read: int = 0
    scored: int = 0
    errors: int = 0
    leading: Counter[str] = field(default_factory=Counter)
    leading_group: Counter[str] = field(default_factory=Counter)
    by_month: Counter[str] = field(default_factory=Counter)
    by_country: Counter[str] = field(default_factory=Counter)

    def add(self, other: Stats) -> None:
        """Fold another chunk's counts into these."""
        self.read += other.read
        self.scored += other.scored
        self.errors += other.errors
        self.leading.update(other.leading)
        self.leading_group.update(other.leading_group)
        self.by_month.update(other.by_month)
        self.by_country.update(other.by_country)


class ChunkEngine:
    """Observer and scorer for one process, scoring a chunk at a time; built once per worker."""

    def __init__(self, compiled: Compiled) -> None:
        from equipid.engine.scorer import Scorer
        from equipid.sightings.matcher import Observer

        self.compiled = compiled
        self.observer = Observer(compiled)
        self.scorer = Scorer(compiled)
        self._leaf_index = compiled.leaf_index()
        self._month: dict[tuple[int, int], str] = {}

    def records(self, chunk: list[RawRecord], explain: bool = True) -> tuple[list[dict[str, Any]], Stats]:
        """Score a chunk; error records in place of those that cannot be read."""
        with _no_gc():
            return self._records(chunk, explain)

    def _records(self, chunk: list[RawRecord], explain: bool) -> tuple[list[dict[str, Any]], Stats]:
        slots, todo = self._observe(chunk)
        scored = self.scorer.score_chunk(todo, explain=explain)
        leaf = self._leaf_index
        stats = self._stats(slots, todo, [leaf[rec["ranking"][0]["affiliation"]] for rec in scored])
        it = iter(scored)
        return [s if s is not None else next(it) for s in slots], stats

    def jsonl(self, chunk: list[RawRecord], explain: bool = True) -> tuple[bytes, Stats]:
        """:meth:`records` encoded as JSON Lines, without building the record dicts."""
        # NOTE: the work is a separate frame so that its ~100 objects a record
        # are freed before the collector is switched back on and looks at them.
        with _no_gc():
            return self._jsonl(chunk, explain)

    def _jsonl(self, chunk: list[RawRecord], explain: bool) -> tuple[bytes, Stats]:
        import orjson

        slots, todo = self._observe(chunk)
        lines, leads = self.scorer.score_chunk_jsonl(todo, explain=explain)
        stats = self._stats(slots, todo, leads)
        if len(todo) < len(slots):  # error records, in their places
            it = iter(lines)
            lines = [orjson.dumps(s) if s is not None else next(it) for s in slots]
        if lines:
            lines.append(b"")  # the last line end, without copying the whole chunk again
        return b"\n".join(lines), stats

    def _observe(self, chunk: list[RawRecord]) -> tuple[list[dict[str, Any] | None], list[Observations]]:
        """Parse and observe a chunk: (error record or None per record, observations of the rest)."""
        import orjson

        from equipid.sightings.matcher import RecordError

        slots: list[dict[str, Any] | None] = []
        todo = []
        observe = self.observer.observe
        loads = orjson.loads
        for raw in chunk:
            if raw.error is not None:
                slots.append(_error(raw, raw.error))
                continue
            data = raw.data
            if isinstance(data, (bytes, bytearray)):
                try:
                    data = loads(data)
                except orjson.JSONDecodeError as exc:
                    try:
                        data.decode("utf-8")
                        why = f"{raw.where}: JSON: {exc}"
                    except UnicodeDecodeError as uexc:
                        why = f"{raw.where}: invalid UTF-8 at byte {uexc.start}"
                    slots.append(_error(raw, why))
                    continue
                if not isinstance(data, dict):
                    slots.append(_error(raw, f"{raw.where}: a sighting is a JSON object, got {type(data).__name__}"))
                    continue
            try:
                obs = observe(data, raw.default_id)
            except RecordError as exc:
                slots.append(_error(raw, f"{raw.where}: {exc}", data))
                continue
            slots.append(None)
            todo.append(obs)
        return slots, todo

    def _stats(self, slots: list[Any], todo: list[Observations], leads: list[int]) -> Stats:
        """Counts for the summary; ``leads`` is the leading leaf of each scored record."""
        c = self.compiled
        stats = Stats(read=len(slots), scored=len(todo), errors=len(slots) - len(todo))
        has_groups = bool(c.groups)
        month = self._month
        for obs, j in zip(todo, leads, strict=True):
            lead = c.leaves[j]
            stats.leading[lead] += 1
            if has_groups:
                path = c.paths[j]
                stats.leading_group[path[0] if len(path) > 1 else lead] += 1
            if obs.date is not None:
                m = month.get(obs.date)
                if m is None:
                    from equipid.dates import ordinal_to_iso

                    first = ordinal_to_iso(obs.date[0])
                    m = first[:7] if obs.date[1] - obs.date[0] < 32 else first[:4]
                    if len(month) > 100_000:
                        month.clear()
                    month[obs.date] = m
                stats.by_month[m] += 1
            else:
                stats.by_month["(no date)"] += 1
            stats.by_country[obs.country or "(no country)"] += 1
        return stats


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector.

    NOTE: a chunk allocates ~100 small objects per record and frees them all
    by reference counting (no cycles); the cyclic collector only rescans the
    long-lived catalog again and again, doubling the cost.
    """
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _error(raw: RawRecord, message: str, data: Any = None) -> dict[str, Any]:
    rid: Any = None
    if isinstance(data, dict) and isinstance(data.get("id"), (str, int)) and not isinstance(data.get("id"), bool):
        rid = str(data["id"])
    elif isinstance(raw.data, (bytes, bytearray)):
        m = _ID_IN_JSON.search(raw.data)
        if m:
            rid = m.group(1).decode("utf-8", "replace")
    elif isinstance(raw.data, dict) and isinstance(raw.data.get("id"), str):
        rid = raw.data["id"]
    return {"id": rid or raw.id_hint or raw.default_id, "error": message}


# -- workers ----------------------------------------------------------------

# NOTE: set only inside pool worker processes (by their initializer): the
# engine of that process, and (output fd, condition, number of the next chunk
# to write) where the worker writes its own results. Scoring in the calling
# process never touches them.
_ENGINE: ChunkEngine | None = None
_OUT: tuple[int, Any, Any] | None = None


def _init_pool_worker(compiled: Compiled, out: tuple[int, Any, Any] | None = None) -> None:
    """A pool worker: the engine, and quiet signals."""
    import signal

    # NOTE: the main process handles Ctrl-C and SIGTERM and ends the pool; a
    # worker stops quietly instead of printing a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _init_worker(compiled, out)


def _init_worker(compiled: Compiled, out: tuple[int, Any, Any] | None = None) -> None:
    """Set up a pool worker process: its engine, from the compiled catalog it was handed (forked or pickled under spawn)."""
    global _ENGINE, _OUT
    _ENGINE = ChunkEngine(compiled)
    _OUT = out
    import gc

    # NOTE: the catalog and the engine's tables live as long as the process;
    # frozen, the collector no longer walks them at every collection.
    gc.freeze()


def _work(job: tuple[int, list[Piece], Encoder, bool]) -> tuple[Any, Stats]:
    """A pool worker's task: score one chunk with this process's engine."""
    assert _ENGINE is not None
    return score_job(_ENGINE, _OUT, job)


def score_job(engine: ChunkEngine, out: tuple[int, Any, Any] | None, job: tuple[int, list[Piece], Encoder, bool]) -> tuple[Any, Stats]:
    """Score one chunk (seq, pieces, encoder, explain) with ``engine``; with ``out``, write it in turn and return no payload."""
    seq, pieces, encode, explain = job
    chunk: list[RawRecord] = []
    for p in pieces:
        chunk += p.records() if isinstance(p, Lines) else p
    if encode == "jsonl":
        payload, stats = engine.jsonl(chunk, explain)
    else:
        recs, stats = engine.records(chunk, explain)
        if encode is None:
            return recs, stats
        payload = encode(recs)
    if out is not None:
        _write_in_turn(seq, payload, *out)
        return b"", stats
    return payload, stats


def _write_in_turn(seq: int, payload: bytes, fd: int, turn: Any, next_seq: Any) -> None:
    """Write chunk ``seq`` to ``fd`` once every chunk before it is written."""
    with turn:
        while next_seq.value != seq:
            turn.wait()
        try:
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view):]
        except BrokenPipeError:
            raise
        except OSError as exc:
            from equipid.output.atomic import write_error

            # NOTE: the command names the output in place of "<output>".
            raise write_error("<output>", exc) from None
        finally:
            # NOTE: the next chunk's worker must not wait forever on a failed one.
            next_seq.value = seq + 1
            turn.notify_all()


def run_chunks(compiled: Compiled, chunks: Iterable[list[Piece]], encode: Encoder, jobs: int,
               explain: bool = True, out_fd: int | None = None,
               start_method: str | None = None) -> Generator[tuple[Any, Stats], None, None]:
    """Score chunks of records (see :func:`equipid.sightings.readers.read_chunks`); yield (payload, stats) in input order.

    ``encode`` says what a payload is: ``"jsonl"``, the records encoded as JSON
    Lines by the engine's fast encoder; a function of a list of records
    returning bytes (it runs in the workers, so it must be importable by
    name); or None, the record dicts themselves. ``jobs`` > 1 starts that many
    workers, each with the compiled catalog; a small input (one chunk) is
    scored in this process to skip the start-up.

    With ``out_fd`` (a real file or pipe the caller has flushed and leaves
    alone meanwhile), forked workers write encoded chunks to it themselves,
    in input order, and the payloads yielded are empty: gigabytes of results
    then never pass through a pipe and this process.

    ``start_method`` forces how workers start ("fork", "spawn"; default fork
    where it exists). A worker that dies ends the run with :class:`WorkerDied`;
    an exception here (Ctrl-C, SIGTERM made SystemExit) ends every worker.
    """
    it = iter(chunks)
    first = next(it, None)
    if first is None:
        return
    second = next(it, None)
    if jobs <= 1 or second is None:
        engine = ChunkEngine(compiled)
        yield score_job(engine, None, (0, first, encode, explain))
        if second is not None:
            yield score_job(engine, None, (1, second, encode, explain))
        for ch in it:
            yield score_job(engine, None, (0, ch, encode, explain))
        return
    import itertools
    import multiprocessing as mp
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    method = start_method or ("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    ctx: Any = mp.get_context(method)
    out: tuple[int, Any, Any] | None = None
    if method == "fork" and out_fd is not None and encode is not None:
        out = (out_fd, ctx.Condition(), ctx.RawValue("q", 0))
    # NOTE: under spawn (Windows, macOS) the compiled catalog is pickled to each
    # worker once; it is what the cache holds, so it pickles.
    init_args: tuple[Any, ...] = (compiled, out)
    # NOTE: a bounded window of in-flight chunks keeps memory flat. A process
    # pool from concurrent.futures, not multiprocessing.Pool: when a worker
    # dies (a crash in C, the OOM killer) its futures fail at once instead of
    # waiting forever.
    window: deque[tuple[int, Any]] = deque()
    pool = ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_init_pool_worker, initargs=init_args)
    done = False
    try:
        for seq, ch in enumerate(itertools.chain([first, second], it)):
            window.append((seq, pool.submit(_work, (seq, ch, encode, explain))))
            if len(window) >= 2 * jobs + 1:
                yield _result(*window.popleft())
        while window:
            yield _result(*window.popleft())
        done = True
    finally:
        if not done:
            _stop(pool)
        pool.shutdown(wait=done, cancel_futures=True)


class WorkerDied(EquipidError):
    """A worker process ended without returning its chunk."""


def _result(seq: int, future: Any) -> tuple[Any, Stats]:
    """The result of chunk ``seq``; :class:`WorkerDied` naming the chunk if its worker is gone."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        return future.result()
    except BrokenProcessPool:
        raise WorkerDied(f"a worker process died while scoring chunk {seq + 1} (input records {seq * CHUNK + 1}-{(seq + 1) * CHUNK}); "
                         "no result was written for it or after it") from None


def _stop(pool: Any) -> None:
    """End every worker of ``pool`` now (an error, Ctrl-C or SIGTERM in this process)."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    queue = getattr(pool, "_call_queue", None)
    if queue is not None:
        # NOTE: its feeder thread may be stuck writing a chunk no worker will read;
        # joined at exit, it would hang the process.
        with contextlib.suppress(Exception):
            queue.cancel_join_thread()
    for p in procs:
        with contextlib.suppress(Exception):
            p.terminate()
    for p in procs:
        with contextlib.suppress(Exception):
            p.join(5)
            if p.is_alive():
                p.kill()


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1
