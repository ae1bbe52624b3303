"""``equipid score``: score whole sighting files in batch."""

from __future__ import annotations

import os
import sys
import tempfile
from typing import IO, Any

import click

from equipid.cli.common import UsageProblem, catalog_options, load, stdout_is_terminal


class AtomicOutput:
    """A file written under a temporary name and renamed into place on success.

    An interrupted run leaves no file that looks complete: the temporary file
    is removed, and an existing result is left untouched.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        d = os.path.dirname(os.path.abspath(path))
        try:
            fd, self.tmp = tempfile.mkstemp(dir=d, prefix=f".{os.path.basename(path)}.", suffix=".part")
        except OSError as exc:
            raise UsageProblem(f"cannot write {path}: {exc.strerror}") from None
        self.f: IO[bytes] = os.fdopen(fd, "wb")

    def commit(self) -> None:
        """Flush and move the finished file into place, with the permissions a new file gets."""
        self.f.close()
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.tmp, 0o666 & ~umask)  # NOTE: mkstemp makes it 0600
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        """Remove the partial file."""
        try:
            self.f.close()
        finally:
            try:
                os.unlink(self.tmp)
            except OSError:
                pass


@click.command()
@click.argument("files", nargs=-1, required=True)
@click.option("-o", "--output", help="Write results here (atomically); '-' is standard output, the default.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "json", "csv"]),
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

    Writes one result per input record, in input order (CONTRACT.md section 3).
    A record that cannot be read becomes {"id": ..., "error": ...} in its
    place and the run goes on. JSON Lines and CSV are streamed; a YAML or
    JSON document is read whole. A summary goes to stderr at the end.

    \b
    Exit status: 0 done (even with error records); 1 with --strict and any
    error record, or when nothing at all could be read; 2 bad usage.

    \b
    Examples:
      equipid score sightings.yaml
      equipid score captions.jsonl -o scored.jsonl --jobs 2
      cat feed.jsonl | equipid score - --format csv > scored.csv
    """
    from equipid.engine.batch import CSV_HEADER, Stats, default_jobs, run_chunks
    from equipid.errors import InputError
    from equipid.sightings.readers import read_chunks

    fmt = fmt or ("table" if output in (None, "-") and stdout_is_terminal() else "jsonl")
    if files.count("-") > 1:
        raise UsageProblem("standard input '-' can be named only once")
    compiled = load(catalog, extend)
    _terminate_as_interrupt()
    jobs = jobs or default_jobs()
    total = Stats()
    fatal: list[str] = []

    def fail(exc: InputError) -> None:
        fatal.append(str(exc))
        click.echo(f"equipid: {exc}", err=True)

    sink = AtomicOutput(output) if output and output != "-" else None
    out: IO[bytes] = sink.f if sink else sys.stdout.buffer
    progress = _Progress(_count_records(files, input_format)) if sys.stderr.isatty() else None
    try:
        if fmt == "csv":
            out.write((",".join(CSV_HEADER) + "\n").encode())
        if fmt == "json":
            out.write(b"[")
        first = True
        renderer = None
        if fmt == "table":
            from equipid.output.table import render_assessment

            text_out = open(out.fileno(), "w", encoding="utf-8", closefd=False) if sink is None else None
            renderer = (render_assessment, text_out)
        out.flush()
        chunks = read_chunks(files, input_format, on_error=fail)
        for payload, stats in run_chunks(compiled, chunks, "jsonl" if fmt == "json" else fmt, jobs, explain=not no_explain,
                                         out_fd=_fd(out) if fmt in ("jsonl", "csv") else None):
            total.add(stats)
            if fmt == "json":
                lines = payload.rstrip(b"\n").split(b"\n") if payload else []
                for ln in lines:
                    out.write((b"\n" if first else b",\n") + ln)
                    first = False
            elif fmt == "table":
                _write_table(payload, compiled, out, renderer)
            else:
                out.write(payload)
            if progress is not None:
                progress.advance(stats.read)
        if fmt == "json":
            out.write(b"\n]\n" if not first else b"]\n")
        out.flush()
        if sink:
            sink.commit()
    except BaseException:
        if sink:
            sink.abort()
        raise
    finally:
        if progress is not None:
            progress.stop()
    _report(total, summary, compiled)
    if total.scored == 0:
        click.echo("equipid: nothing could be read", err=True)
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


def _fd(out: IO[bytes]) -> int | None:
    """The file descriptor under ``out``, where there is a real one."""
    try:
        return out.fileno()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is an OSError
        return None


def _write_table(records: list[dict[str, Any]], compiled: Any, out: IO[bytes], renderer: Any) -> None:
    import io

    render, _ = renderer
    for rec in records:
        buf = io.StringIO()
        if "error" in rec:
            buf.write(f"{rec['id']}: error: {rec['error']}\n\n")
        else:
            render(rec, compiled, buf)
            buf.write("\n")
        out.write(buf.getvalue().encode("utf-8"))


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
