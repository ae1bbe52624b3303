"""``equipid score``: score whole sighting files in batch."""

from __future__ import annotations

import os
import sys
from typing import IO, Any

import click

from equipid.cli.common import UsageProblem, catalog_options, load, stdout_is_terminal
from equipid.output.base import writer_names


@click.command()
@click.argument("files", nargs=-1, required=True)
@click.option("-o", "--output", help="Write results here (atomically); '-' is standard output, the default.")
@click.option("--format", "fmt", type=click.Choice(writer_names()),
              help="Output format [default: table on a terminal, else jsonl].")
@click.option("--input-format", type=click.Choice(["yaml", "json", "jsonl", "csv"]),
              help="Input format [default: from the extension; '-' is sniffed].")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes [default: all cores].")
@click.option("--strict", is_flag=True, help="Exit 1 if any record could not be read or validated.")
@click.option("--summary", is_flag=True, help="Print an overview by affiliation, group, month and country to stderr.")
@click.option("--no-explain", is_flag=True, help="Skip 'look for next' (faster on huge batches).")
@catalog_options
def score(files: tuple[str, ...], output: str | None, fmt: str | None, input_format: str | None, jobs: int | None,
          strict: bool, summary: bool, no_explain: bool, catalog: str | None, extend: tuple[str, ...]) -> None:
    """Score sighting files (YAML, JSON, JSON Lines, CSV; '-' for stdin).

    Writes one result per input record, in input order (docs/output.md describes the record).
    A record that cannot be read becomes {"id": ..., "error": ...} in its
    place and the run goes on. JSON Lines and CSV are streamed; a YAML or
    JSON document is read whole. A summary goes to stderr at the end.

    \b
    Exit status: 0 done (even with error records); 1 with --strict and any
    error record, when an input file cannot be opened, when nothing at all
    could be read, or when the output cannot be written; 2 bad usage.

    \b
    Examples:
      equipid score sightings.yaml
      equipid score captions.jsonl -o scored.jsonl --jobs 2
      cat feed.jsonl | equipid score - --format csv > scored.csv
    """
    from equipid.engine.batch import default_jobs
    from equipid.errors import InputError

    fmt = fmt or ("table" if output in (None, "-") and stdout_is_terminal() else "jsonl")
    if files.count("-") > 1:
        raise UsageProblem("standard input '-' can be named only once")
    engine = load(catalog, extend)
    _terminate_as_interrupt()
    import gc

    # NOTE: the catalog lives as long as the command; frozen, the collector no
    # longer walks it at every collection (the library leaves this to its caller).
    gc.freeze()
    fatal: list[str] = []
    missing: list[str] = []

    def fail(exc: InputError) -> None:
        from equipid.sightings.readers import UnreadableInput

        fatal.append(str(exc))
        if isinstance(exc, UnreadableInput):
            missing.append(str(exc))
        click.echo(f"equipid: {exc}", err=True)

    from equipid.output.atomic import AtomicFile, WriteError, guard

    sink = AtomicFile(output) if output and output != "-" else None
    # NOTE: a closed pipe on standard output (`| head`) stays a BrokenPipeError, ended quietly by the group.
    out: IO[bytes] = sink.f if sink else guard(sys.stdout.buffer, "standard output", keep_epipe=True)
    progress = _Progress(_count_records(files, input_format)) if sys.stderr.isatty() else None
    try:
        writer = engine.writer(fmt, out)
        total = engine.score_files(files, writer, input_format=input_format, jobs=jobs or default_jobs(), explain=not no_explain,
                                   on_error=fail, progress=progress.advance if progress else None)
        if sink:
            sink.commit()
    except WriteError as exc:
        if sink:
            sink.abort()
        if exc.path == "<output>":
            exc = WriteError(output or "standard output", exc.strerror or "", exc.errno)
        click.echo(f"equipid: error: {exc}", err=True)
        sys.exit(1)
    except BaseException:
        if sink:
            sink.abort()
        raise
    finally:
        if progress is not None:
            progress.stop()
    _report(total, summary, engine.compiled)
    if total.scored == 0:
        click.echo("equipid: nothing could be read", err=True)
        sys.exit(1)
    if missing:
        click.echo(f"equipid: {len(missing)} input file(s) could not be opened", err=True)
        sys.exit(1)
    if strict and (total.errors or fatal):
        sys.exit(1)


def _terminate_as_interrupt() -> None:
    """SIGTERM ends the run like Ctrl-C: the partial output file is removed, exit 143."""
    import signal

    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    try:
        signal.signal(signal.SIGTERM, stop)
    except ValueError:  # pragma: no cover - not the main thread (embedded use)
        pass


def _count_records(files: tuple[str, ...], input_format: str | None) -> int | None:
    """How many records the files hold, where a count of lines tells (JSON Lines, CSV); else None.

    Only for the progress bar's ETA: about a second per gigabyte, and only when
    stderr is a terminal. A YAML or JSON document, or standard input, gives None.
    """
    from equipid.sightings.readers import detect_format

    total = 0
    for f in files:
        if f == "-" or not os.path.isfile(f):
            return None
        fmt = input_format or detect_format(f)
        if fmt not in ("jsonl", "csv"):
            return None
        lines = 0
        last = b"\n"
        with open(f, "rb") as fh:
            while block := fh.read(1 << 20):
                lines += block.count(b"\n")
                last = block[-1:]
        lines += last != b"\n"
        total += lines - (fmt == "csv")
    return total


class _Progress:
    """Count, records/s and time left on stderr (rich), only when stderr is a terminal."""

    def __init__(self, total: int | None) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        columns: list[Any] = [SpinnerColumn(), TextColumn("scoring"), MofNCompleteColumn(), TextColumn("{task.fields[rate]} records/s")]
        if total is not None:
            columns += [BarColumn(), TextColumn("ETA"), TimeRemainingColumn()]
        else:
            columns += [TimeElapsedColumn()]
        self.p = Progress(*columns, console=Console(stderr=True), transient=True)
        self.task = self.p.add_task("score", total=total, rate="-")
        self.p.start()
        import time

        self.t0 = time.perf_counter()
        self.n = 0

    def advance(self, n: int) -> None:
        import time

        self.n += n
        rate = self.n / max(time.perf_counter() - self.t0, 1e-9)
        self.p.update(self.task, advance=n, rate=f"{rate:,.0f}")

    def stop(self) -> None:
        self.p.stop()


def _report(total: Any, summary: bool, compiled: Any) -> None:
    lead = ", ".join(f"{k} {v}" for k, v in total.leading.most_common(8))
    click.echo(f"equipid: {total.read} records read, {total.scored} scored, {total.errors} errors"
               + (f"; leading: {lead}" if lead else ""), err=True)
    if summary and total.scored:
        from equipid.output.summary import render_summary

        render_summary(total, compiled, sys.stderr)
