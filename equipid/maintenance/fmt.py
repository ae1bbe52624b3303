"""Canonical layout of catalog files, keeping every comment.

ruamel.yaml's round-trip mode keeps comments, quoting and flow or block style;
we only put keys in the canonical order of their record kind (the order of the
pydantic model's fields, which is the order docs/catalog-format.md shows) and
re-indent. Formatting is idempotent, and a result that would read back as
different data is refused, never written.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from equipid.catalog.conditions import REGISTRY
from equipid.catalog.yamlio import load_yaml
from equipid.errors import InputError, Location, Problem
from equipid.maintenance.files import atomic_write, require_inside, require_writable


def _model_order(model: Any) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def key_orders() -> dict[str, list[str]]:
    """Canonical key order of each record kind, from the models."""
    from equipid.catalog.kinds import models

    return {kind: _model_order(model) for kind, model in models().items()}


def _nested_orders() -> dict[str, list[str]]:
    from equipid.catalog.models import SourceRef, TestExpectation
    from equipid.catalog.ranges import DateRange

    return {
        "date-range": _model_order(DateRange),
        "source": _model_order(SourceRef),
        "expect": _model_order(TestExpectation),
        # CONTRACT.md section 2 order.
        "sighting": ["id", "date", "location", "country", "source", "text", "observed", "absent"],
        "location": ["name", "country", "lat", "lon", "admin", "region"],
        "observed": ["item", "attributes", "confidence", "count"],
    }


def top_order() -> list[str]:
    """Canonical order of the record kinds in a file."""
    from equipid.catalog.kinds import keys

    return list(keys())


def make_yaml() -> Any:
    """A ruamel.yaml round-trip instance with the catalog's layout."""
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096  # NOTE: never re-wrap prose; long lines are the author's choice
    y.indent(mapping=2, sequence=4, offset=2)
    y.allow_unicode = True
    y.brace_single_entry_mapping_in_flow_sequence = True
    return y


def _reorder(m: Any, order: Sequence[str]) -> None:
    """Put the keys of a ruamel mapping in ``order``, unknown keys last, comments kept."""
    from ruamel.yaml.comments import CommentedMap

    if not isinstance(m, CommentedMap):
        return
    keys = list(m.keys())
    wanted = [k for k in order if k in m] + [k for k in keys if k not in order]
    if wanted == keys:
        return
    for k in wanted:
        m.move_to_end(k)


def canonicalize(doc: Any) -> None:
    """Reorder, in place, every key of a round-trip catalog document."""
    orders = key_orders()
    nested = _nested_orders()
    _reorder(doc, top_order())
    if not isinstance(doc, dict):
        return
    for kind, records in doc.items():
        if kind not in orders or not isinstance(records, list):
            continue
        for rec in records:
            if not isinstance(rec, dict):
                continue
            _reorder(rec, orders[kind])
            for src in rec.get("sources") or ():
                _reorder(src, nested["source"])
            for k in ("in_service", "date"):
                _reorder(rec.get(k), nested["date-range"])
            if kind == "indicators":
                REGISTRY.tidy(rec.get("when"), _reorder)
            if kind == "tests":
                _reorder(rec.get("expect"), nested["expect"])
                sighting = rec.get("sighting")
                _reorder(sighting, nested["sighting"])
                if isinstance(sighting, dict):
                    _reorder(sighting.get("location"), nested["location"])
                    for o in sighting.get("observed") or ():
                        _reorder(o, nested["observed"])


def dump(doc: Any) -> str:
    """Text of a round-trip document in the canonical layout."""
    out = io.StringIO()
    make_yaml().dump(doc, out)
    return out.getvalue()


def format_text(text: str, where: str) -> str:
    """The canonical form of one catalog file's text.

    Raises :class:`InputError` (with a position) for text that is not safe,
    well-formed YAML, and when the result would not read back as the same data.
    """
    before, _ = load_yaml(text, where)  # the strict reader: positions, duplicate keys, safe tags
    if before is None:
        return text
    from ruamel.yaml.error import YAMLError

    try:
        doc = make_yaml().load(text)
    except YAMLError as exc:  # pragma: no cover - load_yaml refuses first
        raise InputError(f"YAML: {exc}", Location(where)) from None
    canonicalize(doc)
    new = dump(doc)
    after, _ = load_yaml(new, where)
    if after != before:
        raise InputError("formatting would change the data; file left as it is (please report this)", Location(where, 1, 1))
    return new


@dataclass
class FmtReport:
    """What ``fmt`` did or would do."""

    changed: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def target_files(dirs: Sequence[Path], paths: Iterable[Path]) -> list[Path]:
    """The catalog files to format: every file of ``dirs``, or those under ``paths``.

    Raises :class:`InputError` for a path outside the catalog directories.
    """
    from equipid.catalog.locate import catalog_files

    chosen = list(paths)
    if not chosen:
        files = [p for _, p in catalog_files(dirs)]
    else:
        files = []
        for p in chosen:
            if not p.exists():
                raise InputError(f"{p}: no such file or directory")
            require_inside(p, dirs)
            files.extend(q for _, q in catalog_files([p]))
    for f in files:
        require_inside(f, dirs)
    return list(dict.fromkeys(files))


def fmt(dirs: Sequence[Path], paths: Iterable[Path] = (), *, check: bool = False) -> FmtReport:
    """Format catalog files in place (atomically), or with ``check`` only report what would change.

    Raises :class:`InputError`, writing nothing, when a file to rewrite lies
    in an installed package (the bundled catalog of a plain install).
    """
    report = FmtReport()
    rewrites: list[tuple[Path, str]] = []
    for path in target_files(dirs, paths):
        where = str(path)
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            report.problems.append(Problem(Location(where, 1, 1), "", f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
            continue
        except OSError as exc:
            report.problems.append(Problem(Location(where), "", f"cannot read: {exc.strerror}"))
            continue
        try:
            new = format_text(text, where)
        except InputError as exc:
            report.problems.append(Problem(exc.location or Location(where), "", str(exc.args[0])))
            continue
        if new == text:
            report.unchanged.append(path)
            continue
        report.changed.append(path)
        rewrites.append((path, new))
    if not check:
        for path, _ in rewrites:
            require_writable(path)  # NOTE: all checked before any file is written
        for path, new in rewrites:
            atomic_write(path, new)
    return report
