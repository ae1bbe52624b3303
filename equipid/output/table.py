"""Rich rendering of one assessment (``equipid identify``, ``score --format table``)."""

from __future__ import annotations

from typing import Any, TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from equipid.catalog.compiled import Compiled
from equipid.output.base import Writer, register
from equipid.output.display import shown, visible

#: Below this gap (dB) between the two leading leaves, say they cannot be told apart.
TOO_CLOSE_DB = 5.0


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
    """Print one assessment as tables."""
    con = Console(file=out, highlight=False)
    name = compiled.aff_names
    thin = " [bold yellow]prior only[/bold yellow]" if prior_only(record) else ""
    con.print(f"[bold]Sighting {shown(record['id'])}[/bold]  [dim]prior: {shown(record.get('prior', '?'))}[/dim]{thin}")
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
    groups = "; ".join(f"{name.get(g['affiliation'], g['affiliation'])} {g['probability']:.0%}, {g['estimate']}"
                       for g in record["groups"] if g["probability"] >= 0.005)
    if groups:
        con.print(f"[bold]Groups:[/bold] {groups}")
    if record["evidence"]:
        la = record["ranking"][0]["affiliation"]
        lb = record["ranking"][1]["affiliation"]
        et = Table(title="Evidence, in decibans for (+) or against (-) each of the two leading hypotheses",
                   title_justify="left", show_edge=False)
        et.add_column(la, justify="right", no_wrap=True)
        et.add_column(lb, justify="right", no_wrap=True)
        et.add_column("indicator and why", ratio=1)
        for e in record["evidence"]:
            by = e["weight_db_by"]
            conf = "" if e["confidence"] == 1.0 else f" (confidence {e['confidence']:.2f})"
            et.add_row(f"{by.get(la, 0):+.1f}", f"{by.get(lb, 0):+.1f}",
                       f"[bold]{escape(e['name'])}[/bold]{conf}\n[dim]{escape(e['rationale'])}[/dim]")
        con.print(et)
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


@register
class TableWriter(Writer):
    """The full per-sighting view, as on ``equipid identify``; an error record as one line."""

    name = "table"
    description = "tables for people (the default on a terminal)"
    payload = "records"
    binary_safe = False

    def write(self, chunk: list[dict[str, Any]]) -> None:
        """Render each record of the chunk."""
        import io

        for rec in chunk:
            buf = io.StringIO()
            if "error" in rec:
                buf.write(f"{visible(str(rec['id']))}: error: {visible(rec['error'])}\n\n")
            else:
                render_assessment(rec, self.info.compiled, buf)
                buf.write("\n")
            self.out.write(buf.getvalue().encode("utf-8"))
