"""HTML: one self-contained report page for a sighting or a batch.

Verdict first, then a map of the sightings (inline SVG: longitude/latitude
points over a graticule, no network), a summary by affiliation, month and
country, and per sighting: the verdict, the ranking with bars, the groups,
the evidence for and against the leading hypotheses, what to look for next,
the limits, and the catalog sources as links. Every string that comes from
the input or the catalog is escaped; only http(s) addresses become links.
The page loads nothing from anywhere (no scripts, fonts, tiles or images).
"""

from __future__ import annotations

import html
import math
from collections import Counter
from typing import Any

from equipid.output.base import Writer, register
from equipid.output.view import evidence_columns, leading_group, locate, month_of, sighting_of, verdict

#: Sightings shown in full; the rest of a larger batch is in the map and the summary only.
DETAIL_LIMIT = 500
#: Points drawn on the map.
MAP_LIMIT = 20_000

_PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"]

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:1.5em auto;max-width:70em;
 padding:0 1em;color:#1a1a1a;line-height:1.4}
h1{font-size:1.5em;margin-bottom:.2em} h2{font-size:1.2em;margin:.2em 0} h3{font-size:1em;margin:.8em 0 .3em}
.verdict{font-size:1.35em;font-weight:700;padding:.5em .7em;background:#f3f6fa;border-left:6px solid #1f4e8c;margin:.4em 0}
.meta{color:#555;font-size:.9em}
table{border-collapse:collapse;margin:.3em 0;font-size:.92em} th,td{padding:.2em .6em;text-align:left;vertical-align:top}
th{border-bottom:2px solid #bbb} td{border-bottom:1px solid #e3e3e3} td.n{text-align:right;font-variant-numeric:tabular-nums}
.bar{display:inline-block;height:.8em;background:#1f4e8c;vertical-align:middle}
.barbox{display:inline-block;width:12em;background:#e8ecf2;vertical-align:middle}
.pos{color:#17692a} .neg{color:#a12020}
section.sighting{border-top:1px solid #ccc;margin-top:1.5em;padding-top:.6em}
.warn{color:#8a5a00} .small{font-size:.85em;color:#555}
.summary{display:flex;flex-wrap:wrap;gap:2em}
svg.map{border:1px solid #ccc;background:#fbfdff;max-width:100%;height:auto}
"""


def _e(s: Any) -> str:
    return html.escape(str(s), quote=True)


def _link(url: str, label: str | None = None) -> str:
    text = _e(label or url)
    if url.startswith(("http://", "https://")):
        return f'<a href="{_e(url)}" rel="noopener noreferrer">{text}</a>'
    return text


def _source(s: Any) -> str:
    if isinstance(s, str):
        return _link(s)
    url = str(s.get("url", ""))
    label = ", ".join(str(s[k]) for k in ("title", "publisher", "date") if s.get(k))
    return _link(url, label or url)


def _pct(p: float) -> str:
    return f"{p:.1%}"


def _confidence(c: float) -> str:
    return "" if c == 1.0 else f" (confidence {c:.2f})"


def _db(w: float) -> str:
    cls = "pos" if w > 0 else "neg" if w < 0 else ""
    return f'<td class="n {cls}">{w:+.1f}</td>'


class Report:
    """Collects records and renders the page."""

    def __init__(self, compiled: Any) -> None:
        self.c = compiled
        self.records: list[dict[str, Any]] = []
        self.points: list[tuple[float, float, str, str]] = []
        self.unplaced = 0
        self.by_aff: Counter[str] = Counter()
        self.by_month: Counter[str] = Counter()
        self.by_country: Counter[str] = Counter()
        self.errors = 0
        self.total = 0

    def add(self, rec: dict[str, Any]) -> None:
        """Count one record; keep it for the detail part while there is room."""
        self.total += 1
        if len(self.records) < DETAIL_LIMIT:
            self.records.append(rec)
        if "error" in rec:
            self.errors += 1
            return
        s = sighting_of(rec)
        lead = rec["ranking"][0]["affiliation"]
        self.by_aff[lead] += 1
        self.by_month[month_of(s["date"])] += 1
        self.by_country[s["country"] or "(no country)"] += 1
        where = locate(rec, self.c)
        if where.lon is not None and where.lat is not None and len(self.points) < MAP_LIMIT:
            self.points.append((where.lon, where.lat, str(rec["id"]), lead))
        elif where.lon is None:
            self.unplaced += 1

    # -- the page ---------------------------------------------------------
    def render(self) -> str:
        """The whole page."""
        names = self.c.aff_names
        scored = [r for r in self.records if "error" not in r]
        if self.total == 1 and scored:
            title = f"equipid: {scored[0]['id']}"
            head = f'<div class="verdict" id="verdict">{_e(verdict(scored[0], names))}</div>'
        else:
            title = f"equipid report: {self.total} sightings"
            top = self.by_aff.most_common(1)
            lead = (f"Most often leading: {_e(names.get(top[0][0], top[0][0]))} ({top[0][1]} of {self.total - self.errors} scored)"
                    if top else "No sighting could be scored")
            head = f'<div class="verdict" id="verdict">{lead}</div>'
        parts = [
            "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
            f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
            f"<h1>{_e(title)}</h1>", head,
            f'<p class="meta">{self.total} record(s), {self.total - self.errors} scored, {self.errors} error(s). '
            "Probabilities are calibrated estimates with ICD 203 words; evidence is in decibans (+10 dB: ten times likelier).</p>",
            "<h2>Map</h2>", self._map(),
            "<h2>Summary</h2>", self._summary(),
        ]
        if len(self.records) > 1 or self.total > 1:
            parts.append("<h2>Sightings</h2>")
        for rec in self.records:
            parts.append(self._sighting(rec))
        if self.total > len(self.records):
            parts.append(f"<p class=\"small\">{self.total - len(self.records)} more sighting(s) are counted in the map and the summary "
                         "but not shown in full; use --format jsonl for every record.</p>")
        parts.append("</body></html>\n")
        return "\n".join(parts)

    def _colour(self, aff: str, order: dict[str, int]) -> str:
        return _PALETTE[order.get(aff, len(_PALETTE) - 2) % len(_PALETTE)]

    def _map(self) -> str:
        """An equirectangular SVG of the points over a graticule, fitted to them."""
        pts = self.points
        if not pts:
            return f'<p class="small">No sighting gives coordinates or a catalog place with coordinates ({self.unplaced} without).</p>'
        lons = [p[0] for p in pts]
        lats = [p[1] for p in pts]
        pad = 2.0
        x0, x1 = max(min(lons) - pad, -180.0), min(max(lons) + pad, 180.0)
        y0, y1 = max(min(lats) - pad, -90.0), min(max(lats) + pad, 90.0)
        w, h = 800, 480
        # NOTE: widen the narrower extent so that a degree is as long across as up.
        dx, dy = max(x1 - x0, 4.0), max(y1 - y0, 4.0 * h / w)
        if dx / dy < w / h:
            dx = dy * w / h
        else:
            dy = dx * h / w
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        x0, x1, y0, y1 = cx - dx / 2, cx + dx / 2, cy - dy / 2, cy + dy / 2
        span = max(dx, dy)

        def xy(lon: float, lat: float) -> tuple[float, float]:
            return (lon - x0) / (x1 - x0) * w, (y1 - lat) / (y1 - y0) * h

        step = next(s for s in (1, 2, 5, 10, 15, 30, 45) if span / s <= 12)
        out = [f'<svg class="map" id="map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
               'role="img" aria-label="map of the sightings">', f'<rect x="0" y="0" width="{w}" height="{h}" fill="#fbfdff"/>']
        lon = math.ceil(x0 / step) * step
        while lon <= x1:
            x, _ = xy(lon, 0)
            out.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{h}" stroke="#d5dde8" stroke-width="1"/>'
                       f'<text x="{x + 2:.1f}" y="{h - 4}" font-size="10" fill="#778">{lon:g}°{"E" if lon >= 0 else "W"}</text>')
            lon += step
        lat = math.ceil(y0 / step) * step
        while lat <= y1:
            _, y = xy(0, lat)
            out.append(f'<line x1="0" y1="{y:.1f}" x2="{w}" y2="{y:.1f}" stroke="#d5dde8" stroke-width="1"/>'
                       f'<text x="2" y="{y - 2:.1f}" font-size="10" fill="#778">{lat:g}°{"N" if lat >= 0 else "S"}</text>')
            lat += step
        order = {a: i for i, (a, _) in enumerate(self.by_aff.most_common())}
        for lon_, lat_, rid, aff in pts:
            x, y = xy(lon_, lat_)
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{self._colour(aff, order)}" fill-opacity="0.8" stroke="#fff">'
                       f"<title>{_e(rid)}: {_e(aff)} ({lat_:.2f}, {lon_:.2f})</title></circle>")
        out.append("</svg>")
        legend = " ".join(f'<span style="color:{self._colour(a, order)}">●</span> {_e(self.c.aff_names.get(a, a))}'
                          for a in list(order)[:len(_PALETTE) - 1])
        note = f" {self.unplaced} sighting(s) without coordinates are not on the map." if self.unplaced else ""
        return "\n".join(out) + f'<p class="small">{legend}. {len(pts)} sighting(s) placed.{note}</p>'

    def _summary(self) -> str:
        n = max(self.total - self.errors, 1)
        names = self.c.aff_names

        def table(title: str, rows: list[tuple[str, int]]) -> str:
            body = "".join(f'<tr><td>{_e(k)}</td><td class="n">{v}</td><td class="n">{v / n:.0%}</td></tr>' for k, v in rows)
            head = f"<tr><th>{_e(title.split(' by ')[-1])}</th><th>sightings</th><th>share</th></tr>"
            return f"<div><h3>{_e(title)}</h3><table>{head}{body}</table></div>"

        return '<div class="summary">' + "".join([
            table("Sightings by leading affiliation", [(f"{names.get(k, k)} ({k})", v) for k, v in self.by_aff.most_common()]),
            table("Sightings by month", sorted(self.by_month.items())),
            table("Sightings by country", self.by_country.most_common()),
        ]) + "</div>"

    def _sighting(self, rec: dict[str, Any]) -> str:
        names = self.c.aff_names
        rid = _e(rec["id"])
        if "error" in rec:
            return f'<section class="sighting"><h2>{rid}</h2><p class="warn">Not scored: {_e(rec["error"])}</p></section>'
        s = sighting_of(rec)
        meta = " · ".join(_e(x) for x in (s["date"], s["place"], s["country"]) if x)
        out = [f'<section class="sighting" id="s-{rid}"><h2>{rid}</h2>',
               f'<div class="verdict">{_e(verdict(rec, names))}</div>',
               f'<p class="meta">{meta}{" · " if meta else ""}prior: {_e(rec.get("prior", "?"))}</p>']
        if s["text"]:
            out.append(f"<blockquote>{_e(s['text'])}</blockquote>")
        out.append("<h3>Ranking</h3><table><tr><th>#</th><th>affiliation</th><th></th><th>p</th><th>estimate</th></tr>")
        for i, r in enumerate(rec["ranking"][:8], 1):
            p = r["probability"]
            out.append(f'<tr><td class="n">{i}</td><td>{_e(names.get(r["affiliation"], r["affiliation"]))} '
                       f'<span class="small">{_e(r["affiliation"])}</span></td>'
                       f'<td><span class="barbox"><span class="bar" style="width:{p * 100:.1f}%"></span></span></td>'
                       f'<td class="n">{_pct(p)}</td><td>{_e(r["estimate"])}</td></tr>')
        out.append("</table>")
        g = leading_group(rec)
        groups = [x for x in rec["groups"] if x["probability"] >= 0.005]
        if groups:
            out.append("<h3>Groups</h3><ul>" + "".join(
                f"<li>{'<b>' if g and x['affiliation'] == g['affiliation'] else ''}{_e(names.get(x['affiliation'], x['affiliation']))}"
                f"{'</b>' if g and x['affiliation'] == g['affiliation'] else ''}: {_pct(x['probability'])}, {_e(x['estimate'])}</li>"
                for x in groups) + "</ul>")
        out.append(self._evidence(rec))
        if rec.get("look_for_next"):
            out.append("<h3>What to look for next</h3><ul>" + "".join(
                f"<li><b>{_e(x['name'])}</b> ({x['information_bits']:.2f} bits): {_e(x['why'])}</li>" for x in rec["look_for_next"]) + "</ul>")
        lim = self._limits(rec)
        if lim or rec["warnings"] or rec["unmatched"]:
            out.append("<h3>Limits</h3><ul>" + "".join(f"<li>{_e(x)}</li>" for x in lim)
                       + "".join(f'<li class="warn">warning: {_e(w)}</li>' for w in rec["warnings"])
                       + (f"<li>Not recognised: {_e('; '.join(rec['unmatched']))}</li>" if rec["unmatched"] else "") + "</ul>")
        out.append(self._sources(rec))
        out.append("</section>")
        return "\n".join(out)

    def _limits(self, rec: dict[str, Any]) -> list[str]:
        from equipid.output.table import limits

        return limits(rec, self.c)

    def _evidence(self, rec: dict[str, Any]) -> str:
        if not rec["evidence"]:
            return "<h3>Evidence</h3><p>No indicator fired: the ranking is the prior alone.</p>"
        names = self.c.aff_names
        la, lb, weights, grouped = evidence_columns(rec, self.c)
        note = " (the two leading leaves are siblings: their groups are compared)" if grouped else ""
        rows = "".join(f"<tr>{_db(wa)}{_db(wb)}<td><b>{_e(e['name'])}</b>{_confidence(e['confidence'])}"
                       f"<br><span class=\"small\">{_e(e['rationale'])}</span></td></tr>"
                       for e, (wa, wb) in zip(rec["evidence"], weights, strict=True))
        return (f"<h3>Evidence for (+) and against (−), in decibans{_e(note)}</h3><table><tr><th>{_e(names.get(la, la))}</th>"
                f"<th>{_e(names.get(lb, lb))}</th><th>indicator and why</th></tr>{rows}</table>")

    def _sources(self, rec: dict[str, Any]) -> str:
        ind = {d["id"]: d for d in self.c.indicators}
        seen: dict[str, Any] = {}
        for e in rec["evidence"]:
            for s in ind.get(e["indicator"], {}).get("sources", []) or []:
                k = s if isinstance(s, str) else str(s.get("url"))
                seen.setdefault(k, s)
        for m in rec.get("matched", []):
            for s in self.c.items.get(m["item"], {}).get("sources", []) or []:
                k = s if isinstance(s, str) else str(s.get("url"))
                seen.setdefault(k, s)
        if not seen:
            return ""
        return "<h3>Sources</h3><ul class=\"small\">" + "".join(f"<li>{_source(s)}</li>" for s in seen.values()) + "</ul>"


@register
class HtmlWriter(Writer):
    """One self-contained HTML page, written when the run ends."""

    name = "html"
    description = "one self-contained HTML report page: verdict, map, summary, and each sighting in full"
    payload = "records"

    def begin(self) -> None:
        """Start collecting."""
        self.report = Report(self.info.compiled)

    def write(self, chunk: list[dict[str, Any]]) -> None:
        """Collect the chunk's records."""
        for rec in chunk:
            self.report.add(rec)

    def end(self, stats: Any) -> None:
        """Write the page."""
        self.out.write(self.report.render().encode("utf-8"))
