"""Rich rendering of one assessment (``equipid identify``, ``score --format table``)."""

from __future__ import annotations

from typing import Any, TextIO

from rich.console import Console
from rich.table import Table

from equipid.compiled import Compiled

#: Below this gap (dB) between the two leading leaves, say they cannot be told apart.
TOO_CLOSE_DB = 5.0


def _bar(p: float, width: int = 24) -> str:
    n = round(p * width)
    return "█" * n + "·" * (width - n)


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
    strong = [e for e in record["evidence"] if abs(e["weight_db"]) >= 10]
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
    con.print(f"[bold]Sighting {record['id']}[/bold]  [dim]prior: {record.get('prior', '?')}[/dim]")
    if record.get("matched"):
        mt = Table(title="Read as", title_justify="left", show_edge=False)
        mt.add_column("observed")
        mt.add_column("item")
        mt.add_column("how", style="dim")
        for m in record["matched"]:
            conf = "" if m["confidence"] == 1.0 else f" (confidence {m['confidence']})"
            mt.add_row(m["said"], f"{m['name']} [dim]({m['item']})[/dim]", m["how"] + conf)
        con.print(mt)
    rt = Table(title="Who most likely fielded it", title_justify="left", show_edge=False)
    rt.add_column("#", justify="right")
    rt.add_column("affiliation")
    rt.add_column("", no_wrap=True)
    rt.add_column("p", justify="right")
    rt.add_column("estimate")
    for i, r in enumerate(record["ranking"][:top], 1):
        rt.add_row(str(i), f"{name.get(r['affiliation'], r['affiliation'])} [dim]({r['affiliation']})[/dim]",
                   _bar(r["probability"]), f"{r['probability']:.1%}", r["estimate"])
    rest = sum(r["probability"] for r in record["ranking"][top:])
    if rest > 0:
        rt.add_row("", f"[dim]{len(record['ranking']) - top} others[/dim]", _bar(rest), f"{rest:.1%}", "")
    con.print(rt)
    groups = "; ".join(f"{name.get(g['affiliation'], g['affiliation'])} {g['probability']:.0%}, {g['estimate']}"
                       for g in record["groups"] if g["probability"] >= 0.005)
    if groups:
        con.print(f"[bold]Groups:[/bold] {groups}")
    if record["evidence"]:
        la = record["ranking"][0]["affiliation"]
        lb = record["ranking"][1]["affiliation"]
        et = Table(title=f"Evidence (decibans: + for, - against; {la} vs {lb})", title_justify="left", show_edge=False)
        et.add_column("indicator")
        et.add_column(la, justify="right")
        et.add_column(lb, justify="right")
        et.add_column("why")
        for e in record["evidence"]:
            by = e["weight_db_by"]
            conf = "" if e["confidence"] == 1.0 else f" [dim](x{e['confidence']:.2f})[/dim]"
            et.add_row(e["name"] + conf, f"{by.get(la, 0):+.1f}", f"{by.get(lb, 0):+.1f}", e["rationale"])
        con.print(et)
    for s in record.get("superseded", []):
        con.print(f"[dim]{s['indicator']} not counted again: included in {s['by']}[/dim]")
    if record["unmatched"]:
        con.print("[bold]Unmatched:[/bold] " + "; ".join(record["unmatched"]), markup=True)
    for w in record["warnings"]:
        con.print(f"[yellow]warning:[/yellow] {w}")
    for line in limits(record, compiled):
        con.print(f"[bold]Limits:[/bold] {line}")
    if record["look_for_next"]:
        lt = Table(title="Look for next", title_justify="left", show_edge=False)
        lt.add_column("item")
        lt.add_column("bits", justify="right")
        lt.add_column("why")
        for s in record["look_for_next"]:
            lt.add_row(s["name"], f"{s['information_bits']:.2f}", s["why"])
        con.print(lt)
