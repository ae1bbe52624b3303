"""Result records as columns: the CSV's columns, typed, plus the whole record as JSON text.

Shared by the Parquet writer and :meth:`equipid.api.Engine.score_frame`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import orjson

from equipid.output.view import leading_group, sighting_of

#: Column name -> kind ("str" or "float"), in order.
COLUMNS: dict[str, str] = {
    "id": "str", "date": "str", "place": "str", "country": "str",
    "leading": "str", "probability": "float", "estimate": "str",
    "second": "str", "second_probability": "float", "second_estimate": "str",
    "third": "str", "third_probability": "float", "third_estimate": "str",
    "leading_group": "str", "leading_group_probability": "float",
    "warnings": "str", "unmatched": "str", "error": "str", "text": "str", "record": "str",
}


def columns(records: Iterable[dict[str, Any]]) -> dict[str, list[Any]]:
    """One list per column of :data:`COLUMNS`, one entry per record; None where a record has no value."""
    cols: dict[str, list[Any]] = {k: [] for k in COLUMNS}
    for rec in records:
        for k, v in row(rec).items():
            cols[k].append(v)
    return cols


def row(rec: dict[str, Any]) -> dict[str, Any]:
    """The columns of one record."""
    s = sighting_of(rec)
    out: dict[str, Any] = dict.fromkeys(COLUMNS)
    out.update({"id": str(rec["id"]), "date": s["date"], "place": s["place"], "country": s["country"], "text": s["text"],
                "record": orjson.dumps(rec).decode("utf-8")})
    if "error" in rec:
        out["error"] = rec["error"]
        return out
    for prefix, r in zip(("", "second", "third"), rec["ranking"][:3], strict=False):
        name = prefix or "leading"
        out[name] = r["affiliation"]
        out[f"{prefix}_probability" if prefix else "probability"] = r["probability"]
        out[f"{prefix}_estimate" if prefix else "estimate"] = r["estimate"]
    g = leading_group(rec)
    if g:
        out["leading_group"], out["leading_group_probability"] = g["affiliation"], g["probability"]
    out["warnings"] = " | ".join(rec["warnings"])
    out["unmatched"] = " | ".join(rec["unmatched"])
    return out


def _plain(v: Any) -> Any:
    """A frame cell as plain Python: arrays and series become lists, numpy scalars Python numbers."""
    if isinstance(v, (str, int, float, bool, dict, list)):
        return v
    tolist = getattr(v, "tolist", None)
    if tolist is not None:
        return tolist()
    return v


def sighting_from_row(cells: Mapping[str, Any]) -> dict[str, Any]:
    """A sighting mapping from a frame row: empty cells dropped; ``lat``/``lon`` columns go into the location."""
    rec = {str(k): _plain(v) for k, v in cells.items() if not isinstance(v, float) or not math.isnan(v)}
    rec = {k: v for k, v in rec.items() if v is not None and (not isinstance(v, str) or v.strip() != "")}
    if "lat" in rec or "lon" in rec:
        loc = rec.get("location")
        loc = dict(loc) if isinstance(loc, dict) else ({"name": loc} if loc is not None else {})
        for k in ("lat", "lon"):
            if k in rec:
                loc[k] = rec.pop(k)
        if "country" in rec and "country" not in loc:
            loc["country"] = rec.pop("country")
        rec["location"] = loc
    return rec


def need(module: str, extra: str = "frames") -> Any:
    """Import an optional dependency, or raise a clear InputError naming the extra that installs it."""
    import importlib

    from equipid.errors import InputError

    try:
        return importlib.import_module(module)
    except ImportError:
        raise InputError(f"this needs the Python package {module.split('.')[0]!r}, which is not installed: "
                         f"pip install 'equipid[{extra}]'") from None
