"""``catalog export``: the whole catalog flattened for sharing.

JSON keeps every field of every record (``sources`` included) under the keys
``equipment``, ``affiliations``, ``indicators``, ``priors`` and ``places``;
CSV is one row per item; Markdown is tables a wiki can host, one per kind.
Catalog tests are not exported: they check the catalog, they are not part of it. Reporters return text and know nothing of
the command line.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from equipid.catalog.conditions import REGISTRY
from equipid.catalog.kinds import KINDS
from equipid.catalog.loader import Catalog

EXPORTED = tuple(k.key for k in KINDS.values() if k.exported)

CSV_COLUMNS = [
    "id", "name", "category", "aliases", "not_in_text", "unit_numbers", "garrison", "generic", "variant_of", "origin", "in_service_from",
    "in_service_until",
    "in_service_uncertain", "operators", "operators_note", "recognition", "notes", "sources",
]


def records(cat: Catalog) -> dict[str, list[dict[str, Any]]]:
    """Every exported record as a JSON-ready mapping with all of its fields."""
    return {k: [r.model_dump(mode="json", by_alias=True) for r in getattr(cat, k)] for k in EXPORTED}


def to_json(cat: Catalog) -> str:
    """One JSON document: ``{"equipment": [...], "affiliations": [...], "indicators": [...], "priors": [...], "places": [...]}``."""
    return json.dumps(records(cat), ensure_ascii=False, indent=2) + "\n"


def _source_text(src: Any) -> str:
    if isinstance(src, str):
        return src
    title = src.get("title")
    return f"{title} <{src['url']}>" if title else str(src["url"])


def _csv_line(cells: list[str]) -> str:
    """One CSV line; every cell inert in spreadsheets, line breaks inside a cell quoted."""
    from equipid.output.csv import csv_line, neutralise

    return csv_line([neutralise(c) for c in cells])


def to_csv(cat: Catalog) -> str:
    """One row per equipment item; lists joined with ``; ``.

    Cells that a spreadsheet would run as a formula (starting with ``=``,
    ``+``, ``-``, ``@``, tab or carriage return, and not a number) get a
    leading ``'``, as OWASP advises against CSV injection.
    """
    lines = [_csv_line(CSV_COLUMNS)]
    for e in records(cat)["equipment"]:
        ins = e.get("in_service") or {}
        row = {
            "id": e["id"],
            "name": e["name"],
            "category": e["category"],
            "aliases": "; ".join(e["aliases"]),
            "not_in_text": "; ".join(e["not_in_text"]),
            "unit_numbers": "; ".join(e["unit_numbers"]),
            "garrison": "; ".join(e["garrison"]),
            "generic": "yes" if e["generic"] else "",
            "variant_of": e["variant_of"] or "",
            "origin": e["origin"] or "",
            "in_service_from": ins.get("from") or "",
            "in_service_until": ins.get("until") or "",
            "in_service_uncertain": "yes" if ins.get("uncertain") else "",
            "operators": "; ".join(e["operators"]),
            "operators_note": e["operators_note"] or "",
            "recognition": e["recognition"] or "",
            "notes": e["notes"] or "",
            "sources": "; ".join(_source_text(s) for s in e["sources"]),
        }
        lines.append(_csv_line([str(row[c]) for c in CSV_COLUMNS]))
    return "".join(lines)


def describe(cond: Any) -> str:
    """A condition in one short line: ``all(item mib, country SY)`` (each condition kind writes its own)."""
    return REGISTRY.describe(cond)


def _cell(v: Any) -> str:
    """Text safe inside a Markdown table cell."""
    text = "" if v is None else str(v)
    text = " ".join(text.split())
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def _links(sources: list[Any]) -> str:
    parts = []
    for n, s in enumerate(sources, 1):
        url = s if isinstance(s, str) else s["url"]
        if url.startswith(("http://", "https://")):
            parts.append(f"[{n}]({url.replace(' ', '%20').replace(')', '%29').replace('|', '%7C')})")
        else:
            parts.append(_cell(url))
    return ", ".join(parts)


def _table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def to_markdown(cat: Catalog) -> str:
    """Markdown tables: equipment, affiliations, indicators, priors and places."""
    recs = records(cat)
    eq = [
        [_cell(e["id"]), _cell(e["name"]), _cell(e["category"]), _cell(", ".join(e["aliases"])), _cell(e["variant_of"]),
         _cell(e["origin"]), _cell(_years(e.get("in_service"))), _cell(", ".join(e["operators"])), _links(e["sources"])]
        for e in recs["equipment"]
    ]
    af = [
        [_cell(a["id"]), _cell(a["name"]), _cell(a["parent"]), _cell(", ".join(a["theatres"])), _links(a["sources"])]
        for a in recs["affiliations"]
    ]
    ind = [
        [_cell(i["id"]), _cell(i["name"]), _cell(describe(i["when"])),
         _cell(", ".join(f"{k}: {v}" for k, v in i["likelihoods"].items())), _cell(i["default"]), _links(i["sources"])]
        for i in recs["indicators"]
    ]
    pr = [
        [_cell(p["id"]), _cell(p["name"]), _cell(", ".join(p["country"]) or "any"), _cell(_years(p.get("date"))),
         _cell(", ".join(f"{k}: {v}" for k, v in p["weights"].items())), _cell(p["default"]), _links(p["sources"])]
        for p in recs["priors"]
    ]
    pl = [
        [_cell(p["id"]), _cell(p["name"]), _cell(p["country"]), _cell(p["kind"]), _cell(", ".join(p["aliases"])),
         _cell(f"{p['lat']}, {p['lon']}" if p["lat"] is not None and p["lon"] is not None else ""),
         _cell("; ".join(f"{h['by']} {h['from']}-{h['until'] or ''}" for h in p["held"])), _links(p["sources"])]
        for p in recs["places"]
    ]
    return (
        "# equipid catalog\n\n"
        f"## Equipment ({len(eq)})\n\n"
        + _table(["id", "name", "category", "aliases", "variant of", "origin", "in service", "operators", "sources"], eq)
        + f"\n## Affiliations ({len(af)})\n\n"
        + _table(["id", "name", "parent", "theatres", "sources"], af)
        + f"\n## Indicators ({len(ind)})\n\n"
        + _table(["id", "name", "when", "likelihoods", "default", "sources"], ind)
        + f"\n## Priors ({len(pr)})\n\n"
        + _table(["id", "name", "countries", "dates", "weights", "default", "sources"], pr)
        + f"\n## Places ({len(pl)})\n\n"
        + _table(["id", "name", "country", "kind", "aliases", "lat, lon", "held", "sources"], pl)
    )


def _years(ins: dict[str, Any] | None) -> str:
    if not ins:
        return ""
    span = f"{ins.get('from') or '?'}–{ins.get('until') or ''}"
    return span + (" (uncertain)" if ins.get("uncertain") else "")


FORMATS: dict[str, Callable[[Catalog], str]] = {
    "json": to_json,
    "csv": to_csv,
    "markdown": to_markdown,
}
"""Exporters by the name ``--format`` takes."""
