"""Read catalog directories into validated records, reporting every problem.

The loader is the cold path: it imports pydantic, validates every record and
collects all problems (with ``path:line:column``) before failing. Commands that
only need the compiled form go through :mod:`equipid.catalog.cache` instead, which
calls this module only when its cache is stale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from equipid.catalog.locate import catalog_files
from equipid.catalog.yamlio import Positions, load_yaml
from equipid.errors import CatalogError, InputError, Location, Problem


@dataclass
class Catalog:
    """Every record of a (possibly layered) catalog, validated, with positions."""

    equipment: list[Any] = field(default_factory=list)
    affiliations: list[Any] = field(default_factory=list)
    indicators: list[Any] = field(default_factory=list)
    priors: list[Any] = field(default_factory=list)
    tests: list[Any] = field(default_factory=list)
    places: list[Any] = field(default_factory=list)
    counts: list[Any] = field(default_factory=list)
    where: dict[tuple[str, str], Location] = field(default_factory=dict)
    """(kind, id) -> where the record starts."""
    raw: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    """(kind, id) -> the record as written, for round trips and lint."""
    positions: dict[str, Positions] = field(default_factory=dict)
    slots: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    """(kind, id) -> (file, index in that file's list), to locate fields."""
    files: list[Path] = field(default_factory=list)

    def locate(self, kind: str, rid: str) -> Location:
        """Where record ``rid`` of ``kind`` is defined."""
        return self.where.get((kind, rid), Location("<catalog>"))


def _data_path(data: Any, loc: Sequence[Any]) -> tuple[list[Any], str]:
    """Follow a pydantic error loc through the data; drop union-branch labels."""
    path: list[Any] = []
    cur = data
    for part in loc:
        if isinstance(cur, dict) and isinstance(part, str) and part in cur:
            path.append(part)
            cur = cur[part]
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            path.append(part)
            cur = cur[part]
        elif isinstance(cur, dict) and isinstance(part, str) and part.rstrip("_") in cur:
            path.append(part.rstrip("_"))
            cur = cur[part.rstrip("_")]
    shown = ""
    for p in path:
        shown += f"[{p}]" if isinstance(p, int) else (f".{p}" if shown else str(p))
    missing = [p for p in loc if isinstance(p, str) and p not in path and not _is_branch(p)]
    if missing and not path or (missing and loc and loc[-1] == missing[-1]):
        shown = f"{shown}.{missing[-1]}" if shown else str(missing[-1])
    return path, shown


def _is_branch(label: str) -> bool:
    return any(ch in label for ch in "[(") or label in {"str", "SourceRef", "int", "list", "dict", "function-after", "function-before"}


_WRONG_TYPE = {"string_type", "model_type", "model_attributes_type", "dict_type"}


def _prune_union_errors(errors: list[Any]) -> list[Any]:
    """Of a union that failed (a source as text or as a mapping), keep the branch the author wrote.

    Pydantic reports every branch: a blank text source also fails as a
    mapping. The wrong-type errors of a branch go when another branch has
    real ones; when every branch is the wrong type, one error says what is
    expected.
    """
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for e in errors:
        loc = tuple(e["loc"])
        cut = next((n for n, part in enumerate(loc) if isinstance(part, str) and _is_branch(part)), None)
        groups.setdefault(loc[:cut] if cut is not None else loc, []).append(e)
    out: list[Any] = []
    for pos, errs in groups.items():
        branches = {e["loc"][len(pos)] for e in errs if len(e["loc"]) > len(pos)}
        if len(branches) < 2:
            out.extend(errs)
            continue
        real = [e for e in errs if e["type"] not in _WRONG_TYPE]
        if real:
            out.extend(real)
        else:
            out.append({**errs[0], "loc": pos, "msg": "a source is an address, a publication name or a mapping with url", "type": "union"})
    return out


def load_catalog(dirs: Sequence[Path], *, require_affiliations: bool = True, collect: list[Problem] | None = None) -> Catalog:
    """Load and validate the catalog layers ``dirs``; raise CatalogError listing every problem.

    With ``collect``, problems are appended to that list instead and the
    records that did validate are returned (for lint, which reports them all).
    """
    from pydantic import ValidationError

    from equipid.catalog.kinds import models

    KINDS = models()

    cat = Catalog()
    problems: list[Problem] = []
    first_def: dict[tuple[str, str], tuple[int, Location]] = {}
    for layer, path in catalog_files(dirs):
        cat.files.append(path)
        where = str(path)
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            problems.append(Problem(Location.of_offset(where, raw, exc.start), "", f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                                    code="unreadable-file"))
            continue
        except OSError as exc:
            problems.append(Problem(Location(where), "", f"cannot read: {exc.strerror}", code="unreadable-file"))
            continue
        soft: list[InputError] = []
        try:
            data, pos = load_yaml(text, where, soft)
        except InputError as exc:
            soft.append(exc)
            data = None
        problems.extend(Problem(e.location or Location(where), "", str(e.args[0]), code="yaml-syntax") for e in soft)
        if data is None and soft:
            continue
        cat.positions[where] = pos
        if data is None:
            continue
        if not isinstance(data, dict):
            problems.append(Problem(pos.locate(()), "", f"a catalog file is a mapping with keys {sorted(KINDS)}"))
            continue
        for kind, records in data.items():
            model = KINDS.get(kind)
            if model is None:
                problems.append(Problem(pos.locate((kind,)), kind, f"unknown record kind; use one of {sorted(KINDS)}"))
                continue
            if not isinstance(records, list):
                problems.append(Problem(pos.locate((kind,)), kind, "a list of records"))
                continue
            for i, rec in enumerate(records):
                rloc = pos.locate((kind, i))
                rid = rec.get("id") if isinstance(rec, dict) else None
                label = f"{kind}[{rid if isinstance(rid, str) else i}]"
                if not isinstance(rec, dict):
                    problems.append(Problem(rloc, label, "a record is a mapping"))
                    continue
                try:
                    obj = model.model_validate(rec)
                except ValidationError as exc:
                    for err in _prune_union_errors(exc.errors()):
                        dpath, shown = _data_path(rec, err["loc"])
                        msg = err["msg"]
                        if msg.startswith("Value error, "):
                            msg = msg[len("Value error, "):]
                        unknown = err["type"] == "extra_forbidden"
                        if unknown:
                            msg = "unknown key"
                        where_ = pos.locate((kind, i, *dpath), of_key=unknown)
                        # NOTE: the date-range model's own check (until before from) is a code of its own
                        code = "date-order" if err["type"] == "value_error" and "is before from" in msg else "schema"
                        problems.append(Problem(where_, f"{label}.{shown}" if shown else label, msg, code=code))
                    continue
                k = (kind, obj.id)
                if k in first_def:
                    other_layer, other = first_def[k]
                    what = "between catalog layers" if other_layer != layer else "duplicate id"
                    problems.append(Problem(rloc, f"{label}.id", f"{what}: {obj.id!r} is already defined at {other}",
                                            code="duplicate-id"))
                    continue
                first_def[k] = (layer, rloc)
                cat.where[k] = rloc
                cat.raw[k] = rec
                cat.slots[k] = (where, i)
                getattr(cat, kind).append(obj)
    problems.extend(_cross_check(cat, require_affiliations))
    if problems and collect is not None:
        collect.extend(problems)
    elif problems:
        raise CatalogError(problems)
    return cat


def _cross_check(cat: Catalog, require_affiliations: bool) -> list[Problem]:
    """References the scorer cannot work without: affiliations must resolve."""
    problems: list[Problem] = []
    affs = {a.id for a in cat.affiliations}
    if require_affiliations and not affs:
        problems.append(Problem(Location("<catalog>"), "affiliations", "the catalog defines no affiliations"))
    for a in cat.affiliations:
        if a.parent is not None and a.parent not in affs:
            where = _field_loc(cat, "affiliations", a.id, ("parent",))
            problems.append(Problem(where, f"affiliations[{a.id}].parent", f"unknown affiliation {a.parent!r}", code="dangling-reference"))
        for k, other in enumerate(a.opposes):
            if other not in affs:
                where = _field_loc(cat, "affiliations", a.id, ("opposes", k))
                problems.append(Problem(where, f"affiliations[{a.id}].opposes[{k}]", f"unknown affiliation {other!r}",
                                        code="dangling-reference"))
    for ind in cat.indicators:
        for aid in ind.likelihoods:
            if aid not in affs:
                where = _field_loc(cat, "indicators", ind.id, ("likelihoods", aid), True)
                problems.append(Problem(where, f"indicators[{ind.id}].likelihoods", f"unknown affiliation {aid!r}", code="dangling-reference"))
    items = {e.id for e in cat.equipment}
    for ct in cat.counts:
        for i, row in enumerate(ct.rows):
            if row["item"] not in items:
                where = _field_loc(cat, "counts", ct.id, ("rows", i, "item"))
                problems.append(Problem(where, f"counts[{ct.id}].rows[{i}].item", f"unknown item {row['item']!r}", code="dangling-reference"))
        for side, aid in ct.sides.items():
            if aid not in affs:
                where = _field_loc(cat, "counts", ct.id, ("sides", side))
                problems.append(Problem(where, f"counts[{ct.id}].sides.{side}", f"unknown affiliation {aid!r}", code="dangling-reference"))
    areas = {e.id for e in cat.equipment if e.category.value == "area"}
    for pl in cat.places:
        for k, h in enumerate(pl.held):
            if h.by not in areas:
                where = _field_loc(cat, "places", pl.id, ("held", k, "by"))
                what = "not an item of category area" if h.by in items else "unknown item"
                problems.append(Problem(where, f"places[{pl.id}].held[{k}].by", f"{what} {h.by!r}", code="dangling-reference"))
    place_ids = {pl.id for pl in cat.places}
    for pl in cat.places:
        for k, region in enumerate(pl.within):
            if region not in place_ids or region == pl.id:
                where = _field_loc(cat, "places", pl.id, ("within", k))
                problems.append(Problem(where, f"places[{pl.id}].within[{k}]", f"unknown place {region!r}" if region != pl.id
                                        else "a place cannot lie within itself", code="dangling-reference"))
    for pr in cat.priors:
        for k, pid in enumerate(pr.places):
            if pid not in place_ids:
                where = _field_loc(cat, "priors", pr.id, ("places", k))
                problems.append(Problem(where, f"priors[{pr.id}].places[{k}]", f"unknown place {pid!r}", code="dangling-reference"))
        for aid in pr.weights:
            if aid not in affs:
                where = _field_loc(cat, "priors", pr.id, ("weights", aid), True)
                problems.append(Problem(where, f"priors[{pr.id}].weights", f"unknown affiliation {aid!r}", code="dangling-reference"))
    return problems


def _field_loc(cat: Catalog, kind: str, rid: str, sub: tuple[Any, ...], of_key: bool = False) -> Location:
    """Location of a field inside a record (its key with ``of_key``), else the record's own."""
    slot = cat.slots.get((kind, rid))
    if slot is None or slot[0] not in cat.positions:
        return cat.locate(kind, rid)
    return cat.positions[slot[0]].locate((kind, slot[1], *sub), of_key=of_key)


def field_location(cat: Catalog, kind: str, rid: str, *sub: Any, of_key: bool = False) -> Location:
    """Where a field of a record stands (its value, or its key with ``of_key``), for lint."""
    return _field_loc(cat, kind, rid, tuple(sub), of_key)
