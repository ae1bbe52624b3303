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
  quote: we frame CSV records ourselves, report the unterminated one, and
  read the following lines again as records;
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
        return open(path, "rb")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None


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


def _csv_frames(f: IO[bytes], label: str) -> Iterator[tuple[int, str, str | None]]:
    """(first line, record text, error) for each CSV record, quotes respected.

    Records are framed by the quoting state, line by line, so memory holds one
    record. A quote still open at the end of the file (or after MAX_FIELD
    bytes), or a record spanning lines that does not parse as CSV, is reported
    at the line that opened it, and the lines it swallowed are framed again:
    the csv module alone would silently fold them into one field.
    """
    source: Iterator[tuple[int, bytes]] = enumerate(f, 1)
    while True:
        pending: list[tuple[int, bytes]] = []
        size = 0
        open_quote = False
        for lineno, raw in source:
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            pending.append((lineno, raw))
            size += len(raw)
            if b'"' in raw:
                open_quote = _quoted_after(raw, open_quote)
            if open_quote and size <= MAX_FIELD:
                continue
            if open_quote:
                break
            first = pending[0][0]
            text, err = _decode_line(b"".join(r for _, r in pending), label, first)
            if len(pending) > 1 and not err and not _parses(text):
                break
            if "\x00" in text:
                err = err or f"{label}:{first}: NUL byte in record"
            pending, size = [], 0
            yield first, text, err
        if not pending:
            return
        first = pending[0][0]
        yield first, "", (f"{label}:{first}: unterminated quoted field (opened in this record, never closed); "
                          "the lines after it are read as new records")
        source = itertools.chain(pending[1:], source)


def _parses(text: str) -> bool:
    try:
        next(csv.reader([text], strict=True), None)
    except csv.Error:
        return False
    return True


def _csv(f: IO[bytes], label: str) -> Iterator[RawRecord]:
    csv.field_size_limit(MAX_FIELD)
    header: list[str] | None = None
    n = 0
    for lineno, text, err in _csv_frames(f, label):
        if header is None:
            if err:
                raise InputError(err.split(": ", 1)[-1], Location(label, lineno))
            row = next(csv.reader([text]), [])
            header = [h.strip().lower() for h in row]
            if "id" not in header and "observed" not in header and "text" not in header:
                raise InputError(f"CSV header names none of {', '.join(CSV_COLUMNS)}: {row!r}", Location(label, lineno))
            continue
        if not err and not text.strip():
            continue
        n += 1
        did = f"{label}:{n}"
        if err:
            yield RawRecord(did, f"{label}:{lineno}", error=err)
            continue
        try:
            row = next(csv.reader([text], strict=True), [])
        except csv.Error as exc:
            yield RawRecord(did, f"{label}:{lineno}", error=f"{label}:{lineno}: CSV: {exc}")
            continue
        if len(row) > len(header):
            yield RawRecord(did, f"{label}:{lineno}", error=f"{label}:{lineno}: {len(row)} fields for {len(header)} columns")
            continue
        rec = {h: v for h, v in zip(header, row, strict=False) if v.strip() != ""}
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
    from equipid.catalog.yamlio import iter_yaml_items, load_yaml

    try:
        data, pos = load_yaml(text, label)
    except InputError as whole:
        # One broken record must not cost the file: read the items one by one.
        body, base = _list_body(text)
        items = list(iter_yaml_items(body, label))
        if len(items) < 2:
            yield RawRecord(f"{label}:1", str(whole.location or label), error=f"{whole}; no record of this document could be read")
            return
        for n, (line, chunk) in enumerate(items, 1):
            line += base
            did = f"{label}:{n}"
            try:
                d, _ = load_yaml(chunk, label)
            except InputError as exc:
                loc = exc.location
                at = (loc.line or 1) + line - 1 if loc else line
                yield RawRecord(did, f"{label}:{line}", error=f"{label}:{at}: {exc.args[0]}")
                continue
            rec = d[0] if isinstance(d, list) and len(d) == 1 else d
            end = items[n][0] + base if n < len(items) else None
            yield _unless_bad(_one(rec, did, f"{label}:{line}"), bad, label, line, end)
        return
    if not bad:
        yield from _listed(data, pos, label)
        return
    recs = list(_listed_at(data, pos, label))
    for k, (start, r) in enumerate(recs):
        yield _unless_bad(r, bad, label, start, recs[k + 1][0] if k + 1 < len(recs) else None)


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


_ESCAPED = re.compile("[\udc80-\udcff]")
_FIRST = operator.itemgetter(0)


def _unless_bad(rec: RawRecord, bad: list[tuple[int, int]], label: str, start: int | None, end: int | None) -> RawRecord:
    """``rec``, or an error in its place when its lines [start, end) hold invalid UTF-8 (``bad``: :func:`_bad_utf8_lines`)."""
    if not bad or start is None or rec.error is not None:
        return rec
    k = bisect.bisect_left(bad, start, key=_FIRST)
    if k == len(bad) or (end is not None and bad[k][0] >= end):
        return rec
    line, offset = bad[k]
    hint = rec.data.get("id") if isinstance(rec.data, dict) else None
    return RawRecord(rec.default_id, rec.where, error=f"{label}:{line}: invalid UTF-8 at byte {offset}",
                     id_hint=str(hint) if isinstance(hint, (str, int)) and not isinstance(hint, bool) else None)


def _list_body(text: str) -> tuple[str, int]:
    """The text of the sightings list, and the lines before it."""
    lines = text.splitlines(keepends=True)
    for i, ln in enumerate(lines):
        if ln.startswith("sightings:"):
            return "".join(lines[i + 1 :]), i + 1
    return text, 0


def _listed(data: Any, pos: Any, label: str) -> Iterator[RawRecord]:
    for _line, rec in _listed_at(data, pos, label):
        yield rec


def _listed_at(data: Any, pos: Any, label: str) -> Iterator[tuple[int | None, RawRecord]]:
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
    for n, rec in enumerate(data, 1):
        line = pos.locate((*prefix, n - 1)).line if pos is not None else None
        where = f"{label}:{line}" if line else f"{label}:record {n}"
        yield line, _one(rec, f"{label}:{n}", where)


def _one(rec: Any, did: str, where: str) -> RawRecord:
    if not isinstance(rec, dict):
        return RawRecord(did, where, error=f"{where}: a sighting is a mapping, got {type(rec).__name__}")
    return RawRecord(did, where, data=rec)
