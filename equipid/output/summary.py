"""The overview of a batch run (``equipid score --summary``)."""

from __future__ import annotations

from collections import Counter
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table

from equipid.output.base import Writer, register


def _table(title: str, counts: Counter[str], total: int, names: dict[str, str] | None = None, by_key: bool = False) -> Table:
    t = Table(title=title, title_justify="left", show_edge=False)
    t.add_column(title.split(" by ")[-1])
    t.add_column("sightings", justify="right")
    t.add_column("share", justify="right")
    items = sorted(counts.items()) if by_key else counts.most_common()
    for k, v in items:
        label = f"{names.get(k, k)} ({k})" if names and k in names else k
        t.add_row(label, str(v), f"{v / total:.1%}")
    return t


def render_summary(stats: Any, compiled: Any, out: TextIO) -> None:
    """Sightings by leading affiliation and group, by month and by country."""
    con = Console(file=out, highlight=False)
    n = max(stats.scored, 1)
    con.print(_table("Sightings by leading affiliation", stats.leading, n, compiled.aff_names))
    con.print(_table("Sightings by leading group", stats.leading_group, n, compiled.aff_names))
    con.print(_table("Sightings by month", stats.by_month, n, by_key=True))
    con.print(_table("Sightings by country", stats.by_country, n))


def _no_records(records: list[dict[str, Any]]) -> bytes:
    return b""


@register
class SummaryWriter(Writer):
    """Only the overview of the run: sightings by leading affiliation, group, month and country."""

    name = "summary"
    description = "only the overview by affiliation, group, month and country"
    payload = "bytes"

    encode = staticmethod(_no_records)

    def end(self, stats: Any) -> None:
        """Render the overview of the whole run."""
        import io

        buf = io.StringIO()
        if stats.scored:
            render_summary(stats, self.info.compiled, buf)
        self.out.write(buf.getvalue().encode("utf-8"))
