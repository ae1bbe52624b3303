"""STIX 2.1: one bundle per run.

Per scored sighting: a ``sighting`` of the leading affiliation (its
``confidence`` the probability in percent), a ``location`` where the sighting
gives coordinates or a country, and a ``note`` carrying the verdict, the whole
ranking and the evidence. Each affiliation sighted is an ``identity``
(``identity_class: organization``), written once. Error records are left out
(the count is in a final note).

Ids are UUID version 5 of fixed names (the affiliation id; the sighting id and
its ordinal among records of the same id), so the same input gives the same
ids. Timestamps are the run's start, or ``$SOURCE_DATE_EPOCH`` where it is set,
so that a run can be reproduced byte for byte.
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime
from typing import Any

import orjson

from equipid.output.base import Writer, register
from equipid.output.view import locate, sighting_of, verdict

#: The namespace of every id equipid gives a STIX object.
NAMESPACE = uuid.UUID("6f0c6a54-3f7e-5b8e-9a0e-0e9a1d2c7e51")


def stix_id(kind: str, name: str) -> str:
    """A deterministic STIX id: ``kind--uuid5(NAMESPACE, kind:name)``."""
    return f"{kind}--{uuid.uuid5(NAMESPACE, f'{kind}:{name}')}"


def _timestamp(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def run_time() -> str:
    """The run's timestamp: ``$SOURCE_DATE_EPOCH`` if set (reproducible runs), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return _timestamp(datetime.fromtimestamp(int(epoch), UTC))
    return _timestamp(datetime.now(UTC))


def _seen_span(date_text: str | None) -> tuple[str, str] | None:
    """first_seen and last_seen for a date as given (a year or a month spans all of it)."""
    if not date_text:
        return None
    from equipid import dates

    try:
        first, last = dates.parse_partial(date_text)
    except ValueError:
        return None
    return dates.ordinal_to_iso(first) + "T00:00:00.000Z", dates.ordinal_to_iso(last) + "T23:59:59.999Z"


class Bundler:
    """Turns result records into STIX objects; remembers the identities already made."""

    def __init__(self, compiled: Any, created: str) -> None:
        self.c = compiled
        self.created = created
        self.identities: set[str] = set()
        self.ordinal: dict[str, int] = {}
        self.errors = 0

    def _common(self, kind: str, sid: str) -> dict[str, Any]:
        return {"type": kind, "spec_version": "2.1", "id": sid, "created": self.created, "modified": self.created}

    def identity(self, aff: str) -> tuple[str, dict[str, Any] | None]:
        """The id of an affiliation's identity, and the object itself the first time it is asked for."""
        sid = stix_id("identity", aff)
        if aff in self.identities:
            return sid, None
        self.identities.add(aff)
        obj = self._common("identity", sid)
        obj.update({"name": self.c.aff_names.get(aff, aff), "identity_class": "organization",
                    "description": f"equipid affiliation {aff}",
                    "external_references": [{"source_name": "equipid", "external_id": aff}]})
        return sid, obj

    def objects(self, rec: dict[str, Any]) -> list[dict[str, Any]]:
        """The STIX objects of one record (none for an error record)."""
        if "error" in rec:
            self.errors += 1
            return []
        rid = str(rec["id"])
        n = self.ordinal[rid] = self.ordinal.get(rid, 0) + 1
        key = rid if n == 1 else f"{rid}#{n}"
        out: list[dict[str, Any]] = []
        lead = rec["ranking"][0]
        lead_id, obj = self.identity(lead["affiliation"])
        if obj:
            out.append(obj)
        s = sighting_of(rec)
        sighting = self._common("sighting", stix_id("sighting", key))
        sighting.update({"sighting_of_ref": lead_id, "count": 1, "confidence": max(0, min(100, round(lead["probability"] * 100))),
                         "summary": False, "external_references": [{"source_name": "equipid-sighting", "external_id": rid}]})
        if s["text"]:
            sighting["description"] = s["text"]
        span = _seen_span(s["date"])
        if span:
            sighting["first_seen"], sighting["last_seen"] = span
        loc = self._location(key, s, rec)
        if loc:
            out.append(loc)
            sighting["where_sighted_refs"] = [loc["id"]]
        out.append(sighting)
        refs = [sighting["id"]]
        for r in rec["ranking"][:3]:
            iid, obj = self.identity(r["affiliation"])
            if obj:
                out.append(obj)
            if iid not in refs:
                refs.append(iid)
        note = self._common("note", stix_id("note", key))
        note.update({"abstract": verdict(rec, self.c.aff_names), "content": self._content(rec), "object_refs": refs})
        out.append(note)
        return out

    def _location(self, key: str, s: dict[str, Any], rec: dict[str, Any]) -> dict[str, Any] | None:
        """Where it was: the point GeoJSON would give (the sighting's own, or the gazetteer's), the country, the place."""
        where = locate(rec, self.c)
        lat, lon = where.lat, where.lon
        has_point = lat is not None and lon is not None
        if not has_point and not s["country"]:
            return None
        loc = self._common("location", stix_id("location", key))
        if s["place"]:
            loc["name"] = s["place"]
        if has_point:
            loc["latitude"], loc["longitude"] = lat, lon
            if where.how != "sighting":
                loc["description"] = f"point from the equipid {where.how}"
        if s["country"]:
            loc["country"] = s["country"]
        return loc

    def _content(self, rec: dict[str, Any]) -> str:
        """The ranking and the evidence as plain text."""
        names = self.c.aff_names
        lines = [verdict(rec, names), "", "Ranking (probability, ICD 203 estimate):"]
        lines += [f"{i}. {r['affiliation']} ({names.get(r['affiliation'], '')}): {r['probability']:.4f}, {r['estimate']}"
                  for i, r in enumerate(rec["ranking"], 1) if r["probability"] >= 0.0005 or i <= 3]
        if rec["groups"]:
            lines += ["", "Groups:"] + [f"- {g['affiliation']}: {g['probability']:.4f}, {g['estimate']}" for g in rec["groups"]]
        if rec["evidence"]:
            a = rec["ranking"][0]["affiliation"]
            b = rec["ranking"][1]["affiliation"] if len(rec["ranking"]) > 1 else a
            lines += ["", f"Evidence, in decibans for {a} / {b}:"]
            for e in rec["evidence"]:
                by = e["weight_db_by"]
                lines.append(f"- {e['name']}: {by.get(a, 0.0):+.1f} / {by.get(b, 0.0):+.1f} dB. {e['rationale']}")
        if rec["warnings"]:
            lines += ["", "Warnings:"] + [f"- {w}" for w in rec["warnings"]]
        if rec["unmatched"]:
            lines += ["", "Unmatched: " + "; ".join(rec["unmatched"])]
        if rec.get("look_for_next"):
            lines += ["", "Look for next:"] + [f"- {x['name']} ({x['information_bits']:.2f} bits): {x['why']}" for x in rec["look_for_next"]]
        return "\n".join(lines)


@register
class StixWriter(Writer):
    """A STIX 2.1 bundle, streamed object by object; the bundle's own id comes last."""

    name = "stix"
    description = "STIX 2.1 bundle: sightings, locations, identities for the affiliations, notes with ranking and evidence"
    payload = "records"

    def begin(self) -> None:
        """Open the bundle."""
        self.bundler = Bundler(self.info.compiled, run_time())
        self.first = True
        self.keys: list[str] = []
        self.out.write(b'{"type":"bundle","objects":[')

    def _put(self, obj: dict[str, Any]) -> None:
        self.out.write((b"\n" if self.first else b",\n") + orjson.dumps(obj))
        self.first = False

    def write(self, chunk: list[dict[str, Any]]) -> None:
        """The objects of each record."""
        for rec in chunk:
            for obj in self.bundler.objects(rec):
                if obj["type"] == "sighting":
                    self.keys.append(obj["id"])
                self._put(obj)

    def end(self, stats: Any) -> None:
        """Close the bundle; its id is made from the ids of every sighting in it."""
        b = self.bundler
        if b.errors and self.keys:
            note = b._common("note", stix_id("note", "errors:" + ",".join(self.keys)))
            note.update({"content": f"{b.errors} record(s) could not be read and are not in this bundle.", "object_refs": self.keys[:1]})
            self._put(note)
        bundle_id = stix_id("bundle", ",".join(self.keys))
        self.out.write(b'\n],"id":' + orjson.dumps(bundle_id) + b"}\n")
