"""Parquet: the CSV's columns, typed, plus the whole record as JSON text (needs the ``frames`` extra)."""

from __future__ import annotations

from typing import IO, Any

from equipid.output.base import RunInfo, Writer, register
from equipid.output.frames import COLUMNS, columns, need

#: Rows per Parquet row group.
ROW_GROUP = 50_000


@register
class ParquetWriter(Writer):
    """A Parquet file written row group by row group (pyarrow)."""

    name = "parquet"
    description = "Parquet table: one row per sighting, the CSV's columns typed, plus the record as JSON (equipid[frames])"
    payload = "records"

    def __init__(self, out: IO[bytes], info: RunInfo) -> None:
        super().__init__(out, info)
        self.pa = need("pyarrow")
        self.pq = need("pyarrow.parquet")
        self.schema = self.pa.schema([(k, self.pa.float64() if t == "float" else self.pa.string()) for k, t in COLUMNS.items()])
        self.rows: list[dict[str, Any]] = []
        self.pw: Any = None

    def begin(self) -> None:
        """Open the Parquet writer on the output."""
        self.pw = self.pq.ParquetWriter(self.out, self.schema, compression="zstd")

    def write(self, chunk: list[dict[str, Any]]) -> None:
        """Buffer the records; write a row group when enough are buffered."""
        self.rows.extend(chunk)
        if len(self.rows) >= ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        if self.rows:
            self.pw.write_table(self.pa.table(columns(self.rows), schema=self.schema))
            self.rows = []

    def end(self, stats: Any) -> None:
        """Write the last rows and the footer."""
        self._flush()
        self.pw.close()
