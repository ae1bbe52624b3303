"""Score whole sighting files into a writer: the loop behind ``equipid score``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import IO, TYPE_CHECKING, Any

from equipid.engine.batch import Encoder, Stats, run_chunks

if TYPE_CHECKING:
    from equipid.catalog.compiled import Compiled
    from equipid.errors import InputError
    from equipid.output.base import Writer


def _fd(out: IO[bytes]) -> int | None:
    """The file descriptor under ``out``, where there is a real one."""
    try:
        return out.fileno()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is an OSError
        return None


def score_files(compiled: Compiled, files: Sequence[str], writer: Writer, *, input_format: str | None = None, jobs: int = 1,
                explain: bool = True, on_error: Callable[[InputError], None] | None = None,
                progress: Callable[[int], None] | None = None, client: Any = None) -> Stats:
    """Read ``files`` (``-`` is standard input), score every record, and hand the results to ``writer`` in input order.

    A file that cannot be read at all goes to ``on_error`` and the rest go on; a
    record that cannot be read becomes an error record in its place. Returns
    the run's counts. ``progress`` is called with the number of records read
    after each chunk. With ``client`` (a ``distributed.Client``), the chunks
    are scored on that Dask cluster instead of ``jobs`` local processes.
    """
    from equipid.sightings.readers import read_chunks

    encode: Encoder = "jsonl" if writer.payload == "jsonl" else writer.encode if writer.payload == "bytes" else None
    total = Stats()
    writer.begin()
    writer.out.flush()  # NOTE: workers may write to the same file descriptor next
    out_fd = _fd(writer.out) if writer.streams and client is None else None
    chunks = read_chunks(list(files), input_format, on_error=on_error)
    if client is not None:
        from equipid.engine import cluster

        results = cluster.run_chunks(client, compiled, chunks, encode, explain)
    else:
        results = run_chunks(compiled, chunks, encode, jobs, explain=explain, out_fd=out_fd)
    try:
        for payload, stats in results:
            total.add(stats)
            writer.write(payload)
            if progress is not None:
                progress(stats.read)
    finally:
        # NOTE: on an error (a write error, Ctrl-C, SIGTERM) the workers end now,
        # not when the traceback that holds this frame is freed.
        results.close()
    writer.end(total)
    writer.out.flush()
    return total


