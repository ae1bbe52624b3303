"""GeoJSON (RFC 7946): one FeatureCollection, one Feature per sighting.

The point is the sighting's own ``lat``/``lon``, else a place of the catalog
gazetteer with coordinates that its place text names; otherwise the geometry
is null and ``geometry_note`` says why. Coordinates are [longitude, latitude]
in WGS 84, as the RFC requires.
"""

from __future__ import annotations

from typing import Any

import orjson

from equipid.output.base import Writer, register
from equipid.output.view import leading_group, locate, sighting_of, verdict


def feature(rec: dict[str, Any], compiled: Any) -> dict[str, Any]:
    """The Feature of one result record (an error record has a null geometry and its error)."""
    s = sighting_of(rec)
    props: dict[str, Any] = {"id": rec["id"], "date": s["date"], "place": s["place"], "country": s["country"]}
    if "error" in rec:
        props["error"] = rec["error"]
        return {"type": "Feature", "id": str(rec["id"]), "geometry": None,
                "properties": {**props, "geometry_note": "not scored: the record could not be read"}}
    where = locate(rec, compiled)
    lead = rec["ranking"][0]
    g = leading_group(rec)
    props.update({
        "verdict": verdict(rec, compiled.aff_names),
        "leading": lead["affiliation"],
        "leading_name": compiled.aff_names.get(lead["affiliation"], lead["affiliation"]),
        "probability": lead["probability"],
        "estimate": lead["estimate"],
        "leading_group": g["affiliation"] if g else None,
        "leading_group_probability": g["probability"] if g else None,
        "warnings": list(rec["warnings"]),
    })
    if where.lon is None or where.lat is None:
        geometry = None
        props["geometry_note"] = where.how
    else:
        geometry = {"type": "Point", "coordinates": [where.lon, where.lat]}
        props["geometry_source"] = where.how
    return {"type": "Feature", "id": str(rec["id"]), "geometry": geometry, "properties": props}


@register
class GeoJsonWriter(Writer):
    """A FeatureCollection streamed feature by feature."""

    name = "geojson"
    description = "GeoJSON (RFC 7946) FeatureCollection, one Feature per sighting"
    payload = "records"

    def begin(self) -> None:
        """Open the collection."""
        self.first = True
        self.out.write(b'{"type":"FeatureCollection","features":[')

    def write(self, chunk: list[dict[str, Any]]) -> None:
        """One Feature per record, one per line."""
        for rec in chunk:
            self.out.write((b"\n" if self.first else b",\n") + orjson.dumps(feature(rec, self.info.compiled)))
            self.first = False

    def end(self, stats: Any) -> None:
        """Close the collection."""
        self.out.write(b"\n]}\n")
