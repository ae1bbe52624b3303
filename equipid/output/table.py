"""Rich rendering of one assessment (``equipid identify``, ``score --format table``)."""

from __future__ import annotations

from typing import Any, TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from equipid.catalog.compiled import Compiled
from equipid.output.base import Writer, register
from equipid.output.display import shown, visible
from equipid.output.view import TOO_CLOSE_DB, evidence_columns, sighting_of, verdict


def _bar(p: float, width: int = 24) -> str:
    n = round(p * width)
    return "█" * n + "·" * (width - n)


def prior_only(record: dict[str, Any]) -> bool:
    """True when nothing diagnostic was recognised: the result is the theatre prior alone."""
    return not record.get("evidence")


def limits(record: dict[str, Any], compiled: Compiled) -> list[str]:
    """Plain statements of what this evidence cannot settle."""
    import math

    out = []
    r = record["ranking"]
    a, b = r[0], r[1]
    if b["probability"] > 0:
        gap = 10 * math.log10(a["probability"] / b["probability"])
        if gap < TOO_CLOSE_DB:
            out.append(
                f"{compiled.aff_names.get(a['affiliation'])} and {compiled.aff_names.get(b['affiliation'])} "
                f"cannot be told apart on this evidence ({gap:.1f} dB apart)."
            )
    strong = [e for e in record["evidence"] if max(abs(w) for w in e["weight_db_by"].values()) >= 10]
    if not record["evidence"]:
        out.append("No indicator fired: the ranking is the prior alone.")
    elif not strong:
        out.append("No single item is strong evidence (none reaches 10 dB); the ranking rests on weak, cumulative signs.")
    if record.get("prior") == "uniform":
        out.append("No theatre prior applied (no country, or none known for it): all forces start equal.")
    return out


def render_assessment(record: dict[str, Any], compiled: Compiled, out: TextIO, top: int = 8) -> None:
    """Print one assessment: the verdict on one line, the ranking, then how it was read and why."""
    con = Console(file=out, highlight=False)
    name = compiled.aff_names
    con.print(f"[bold]{shown(verdict(record, name))}[/bold]")
    s = sighting_of(record)
    where = ", ".join(shown(x) for x in (s["date"], s["place"], s["country"]) if x)
    thin = " [bold yellow]prior only[/bold yellow]" if prior_only(record) else ""
    con.print(f"[dim]sighting {shown(record['id'])}{'  ' + where if where else ''}  prior: {shown(record.get('prior', '?'))}[/dim]{thin}")
    _ranking(con, record, name, top)
    groups = "; ".join(f"{name.get(g['affiliation'], g['affiliation'])} {g['probability']:.0%}, {g['estimate']}"
                       for g in record["groups"] if g["probability"] >= 0.005)
    if groups:
        con.print(f"[bold]Groups:[/bold] {escape(groups)}")
    if record.get("matched"):
        mt = Table(title="Read as", title_justify="left", show_edge=False)
        mt.add_column("observed", ratio=2)
        mt.add_column("item", ratio=3)
        mt.add_column("how", style="dim", no_wrap=True)
        mt.add_column("role", no_wrap=True)
        last = None
        for m in record["matched"]:
            conf = "" if m["confidence"] == 1.0 else f" ({m['confidence']})"
            said = "" if m["said"] == last else m["said"]
            last = m["said"]
            mt.add_row(shown(said), f"{shown(m['name'])} [dim]{shown(m['item'])}[/dim]", m["how"] + conf,
                       shown(m.get("role", "fielded")))
        con.print(mt)
    if record["evidence"]:
        _evidence(con, record, compiled)
    for s in record.get("superseded", []):
        con.print(f"[dim]{s['indicator']} not counted again: included in {s['by']}[/dim]")
    if record["unmatched"]:
        con.print("[bold]Unmatched:[/bold] " + shown("; ".join(record["unmatched"])))
    for w in record["warnings"]:
        con.print(f"[yellow]warning:[/yellow] {shown(w)}")
    for line in limits(record, compiled):
        con.print(f"[bold]Limits:[/bold] {escape(line)}")
    if record["look_for_next"]:
        lt = Table(title="Look for next (what best separates the two leading hypotheses)", title_justify="left", show_edge=False)
        lt.add_column("bits", justify="right", no_wrap=True)
        lt.add_column("item and why", ratio=1)
        for s in record["look_for_next"]:
            lt.add_row(f"{s['information_bits']:.2f}", f"[bold]{escape(s['name'])}[/bold]\n[dim]{escape(s['why'])}[/dim]")
        con.print(lt)


def _ranking(con: Console, record: dict[str, Any], name: dict[str, str], top: int) -> None:
    """The ranked leaves with bars; names beside the ids where the terminal is wide enough."""
    rt = Table(title="Who most likely fielded it", title_justify="left", show_edge=False)
    rt.add_column("#", justify="right")
    rt.add_column("affiliation", no_wrap=True)
    rt.add_column("", no_wrap=True)
    rt.add_column("p", justify="right", no_wrap=True)
    rt.add_column("estimate", no_wrap=True)
    wide = con.width >= 110
    if wide:
        rt.add_column("", style="dim", no_wrap=True, overflow="ellipsis")
    for i, r in enumerate(record["ranking"][:top], 1):
        cells = [str(i), r["affiliation"], _bar(r["probability"], 16), f"{r['probability']:.1%}", r["estimate"]]
        rt.add_row(*cells, *([name.get(r["affiliation"], "")] if wide else []))
    rest = sum(r["probability"] for r in record["ranking"][top:])
    if rest > 0:
        rt.add_row("", f"{len(record['ranking']) - top} others", _bar(rest, 16), f"{rest:.1%}", "", *([""] if wide else []))
    con.print(rt)


def _evidence(con: Console, record: dict[str, Any], compiled: Compiled) -> None:
    """Evidence for and against the two leading hypotheses: the two leading leaves, or their groups when they are siblings."""
    la, lb, weights, grouped = evidence_columns(record, compiled)
    what = "the two leading groups (the leading leaves are siblings, too close to split)" if grouped else "each of the two leading hypotheses"
    et = Table(title=f"Evidence, in decibans for (+) or against (-) {what}", title_justify="left", show_edge=False)
    et.add_column(la, justify="right", no_wrap=True)
    et.add_column(lb, justify="right", no_wrap=True)
    et.add_column("indicator and why", ratio=1)
    for e, (wa, wb) in zip(record["evidence"], weights, strict=True):
        conf = "" if e["confidence"] == 1.0 else f" (confidence {e['confidence']:.2f})"
        et.add_row(f"{wa:+.1f}", f"{wb:+.1f}", f"[bold]{escape(e['name'])}[/bold]{conf}\n[dim]{escape(e['rationale'])}[/dim]")
    con.print(et)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


class RowTable:
    """One line per sighting under one header, rendered chunk by chunk with fixed column widths."""

    COLUMNS = ("id", "date", "place", "leading", "p", "estimate", "second", "p2", "warnings")

    def __init__(self, compiled: Compiled, width: int) -> None:
        self.compiled = compiled
        fixed = {"date": 10, "p": 4, "estimate": 14, "p2": 4, "warnings": 3}
        rest = max(width - sum(fixed.values()) - 2 * (len(self.COLUMNS) - 1), 40)
        share = {"id": 0.24, "place": 0.28, "leading": 0.26, "second": 0.22}
        self.widths = {c: fixed.get(c) or max(int(rest * share[c]), 6) for c in self.COLUMNS}

    def header(self) -> str:
        """The header line."""
        return self._line(["id", "date", "place", "leading", "p", "estimate", "second", "p", "warn"]) + "\n"

    def rows(self, records: list[dict[str, Any]]) -> str:
        """One line per record (an error record shows its error in place of the ranking)."""
        out = []
        for rec in records:
            if "error" in rec:
                out.append(_cut(f"{visible(str(rec['id']))}  error: {visible(rec['error'])}", sum(self.widths.values()) + 16))
                continue
            s = sighting_of(rec)
            a = rec["ranking"][0]
            b = rec["ranking"][1] if len(rec["ranking"]) > 1 else None
            out.append(self._line([
                str(rec["id"]), s["date"] or "", s["place"] or s["country"] or "", a["affiliation"], f"{a['probability']:.0%}",
                a["estimate"], b["affiliation"] if b else "", f"{b['probability']:.0%}" if b else "",
                str(len(rec["warnings"])) if rec["warnings"] else "",
            ]))
        return "".join(line + "\n" for line in out)

    def _line(self, cells: list[str]) -> str:
        parts = []
        for col, cell in zip(self.COLUMNS, cells, strict=True):
            w = self.widths[col]
            cell = _cut(" ".join(visible(cell).split()), w)
            parts.append(cell.rjust(w) if col in ("p", "p2", "warnings") else cell.ljust(w))
        return "  ".join(parts).rstrip()


@register
class TableWriter(Writer):
    """One line per sighting (the default on a terminal); with ``detail``, the full view of ``equipid identify`` per sighting."""

    name = "table"
    description = "one line per sighting for people (the default on a terminal); --detail: the full view of each"
    payload = "records"

    def begin(self) -> None:
        """Write the header of the one-line view."""
        if not self.info.detail:
            import shutil

            self.rows = RowTable(self.info.compiled, shutil.get_terminal_size((120, 24)).columns)
            self.out.write(self.rows.header().encode("utf-8"))

    def write(self, chunk: list[dict[str, Any]]) -> None:
        """Render each record of the chunk."""
        import io

        if not self.info.detail:
            self.out.write(self.rows.rows(chunk).encode("utf-8"))
            return
        for rec in chunk:
            buf = io.StringIO()
            if "error" in rec:
                buf.write(f"{visible(str(rec['id']))}: error: {visible(rec['error'])}\n\n")
            else:
                render_assessment(rec, self.info.compiled, buf)
                buf.write("\n")
            self.out.write(buf.getvalue().encode("utf-8"))
