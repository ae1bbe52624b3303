"""Read sighting files record by record, turning every fault into a value.

Each reader yields :class:`RawRecord` items in input order: the payload to
score (raw JSON bytes, or an already-parsed mapping), or an error text with
its location. No input record is ever dropped, and no reader raises for a
bad record. JSON Lines and CSV stream; a YAML or JSON document is read whole.
For batch scoring, :func:`read_chunks` hands JSON Lines on as raw blocks of
lines (:class:`Lines`), which the workers split and parse.

Traps handled here, each with a test:
* an unquoted impossible date (2016-02-30) would make PyYAML fail the whole
  file: our YAML reader keeps dates as text, so it costs one record;
* a YAML document that does not parse is split into its top-level items and
  each is read alone, so one broken record costs one record;
* Python's csv module silently swallows every row after an unterminated
  quote: we frame CSV records ourselves and report the unterminated one (the
  lines inside its quotes are never read as records); a header naming a
  column twice is read only where both copies agree;
* invalid UTF-8, a byte-order mark, NUL bytes, CRLF line ends, huge fields.
"""

from __future__ import annotations

import bisect
import csv
import io
import itertools
import operator
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from equipid.errors import InputError, Location

FORMATS = ("yaml", "json", "jsonl", "csv")
_EXT = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
CSV_COLUMNS = ("id", "date", "location", "country", "source", "text", "observed")
#: A single CSV field may be this large (the csv module's default is 128 KiB).
MAX_FIELD = 64 * 1024 * 1024
_CSV_NAMES = {c.encode() for c in CSV_COLUMNS}
_SIGHTINGS_KEY = re.compile(rb'\{\s*"sightings"\s*:')


class UnreadableInput(InputError):
    """An input file that cannot be opened at all (missing, a directory, no permission)."""


@dataclass(slots=True)
class RawRecord:
    """One input record as read: a payload to score, or an error in its place."""

    default_id: str
    where: str
    """``path:line`` of the record, for error messages."""
    data: Any = None
    """A mapping, or raw JSON bytes still to be parsed (done in the workers)."""
    error: str | None = None
    id_hint: str | None = None


@dataclass(slots=True)
class Lines:
    """A run of JSON Lines still as bytes, split and parsed where it is scored.

    Shipping one bytes object per chunk to a worker costs a fraction of
    pickling a :class:`RawRecord` per line.
    """

    label: str
    line: int
    """Number of the first line in ``data`` (1-based)."""
    before: int
    """Records (non-blank lines) of the file before ``data``."""
    data: bytes
    count: int
    """Records in ``data``."""

    def records(self) -> list[RawRecord]:
        """The records in ``data``, as :func:`read_records` yields them."""
        out = []
        label, n = self.label, self.before
        for lineno, line in enumerate(self.data.split(b"\n"), self.line):
            line = line.strip()
            if line:
                n += 1
                out.append(RawRecord(f"{label}:{n}", f"{label}:{lineno}", data=line))
        return out


#: Part of a chunk: raw JSON Lines, or records already read.
Piece = Lines | list[RawRecord]


def detect_format(path: str, head: bytes = b"") -> str:
    """The input format from the extension, else sniffed from the first bytes."""
    ext = os.path.splitext(path)[1].lower()
    if ext in _EXT:
        return _EXT[ext]
    s = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if s.startswith(b"["):
        return "json"
    if s.startswith(b"{"):
        first = s.split(b"\n", 1)[0].strip()
        if not first.endswith(b"}") and b"\n" in s:
            return "json"  # an object spread over lines: one document
        # NOTE: one line holding {"sightings": [...]} is a document, not a stream.
        return "json" if _SIGHTINGS_KEY.match(first) else "jsonl"
    first_line = s.split(b"\n", 1)[0]
    names = {c.strip().strip(b'"').strip().lower() for c in first_line.split(b",")}
    if b"," in first_line and b":" not in first_line and names & _CSV_NAMES:
        return "csv"
    return "yaml"


def open_binary(path: str) -> IO[bytes]:
    """Open ``path`` (or standard input for ``-``) for binary reading."""
    import sys

    if path == "-":
        return sys.stdin.buffer
    try:
        f = open(path, "rb")  # noqa: SIM115 - the caller closes it
    except OSError as exc:
        raise UnreadableInput(f"cannot read {path}: {exc.strerror}") from None
    if os.path.isdir(path):
        f.close()
        raise UnreadableInput(f"cannot read {path}: is a directory")
    return f


class _PrefixedRaw(io.RawIOBase):
    """Bytes already read (to sniff the format), then the rest of the stream."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self.head = head
        self.rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        if self.head:
            n = min(len(b), len(self.head))
            b[:n] = self.head[:n]
            self.head = self.head[n:]
            return n
        data = self.rest.read(len(b))
        n = len(data)
        b[:n] = data
        return n


def _label(path: str) -> str:
    return "<stdin>" if path == "-" else path


def read_records(path: str, fmt: str | None = None) -> Iterator[RawRecord]:
    """Every record of one sighting file, in order (see the module docstring)."""
    for piece in _pieces(path, fmt, lambda: 2000):
        yield from piece.records() if isinstance(piece, Lines) else piece


def read_chunks(paths: Iterable[str], fmt: str | None = None, size: int = 2000,
                on_error: Callable[[InputError], None] | None = None) -> Iterator[list[Piece]]:
    """Every record of the files, in order, in chunks of exactly ``size`` records (the last may be short).

    A chunk may span files. JSON Lines come as :class:`Lines` pieces (raw
    bytes, cut at line ends); the other formats as lists of records. An
    :class:`InputError` for a whole file goes to ``on_error`` (default: raised)
    and the next file is read.
    """
    parts: list[Piece] = []
    count = 0

    def room() -> int:
        return size - count

    for path in paths:
        try:
            for piece in _pieces(path, fmt, room):
                n = piece.count if isinstance(piece, Lines) else len(piece)
                if not n:
                    continue
                parts.append(piece)
                count += n
                if count >= size:
                    yield parts
                    parts, count = [], 0
        except InputError as exc:
            if on_error is None:
                raise
            on_error(exc)
            # NOTE: a file that cannot be read leaves an error record in its place,
            # so the output says so too, not only stderr.
            parts.append([RawRecord(_label(path), _label(path), error=f"{exc}; no record of this file could be read")])
            count += 1
            if count >= size:
                yield parts
                parts, count = [], 0
    if parts:
        yield parts


def _pieces(path: str, fmt: str | None, want: Callable[[], int]) -> Iterator[Piece]:
    """The records of one file, in pieces of at most ``want()`` records each."""
    f = open_binary(path)
    try:
        if hasattr(f, "peek"):
            head = f.peek(4096)[:4096]
        else:
            head = f.read(4096)
            f = io.BufferedReader(_PrefixedRaw(head, f))
        fmt = fmt or detect_format(path, head)
        if fmt == "jsonl":
            yield from _jsonl(f, _label(path), want)
            return
        records: Iterator[RawRecord]
        if fmt == "csv":
            records = _csv(f, _label(path))
        elif fmt in ("yaml", "json"):
            records = _document(f.read(), _label(path), fmt)
        else:
            raise InputError(f"unknown input format {fmt!r}; use one of {', '.join(FORMATS)}")
        while batch := list(itertools.islice(records, want())):
            yield batch
    finally:
        if path != "-":
            f.close()


def _jsonl(f: IO[bytes], label: str, want: Callable[[], int]) -> Iterator[Lines]:
    line, before = 1, 0
    while True:
        k = want()
        lines: list[bytes] = []
        got = 0
        while got < k:
            more = list(itertools.islice(f, k - got))
            if not more:
                break
            if line == 1 and not lines and more[0].startswith(b"\xef\xbb\xbf"):
                more[0] = more[0][3:]
            lines += more
            got += sum(map(bool, map(bytes.strip, more)))
        if not lines:
            return
        yield Lines(label, line, before, b"".join(lines), got)
        line += len(lines)
        before += got


def _decode_line(raw: bytes, label: str, lineno: int) -> tuple[str, str | None]:
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return raw.decode("utf-8", "replace"), f"{label}:{lineno}: invalid UTF-8 at byte {exc.start}"


def _quoted_after(line: bytes, quoted: bool) -> bool:
    """Whether a quoted field is still open at the end of ``line``.

    Read as the csv module reads it: a quote opens a quoted field only at the
    start of a field; inside one, a doubled quote is a quote and a single one
    closes it. A quote elsewhere (an inch mark: 5" gun) is an ordinary character.
    """
    at_start = not quoted
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if quoted:
            if c == 0x22:
                if i + 1 < n and line[i + 1] == 0x22:
                    i += 1
                else:
                    quoted = False
        elif c == 0x22 and at_start:
            quoted = True
        at_start = c == 0x2C and not quoted
        i += 1
    return quoted


def _csv_lines(f: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    """(number, bytes) of each line, ended by LF, CRLF or a lone CR (classic Mac exports)."""
    n = 0
    for raw in f:
        cr = raw.find(b"\r")
        if cr < 0 or cr == len(raw) - 2 and raw.endswith(b"\r\n"):
            n += 1
            yield n, raw
            continue
        # NOTE: rare: a line holding CRs; cut after each CR not followed by LF.
        at = 0
        while cr >= 0:
            if raw[cr + 1 : cr + 2] != b"\n":
                n += 1
                yield n, raw[at : cr + 1]
                at = cr + 1
            cr = raw.find(b"\r", cr + 1)
        if at < len(raw):
            n += 1
            yield n, raw[at:]


def _csv_frames(f: IO[bytes], label: str) -> Iterator[tuple[int, str, str | None]]:
    """(first line, record text, error) for each CSV record, quotes respected.

    Records are framed by the quoting state, line by line, so memory holds one
    record. A framed record is then either read as written or reported as one
    error in its place: the lines inside a quoted field are never read again
    as records (a quote left open swallows the rest of the file, as the csv
    module reads it, and that is said). A field over MAX_FIELD bytes is
    reported, not held: the lines are passed over until its quote closes.
    """
    pending: list[bytes] = []
    first = 0
    size = 0
    open_quote = False
    lineno = 0
    for lineno, raw in _csv_lines(f):
        if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not pending and not open_quote:
            first = lineno
        if b'"' in raw:
            open_quote = _quoted_after(raw, open_quote)
        if size <= MAX_FIELD:
            pending.append(raw)
            size += len(raw)
        if open_quote:
            continue
        if size > MAX_FIELD:
            yield first, "", f"{label}:{first}: a quoted field over {MAX_FIELD >> 20} MiB (lines {first}-{lineno}); not read"
        else:
            text, err = _decode_line(b"".join(pending), label, first)
            if not err and len(pending) > 1 and not _parses(text):
                err = f"{label}:{first}: CSV: a quoted field is not closed where its record ends (lines {first}-{lineno}); not read"
            if not err and "\x00" in text:
                err = f"{label}:{first}: NUL byte in record"
            yield first, text, err
        pending, size = [], 0
    if open_quote:
        yield first, "", (f"{label}:{first}: unterminated quoted field: the quote opened here is never closed, so lines "
                          f"{first}-{lineno} (the rest of the file) are inside it; none of them is read as a record")


def _row(text: str) -> list[str]:
    """One CSV record's fields (strict quoting); raises csv.Error.

    NOTE: the csv module's field size limit is process-wide; it is raised for
    the length of this one parse and put back, so the library never changes it
    for the program that calls it.
    """
    before = csv.field_size_limit(MAX_FIELD)
    try:
        return next(csv.reader([text], strict=True), [])
    finally:
        csv.field_size_limit(before)


def _id_in_row(text: str, header: list[str]) -> str | None:
    """The id a record that cannot be read names, where its fields still parse (so its error record keeps it)."""
    if "id" not in header or not text:
        return None
    try:
        row = _row(text.replace("\x00", ""))
    except csv.Error:
        return None
    i = header.index("id")
    rid = row[i].strip() if i < len(row) else ""
    return rid if rid and len(rid) <= 200 else None


def _parses(text: str) -> bool:
    try:
        _row(text)
    except csv.Error:
        return False
    return True


def _clash(twice: dict[str, list[int]], row: list[str]) -> str:
    """What is wrong with a row whose header names a column twice, when the copies differ ("" when they agree)."""
    for name, cols in twice.items():
        vals = {row[c] for c in cols if c < len(row) and row[c].strip() != ""}
        if len(vals) > 1:
            where = ", ".join(str(c + 1) for c in cols)
            return f"the header names column {name!r} more than once (columns {where}) and this row gives them different values"
    return ""


def _csv(f: IO[bytes], label: str) -> Iterator[RawRecord]:
    header: list[str] | None = None
    twice: dict[str, list[int]] = {}
    n = 0
    for lineno, text, err in _csv_frames(f, label):
        if header is None:
            if err:
                raise InputError(err.split(": ", 1)[-1], Location(label, lineno))
            try:
                row = _row(text)
            except csv.Error as exc:
                raise InputError(f"CSV header: {exc}", Location(label, lineno)) from None
            header = [h.strip().lower() for h in row]
            if "id" not in header and "observed" not in header and "text" not in header:
                raise InputError(f"CSV header names none of {', '.join(CSV_COLUMNS)}: {row!r}", Location(label, lineno))
            cols: dict[str, list[int]] = {}
            for c, h in enumerate(header):
                cols.setdefault(h, []).append(c)
            twice = {h: c for h, c in cols.items() if len(c) > 1}
            continue
        if not err and not text.strip():
            continue
        n += 1
        did = f"{label}:{n}"
        if err:
            yield RawRecord(did, f"{label}:{lineno}", error=err, id_hint=_id_in_row(text, header))
            continue
        try:
            row = _row(text)
        except csv.Error as exc:
            yield RawRecord(did, f"{label}:{lineno}", error=f"{label}:{lineno}: CSV: {exc}")
            continue
        if len(row) > len(header):
            yield RawRecord(did, f"{label}:{lineno}", error=f"{label}:{lineno}: {len(row)} fields for {len(header)} columns")
            continue
        rec = {h: v for h, v in zip(header, row, strict=False) if v.strip() != ""}
        if twice:
            clash = _clash(twice, row)
            if clash:
                yield RawRecord(did, f"{label}:{lineno}", error=f"{label}:{lineno}: {clash}",
                                id_hint=rec.get("id") if "id" not in twice else None)
                continue
            for name, places in twice.items():
                vals = [row[c] for c in places if c < len(row) and row[c].strip() != ""]
                if vals:
                    rec[name] = vals[0]
        yield RawRecord(did, f"{label}:{lineno}", data=rec)


def _document(raw: bytes, label: str, fmt: str) -> Iterator[RawRecord]:
    bad: list[tuple[int, int]] = []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if fmt == "json":
            raise InputError(f"invalid UTF-8 at byte {exc.start}", Location(label)) from None
        # NOTE: the YAML is read with the bad bytes replaced (line numbers are
        # kept); each record holding one then becomes an error record.
        bad = _bad_utf8_lines(raw)
        text = raw.decode("utf-8-sig", "replace")
    if "\x00" in text:
        raise InputError("NUL byte in a YAML/JSON document", Location(label, text.count("\n", 0, text.index("\x00")) + 1))
    if fmt == "json":
        import orjson

        try:
            data = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            # NOTE: the records of an unparsable document cannot be counted: one
            # error record stands in its place, so the file is not lost silently.
            where = Location(label, getattr(exc, "lineno", None), getattr(exc, "colno", None))
            yield RawRecord(f"{label}:1", str(where), error=f"{where}: JSON: {exc}; no record of this document could be read")
            return
        yield from _listed(data, None, label)
        return
    yield from _yaml_records(text, label, bad)


def _yaml_records(text: str, label: str, bad: list[tuple[int, int]]) -> Iterator[RawRecord]:
    """The records of a YAML stream: every document's, in order; broken documents read item by item."""
    from equipid.catalog.yamlio import load_yaml_stream, split_documents, yaml_lines

    problems: list[InputError] = []
    try:
        docs = load_yaml_stream(text, label, problems)
    except InputError as whole:
        lines = yaml_lines(text)
        pieces = split_documents(lines)
        if len(pieces) == 1:
            recs = _recovered(lines, 0, label, whole, 0)
            if recs is None:
                yield RawRecord(f"{label}:1", str(whole.location or label), error=f"{whole}; no record of this document could be read")
                return
        else:
            recs = []
            for lo, hi in pieces:
                recs += _piece(lines[lo:hi], lo, label, len(recs))
        yield from _flagged(recs, bad, label)
        return
    recs = []
    for data, pos in docs:
        if len(docs) == 1 and not pos.soft:
            # NOTE: a lone document that is not a list of sightings refuses the file (InputError).
            recs = list(_listed_at(data, pos, label))
        else:
            recs += _with_problems(_listed_or_error(data, pos, label, 0, len(recs)), pos, label, 0, len(recs))
    yield from _flagged(recs, bad, label)


def _with_problems(recs: list[tuple[int | None, RawRecord]], pos: Any, label: str, base: int,
                   before: int) -> list[tuple[int | None, RawRecord]]:
    """One document's records, those holding a recoverable problem (a duplicate key, a refused tag) made errors.

    A problem outside every record (a duplicate key beside ``sightings``, a
    refused tag on the document itself) makes every record of the document
    an error in its place, or the document one error record when it has none.
    """
    marks = _problem_marks(pos.soft or [], label, base)
    if not marks:
        return recs
    marks.sort(key=_FIRST)
    first = recs[0][0] if recs else None
    if first is None or marks[0][0] < first:
        line, why = marks[0]
        if not recs:
            return [(line, RawRecord(f"{label}:{before + 1}", f"{label}:{line}", error=f"{why}; no record of this document could be read"))]
        return [(s, _unless_marked(r, [(s or 0, f"{why}; no record of this document is read")], s, None)) for s, r in recs]
    return _flag_all(recs, marks)


def _problem_marks(problems: list[InputError], label: str, base: int = 0) -> list[tuple[int, str]]:
    """(line, message) of each recoverable problem (a duplicate key, a refused tag), ``base`` lines on."""
    out = []
    for p in problems:
        line = ((p.location.line or 1) if p.location else 1) + base
        out.append((line, f"{label}:{line}: {p.args[0]}"))
    return out


def _listed_or_error(data: Any, pos: Any, label: str, base: int, before: int) -> list[tuple[int | None, RawRecord]]:
    """The records of one document of a stream, or one error record at its place."""
    try:
        return list(_listed_at(data, pos, label, base, before))
    except InputError as exc:
        line = (pos.locate(()).line or 1) + base
        return [(line, RawRecord(f"{label}:{before + 1}", f"{label}:{line}", error=f"{label}:{line}: {exc.args[0]}"))]


def _piece(lines: list[str], base: int, label: str, before: int) -> list[tuple[int | None, RawRecord]]:
    """The records of one document of a stream that does not parse as a whole (``base``: lines before it)."""
    from equipid.catalog.yamlio import load_yaml_stream

    text = "".join(lines)
    problems: list[InputError] = []
    try:
        docs = load_yaml_stream(text, label, problems)
    except InputError as exc:
        got = _recovered(lines, base, label, exc, before)
        if got is not None:
            return got
        at = base + ((exc.location.line or 1) if exc.location else 1)
        return [(base + 1, RawRecord(f"{label}:{before + 1}", f"{label}:{base + 1}",
                                     error=f"{label}:{at}: {exc.args[0]}; no record of this document could be read"))]
    recs: list[tuple[int | None, RawRecord]] = []
    for data, pos in docs:
        recs += _with_problems(_listed_or_error(data, pos, label, base, before + len(recs)), pos, label, base, before + len(recs))
    return recs


def _recovered(lines: list[str], base: int, label: str, whole: InputError, before: int) -> list[tuple[int | None, RawRecord]] | None:
    """One document that does not parse, read item by item; None where it cannot be split safely.

    Each item is read alone: as written, or as an error record in its place.
    """
    from equipid.catalog.yamlio import dedent, load_yaml, split_items

    split = split_items(lines)
    if split is None:
        return None
    items, indent, around = split
    if around.strip():
        # NOTE: what surrounds the list must read cleanly, else a record could hide in it.
        try:
            rest, _ = load_yaml(around, label)
        except InputError:
            return None
        if rest is not None and (not isinstance(rest, dict) or "sightings" in rest):
            return None
    out: list[tuple[int | None, RawRecord]] = []
    for n, (lo, hi) in enumerate(items, before + 1):
        line = base + lo + 1
        did = f"{label}:{n}"
        where = f"{label}:{line}"
        chunk = dedent(lines[lo:hi], indent)
        try:
            d, _ = load_yaml(chunk, label)
        except InputError as exc:
            loc = exc.location
            at = (loc.line or 1) + line - 1 if loc else line
            m = _ITEM_ID.search(chunk)
            out.append((line, RawRecord(did, where, error=f"{label}:{at}: {exc.args[0]}", id_hint=m.group(1) if m else None)))
            continue
        if not isinstance(d, list) or len(d) != 1:
            out.append((line, RawRecord(did, where, error=f"{where}: this item cannot be read on its own ({whole})")))
            continue
        out.append((line, _one(d[0], did, where)))
    return out


def _flagged(recs: list[tuple[int | None, RawRecord]], bad: list[tuple[int, int]] | list[Any], label: str) -> Iterator[RawRecord]:
    """The records, each one whose lines hold a problem (bad UTF-8, a duplicate key) made an error in its place."""
    marks: list[tuple[int, str]] = []
    for line, what in bad:
        marks.append((line, what if isinstance(what, str) else f"{label}:{line}: invalid UTF-8 at byte {what}"))
    for _, r in _flag_all(recs, marks):
        yield r


def _flag_all(recs: list[tuple[int | None, RawRecord]], marks: list[tuple[int, str]]) -> list[tuple[int | None, RawRecord]]:
    if not marks or not recs:
        return recs
    marks.sort(key=_FIRST)
    out = []
    for k, (start, rec) in enumerate(recs):
        end = recs[k + 1][0] if k + 1 < len(recs) else None
        out.append((start, _unless_marked(rec, marks, start, end)))
    return out


def _bad_utf8_lines(raw: bytes) -> list[tuple[int, int]]:
    """(line, byte offset of its first invalid UTF-8 sequence) for each such line, in order."""
    text = raw.decode("utf-8", "surrogateescape")
    out: list[tuple[int, int]] = []
    line, at, offset = 1, 0, 0
    for m in _ESCAPED.finditer(text):
        # NOTE: counted on from the previous hit, so a file full of bad bytes stays linear.
        line += text.count("\n", at, m.start())
        offset += len(text[at : m.start()].encode("utf-8", "surrogateescape"))
        at = m.start()
        if not out or out[-1][0] != line:
            out.append((line, offset))
    return out


#: The id of a broken list item, when a line of its own says it plainly ("- id: x" or "  id: x").
_ITEM_ID = re.compile(r"""^(?:- |  )id:[ \t]*["']?([\w.:/-]{1,200})["']?[ \t]*$""", re.M)
_ESCAPED = re.compile("[\udc80-\udcff]")
_FIRST = operator.itemgetter(0)


def _unless_marked(rec: RawRecord, marks: list[tuple[int, str]], start: int | None, end: int | None) -> RawRecord:
    """``rec``, or an error in its place when one of ``marks`` (line, message; sorted) falls in its lines [start, end)."""
    if start is None or rec.error is not None:
        return rec
    k = bisect.bisect_left(marks, start, key=_FIRST)
    if k == len(marks) or (end is not None and marks[k][0] >= end):
        return rec
    hint = rec.data.get("id") if isinstance(rec.data, dict) else None
    return RawRecord(rec.default_id, rec.where, error=marks[k][1],
                     id_hint=str(hint) if isinstance(hint, (str, int)) and not isinstance(hint, bool) else None)


def _listed(data: Any, pos: Any, label: str) -> Iterator[RawRecord]:
    for _line, rec in _listed_at(data, pos, label):
        yield rec


def _listed_at(data: Any, pos: Any, label: str, base: int = 0, before: int = 0) -> Iterator[tuple[int | None, RawRecord]]:
    """The records of a loaded document, each with the line it starts on (None where positions are unknown)."""
    prefix: tuple[Any, ...] = ()
    if isinstance(data, dict) and "sightings" in data:
        data = data["sightings"]
        prefix = ("sightings",)
    if data is None:
        return
    if isinstance(data, dict) and not prefix and set(data) & {"observed", "text"}:
        data = [data]  # a file holding one sighting
    if not isinstance(data, list):
        raise InputError("expected a list of sightings, or a mapping with the key 'sightings'", Location(label, 1, 1))
    for n, rec in enumerate(data, before + 1):
        line = pos.locate((*prefix, n - 1 - before)).line if pos is not None else None
        if line is not None:
            line += base
        where = f"{label}:{line}" if line else f"{label}:record {n}"
        yield line, _one(rec, f"{label}:{n}", where)


def _one(rec: Any, did: str, where: str) -> RawRecord:
    if not isinstance(rec, dict):
        return RawRecord(did, where, error=f"{where}: a sighting is a mapping, got {type(rec).__name__}")
    return RawRecord(did, where, data=rec)
