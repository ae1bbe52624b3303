"""Rich rendering of lookup results."""

from __future__ import annotations

from typing import Any, TextIO

from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text


def _source_text(s: Any) -> str:
    if isinstance(s, str):
        return s
    parts = [s.get("title"), s.get("publisher"), s.get("date")]
    head = ", ".join(p for p in parts if p)
    return f"{head}: {s['url']}" if head else s["url"]


def item_panel(item: dict[str, Any], note: str = "") -> Panel:
    """One item as a panel."""
    t = Table.grid(padding=(0, 1))
    t.add_column(style="bold cyan", no_wrap=True)
    t.add_column()
    t.add_row("id", item["id"])
    t.add_row("category", item["category"])
    if item.get("aliases"):
        t.add_row("aliases", ", ".join(item["aliases"]))
    if item.get("not_in_text"):
        t.add_row("not in text", ", ".join(item["not_in_text"]) + " (ordinary words too: matched as named items, not in captions)")
    if item.get("unit_numbers"):
        t.add_row("unit numbers", ", ".join(item["unit_numbers"]) + " (в/ч, military unit)")
    if item.get("garrison"):
        t.add_row("garrison", ", ".join(item["garrison"]))
    fam = item["family"]
    if fam["variant_of"]:
        t.add_row("variant of", " < ".join(f"{a['name']}" for a in fam["variant_of"]))
    if fam["variants"]:
        t.add_row("variants", ", ".join(v["name"] for v in fam["variants"]))
    svc = item.get("in_service")
    if svc:
        span = f"{svc.get('from', '?')} – {svc.get('until', 'present')}"
        if svc.get("uncertain"):
            span += " (uncertain)"
        t.add_row("in service", span)
    if item.get("origin"):
        t.add_row("origin", item["origin"])
    if item["operators"]:
        t.add_row("operators", ", ".join(f"{o['name']} ({o['id']})" for o in item["operators"]))
    if item.get("operators_note"):
        t.add_row("", item["operators_note"])
    if item.get("recognition"):
        t.add_row("recognise by", item["recognition"])
    if item.get("notes"):
        t.add_row("notes", item["notes"])
    parts: list[Any] = [t]
    if item["indicators"]:
        # NOTE: one block per indicator, not a table: a rationale is a sentence
        # or two and a narrow column squeezes it to nothing.
        blocks: list[Any] = []
        for ind in item["indicators"]:
            via = f" (via {ind['via']})" if ind["via"] else ""
            favours = Text("favours: ", style="dim")
            favours.append(", ".join(ind["favours"]) or "no single force")
            blocks += [Text("• " + ind["name"] + via, style="bold"), Padding(favours, (0, 0, 0, 2)),
                       Padding(Text(ind["rationale"]), (0, 0, 0, 2))]
        parts.append(Text("What it indicates", style="bold"))
        parts.extend(blocks)
    src = Text("sources:\n", style="bold")
    for s in item.get("sources", []):
        src.append(f"  • {_source_text(s)}\n")
    parts.append(src)
    title = f"[bold]{item['name']}[/bold]" + (f"  [dim]{note}[/dim]" if note else "")
    return Panel(Group(*parts), title=title, title_align="left")


def render_lookup(results: list[dict[str, Any]], out: TextIO) -> None:
    """Print lookup results as panels, or what went wrong for each name."""
    console = Console(file=out, highlight=False, soft_wrap=False)
    for r in results:
        q = r["query"]
        if r["match"] == "none":
            sugg = ", ".join(s["name"] for s in r.get("suggestions", []))
            console.print(f"no item {q!r}; did you mean: {sugg}" if sugg else f"no item {q!r}", markup=False)
            continue
        if r["match"] == "ambiguous":
            cands = ", ".join(f"{s['name']} ({s['id']})" for s in r["candidates"])
            console.print(f"{q!r} is ambiguous; candidates: {cands}", markup=False)
            continue
        note = {"exact": "", "contained": f"found in {q!r}", "fuzzy": f"guessed from {q!r} (fuzzy score {r.get('score')})"}[r["match"]]
        if r.get("note"):
            note = f"read from {q!r}: {r['note']}" + (f"; {note}" if r["match"] == "contained" else "")
        for item in r["items"]:
            console.print(item_panel(item, note))
