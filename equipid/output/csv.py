"""CSV: one row per result record, safe to open in a spreadsheet."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from equipid.output.base import Writer, register
from equipid.output.display import visible

CSV_HEADER = ["id", "leading", "probability", "estimate", "second", "second_probability", "second_estimate",
              "third", "third_probability", "third_estimate", "leading_group", "leading_group_probability",
              "warnings", "unmatched", "error"]


def neutralise(cell: str) -> str:
    """Make a CSV cell inert in spreadsheets (OWASP CSV injection advice).

    A cell starting with = + - @ tab or carriage return, and not a number, is
    prefixed with a single quote.
    """
    if cell and cell[0] in "=+-@\t\r":
        try:
            float(cell)
            return cell
        except ValueError:
            return "'" + cell
    return cell


_RISKY = frozenset("=+-@\t\r")


def csv_row(rec: dict[str, Any]) -> list[str]:
    """One CSV row for a result record; text from the input with its control and bidi characters spelled out."""
    if "error" in rec:
        row = [visible(str(rec["id"]))] + [""] * (len(CSV_HEADER) - 2) + [visible(rec["error"])]
        return [neutralise(c) for c in row]
    cells = [visible(str(rec["id"]))]
    top = rec["ranking"][:3]
    for e in top:
        cells += (e["affiliation"], f"{e['probability']:.4f}", e["estimate"])
    cells += ("", "", "") * (3 - len(top))
    g = rec["groups"][0] if rec["groups"] else None
    cells += (g["affiliation"], f"{g['probability']:.4f}") if g else ("", "")
    cells += (visible(" | ".join(rec["warnings"])), visible(" | ".join(rec["unmatched"])), "")
    # NOTE: the test of neutralise, inline: nearly every cell passes it.
    return [c if c[:1] not in _RISKY else neutralise(c) for c in cells]


def csv_lines(rows: Iterable[list[str]]) -> str:
    """CSV lines, each ending in "\n", a cell holding a line break quoted."""
    out: list[str] = []
    slow: list[str] = []
    writer = None
    for cells in rows:
        line = ",".join(cells)
        # NOTE: the csv module writes a row as its cells joined by commas unless
        # a cell holds a comma, a quote or a line break, or the row is one
        # empty cell; only such rows are handed to it.
        if line.count(",") == len(cells) - 1 and line and '"' not in line and "\n" not in line and "\r" not in line:
            out.append(line)
            continue
        if writer is None:
            import csv
            from types import SimpleNamespace

            # NOTE: the csv module quotes a cell holding a character of its
            # line terminator; with "\n" a lone carriage return would go out
            # bare and split the row in a reader. Rows are written with
            # "\r\n", which then becomes "\n".
            writer = csv.writer(SimpleNamespace(write=slow.append), lineterminator="\r\n")
        writer.writerow(cells)
        out.append(slow.pop()[:-2])
    out.append("")  # the last line end
    return "\n".join(out)


def csv_line(cells: list[str]) -> str:
    """One CSV line ending in "\n", a cell holding a line break quoted."""
    return csv_lines([cells])


def encode_csv(records: list[dict[str, Any]]) -> bytes:
    """Records as CSV rows (no header), one per line."""
    return csv_lines([csv_row(rec) for rec in records]).encode("utf-8")


@register
class CsvWriter(Writer):
    """A header, then one row per record: the three leading leaves, the leading group, warnings, unmatched, error."""

    name = "csv"
    description = "one row per record: the three leading affiliations and the leading group"
    payload = "bytes"
    streams = True

    @staticmethod
    def encode(records: list[dict[str, Any]]) -> bytes:
        """Records as CSV rows."""
        return encode_csv(records)

    def begin(self) -> None:
        """Write the header row."""
        self.out.write((",".join(CSV_HEADER) + "\n").encode())
