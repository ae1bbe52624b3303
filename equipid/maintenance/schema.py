"""``catalog schema``: JSON Schema of the catalog, generated from the pydantic models.

Editors that speak the YAML language server complete and check catalog files
given a first line such as::

    # yaml-language-server: $schema=../catalog.schema.json

The models validate some fields by hand (slugs, partial dates, conditions);
those rules are added to the generated schema here so editors see them too.
"""

from __future__ import annotations

import copy
import json
from typing import Any

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_DATE = r"^\d{4}(-\d{1,2}(-\d{1,2})?)?$"


def _patterns() -> tuple[str, str]:
    from equipid.catalog.values import COUNTRY, SLUG

    return SLUG.pattern, COUNTRY.pattern


def _add_pattern(node: Any, pattern: str) -> None:
    """Add ``pattern`` to the string branches of ``node`` (and of its items)."""
    if not isinstance(node, dict):
        return
    if node.get("type") == "string":
        node["pattern"] = pattern
    if node.get("type") == "array":
        _add_pattern(node.get("items"), pattern)
    for branch in node.get("anyOf", ()):
        _add_pattern(branch, pattern)


def _date_schema(nullable: bool) -> dict[str, Any]:
    branches: list[dict[str, Any]] = [{"type": "string", "pattern": _DATE}, {"type": "integer", "minimum": 1000, "maximum": 9999}]
    if nullable:
        branches.append({"type": "null"})
    return {"anyOf": branches, "description": "YYYY, YYYY-MM or YYYY-MM-DD"}


def condition_schema() -> dict[str, Any]:
    """The recursive schema of an indicator condition (``when``)."""
    from equipid.catalog.conditions import REGISTRY
    from equipid.catalog.conditions.base import SchemaParts

    slug, country = _patterns()
    parts = SchemaParts(ref={"$ref": "#/$defs/Condition"}, item={"type": "string", "pattern": slug},
                        country={"type": "string", "pattern": country}, date=_date_schema(False))
    return {
        "title": "Condition",
        "description": "A mapping with exactly one key; see docs/catalog-format.md.",
        "type": "object",
        "minProperties": 1,
        "maxProperties": 1,
        "additionalProperties": False,
        "properties": REGISTRY.schema(parts),
    }


def _patch(schema: dict[str, Any]) -> None:
    """Add the hand-validated rules to every model schema in ``schema``."""
    slug, country = _patterns()
    models = [schema, *schema.get("$defs", {}).values()]
    for m in models:
        props = m.get("properties", {})
        title = m.get("title")
        for name, node in props.items():
            if name in ("id", "parent", "variant_of", "operators", "supersedes", "leading"):
                _add_pattern(node, slug)
            elif name in ("origin", "theatres", "country"):
                _add_pattern(node, country)
            elif name in ("likelihoods", "weights"):
                node["propertyNames"] = {"pattern": slug}
        if title == "DateRange":
            props["from"] = _date_schema(True)
            props["until"] = _date_schema(True)
        if title == "SourceRef":
            props["date"] = _date_schema(True)
        if title == "Indicator":
            props["when"] = {"$ref": "#/$defs/Condition"}
        if title == "Counts":
            props["applies"] = {"$ref": "#/$defs/Condition"}
            props["sides"]["additionalProperties"] = {"type": "string", "pattern": slug}
            props["rows"]["items"] = {"type": "object", "required": ["item"],
                                      "properties": {"item": {"type": "string", "pattern": slug}},
                                      "additionalProperties": {"type": "integer", "minimum": 0}}
    schema.setdefault("$defs", {})["Condition"] = condition_schema()


def record_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one record kind (``equipment``, ``indicators``, ...)."""
    from equipid.catalog.kinds import models

    KINDS = models()
    from equipid.errors import InputError

    model = KINDS.get(kind)
    if model is None:
        raise InputError(f"unknown record kind {kind!r}; use one of {', '.join(KINDS)}")
    schema = model.model_json_schema(by_alias=True)
    _patch(schema)
    if kind not in ("indicators", "counts"):
        schema["$defs"].pop("Condition", None)
    if not schema["$defs"]:
        del schema["$defs"]
    return {"$schema": DRAFT, **schema}


def file_schema() -> dict[str, Any]:
    """The JSON Schema of a whole catalog file: each kind a list of its records."""
    from equipid.catalog.kinds import models

    KINDS = models()

    defs: dict[str, Any] = {}
    props: dict[str, Any] = {}
    for kind, model in KINDS.items():
        s = copy.deepcopy(record_schema(kind))
        s.pop("$schema", None)
        defs.update(s.pop("$defs", {}))
        defs[model.__name__] = s
        props[kind] = {"type": "array", "items": {"$ref": f"#/$defs/{model.__name__}"}}
    return {
        "$schema": DRAFT,
        "title": "equipid catalog file",
        "description": "A mapping of record kinds to lists of records; see docs/catalog-format.md.",
        "type": "object",
        "additionalProperties": False,
        "properties": props,
        "$defs": dict(sorted(defs.items())),
    }


def schema_text(kind: str | None = None) -> str:
    """The schema of ``kind`` (or of a whole file) as indented JSON."""
    doc = file_schema() if kind in (None, "file") else record_schema(kind)
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
