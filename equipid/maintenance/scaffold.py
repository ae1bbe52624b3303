"""``catalog new``: scaffold one record into a new file, validated first.

The command layer gathers fields (from flags, or by prompting on a terminal
for what :func:`missing` names); :func:`create` builds the record, checks it
against its model, lints the catalog as it would be with the new file (any
lint error it would add refuses it), and writes a new, formatted file without
ever replacing one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from equipid.catalog.kinds import KINDS as RECORD_KINDS
from equipid.errors import InputError
from equipid.maintenance.files import atomic_write, require_inside, require_writable

#: The names `catalog new` takes, and the catalog key each record goes under.
KINDS: dict[str, str] = {k.singular: k.key for k in RECORD_KINDS.values() if k.scaffold}

#: Fields without which a record of each kind does not validate (``id`` is derived from the name).
REQUIRED: dict[str, tuple[str, ...]] = {
    "equipment": ("name", "category", "sources"),
    "affiliation": ("name", "sources"),
    "indicator": ("name", "when", "likelihoods", "rationale", "sources"),
}

#: The command-line flag that gives each required field.
FLAGS: dict[str, str] = {"sources": "--source", "likelihoods": "--likelihood", "when": "--item or --when"}

#: Where a new record's file goes, below the catalog directory.
SUBDIR: dict[str, str] = dict(KINDS)


def slug_for(name: str) -> str:
    """A catalog id from a name: folded, transliterated, hyphen-separated."""
    from equipid.normalize import fold

    return "-".join(fold(name).split())


def _blank(v: Any) -> bool:
    return v is None or v == "" or v == [] or v == () or v == {}


def missing(kind: str, fields: dict[str, Any]) -> list[str]:
    """The required fields still empty in ``fields``."""
    return [f for f in REQUIRED[kind] if _blank(fields.get(f))]


def parse_likelihoods(pairs: Sequence[str]) -> dict[str, str]:
    """``["ru-sof=characteristic", ...]`` as a mapping; raise InputError naming a bad pair."""
    out: dict[str, str] = {}
    for pair in pairs:
        for part in (p.strip() for p in pair.split(",")):
            if not part:
                continue
            sep = "=" if "=" in part else ":"
            aid, _, word = part.partition(sep)
            if not aid.strip() or not word.strip():
                raise InputError(f"likelihood {part!r}: write AFFILIATION=WORD, e.g. ru-sof=characteristic")
            out[aid.strip()] = word.strip()
    return out


def parse_condition(text: str) -> Any:
    """A condition given as YAML or JSON text (``{item: mib}``)."""
    from equipid.catalog.yamlio import load_yaml

    data, _ = load_yaml(text, "--when")
    return data


def _year(v: Any) -> Any:
    """A bare year as a number, as the catalog writes it (``from: 1991``)."""
    return int(v) if isinstance(v, str) and v.isdigit() and len(v) == 4 else v


def build_record(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    """The record ``fields`` describe, in canonical key order, empty fields left out."""
    f = dict(fields)
    if _blank(f.get("id")) and not _blank(f.get("name")):
        f["id"] = slug_for(str(f["name"]))
    rec: dict[str, Any] = {}
    if kind == "equipment":
        start, until = f.get("in_service_from"), f.get("in_service_until")
        in_service = {k: _year(v) for k, v in (("from", start), ("until", until)) if not _blank(v)}
        pairs = [
            ("id", f.get("id")), ("name", f.get("name")), ("category", f.get("category")),
            ("aliases", list(f.get("aliases") or ())), ("variant_of", f.get("variant_of")),
            ("origin", f.get("origin")), ("in_service", in_service), ("operators", list(f.get("operators") or ())),
            ("recognition", f.get("recognition")), ("notes", f.get("notes")),
        ]
    elif kind == "affiliation":
        pairs = [
            ("id", f.get("id")), ("name", f.get("name")), ("parent", f.get("parent")),
            ("theatres", list(f.get("theatres") or ())), ("notes", f.get("notes")),
        ]
    elif kind == "indicator":
        when = f.get("when")
        pairs = [
            ("id", f.get("id")), ("name", f.get("name")), ("when", when),
            ("likelihoods", dict(f.get("likelihoods") or {})), ("default", f.get("default") or "rare"),
            ("supersedes", list(f.get("supersedes") or ())), ("alternatives", f.get("alternatives")),
            ("rationale", f.get("rationale")),
        ]
    else:
        raise InputError(f"unknown record kind {kind!r}; use one of {', '.join(KINDS)}")
    pairs.append(("sources", list(f.get("sources") or ())))
    for k, v in pairs:
        if not _blank(v):
            rec[k] = v
    return rec


def validate_record(kind: str, rec: dict[str, Any]) -> None:
    """Check ``rec`` against its model; raise InputError listing every problem.

    How the record fits the catalog (ids, references, aliases, sources) is
    checked by linting the catalog with the new file: see :func:`create`.
    """
    from pydantic import ValidationError

    from equipid.catalog.kinds import models

    MODELS = models()

    msgs: list[str] = []
    try:
        MODELS[KINDS[kind]].model_validate(rec)
    except ValidationError as exc:
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"] if not _is_branch(p)) or kind
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "unknown key"
            msgs.append(msg if msg.startswith((f"{where}:", f"{where}.")) else f"{where}: {msg}")
        raise InputError(f"the new {kind} does not validate:\n  " + "\n  ".join(dict.fromkeys(msgs))) from None


def _is_branch(p: Any) -> bool:
    return isinstance(p, str) and (any(ch in p for ch in "[(") or p in {"str", "SourceRef", "function-after"})


def _styled(v: Any, key: str = "") -> Any:
    """ruamel containers in the catalog's house style: short things in flow style."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(v, dict):
        m = CommentedMap((k, _styled(x, k)) for k, x in v.items())
        if key not in ("likelihoods", "weights") and all(not isinstance(x, (dict, list)) for x in v.values()):
            m.fa.set_flow_style()
        return m
    if isinstance(v, list):
        s = CommentedSeq(_styled(x) for x in v)
        if key != "sources" and all(not isinstance(x, (dict, list)) for x in v):
            s.fa.set_flow_style()
        return s
    return v


def render(kind: str, rec: dict[str, Any]) -> str:
    """The text of a new file holding ``rec`` alone, formatted like the catalog."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from equipid.maintenance.fmt import canonicalize, dump, format_text

    body = CommentedMap((k, _styled(v, k)) for k, v in rec.items())
    doc = CommentedMap([(KINDS[kind], CommentedSeq([body]))])
    canonicalize(doc)
    return format_text(dump(doc), "<new>")


def default_path(dirs: Sequence[Path], kind: str, rid: str) -> Path:
    """``<catalog>/<kind dir>/<id>.yaml`` in the first catalog layer."""
    return dirs[0] / SUBDIR[kind] / f"{rid}.yaml"


@dataclass
class Created:
    """A record written by :func:`create`: its file, and the lint warnings it brings."""

    path: Path
    warnings: list[str] = field(default_factory=list)
    """Lint warnings (not errors) the new file adds: ``lint --strict`` will report them."""


def create(dirs: Sequence[Path], kind: str, fields: dict[str, Any], path: Path | None = None) -> Created:
    """Build, validate and write a new record; return the new file's path.

    The catalog is linted as it would be with the new file; any lint error
    the file would add (a clashing alias, an invisible character, a dangling
    reference, a malformed source, a duplicate id) refuses it.

    Raises :class:`InputError` when a field is missing or invalid, the new
    file would add lint errors, the target lies outside the catalog
    directories or in the bundled catalog of an installed package, or the
    file already exists.
    """
    from equipid.maintenance.lint import LintResult, Severity, lint_new_file
    from equipid.maintenance.lint import format_text as lint_lines

    if kind not in KINDS:
        raise InputError(f"unknown record kind {kind!r}; use one of {', '.join(KINDS)}")
    need = missing(kind, fields)
    if need:
        flags = ", ".join(FLAGS.get(n, "--" + n) for n in need)
        raise InputError(f"missing {', '.join(need)}: give {flags} (or run on a terminal to be asked)")
    rec = build_record(kind, fields)
    validate_record(kind, rec)
    target = path if path is not None else default_path(dirs, kind, rec["id"])
    if target.suffix not in (".yaml", ".yml"):
        raise InputError(f"{target}: a catalog file ends in .yaml")
    require_inside(target, dirs)
    require_writable(target)
    if target.exists():
        raise InputError(f"{target}: already exists; refusing to overwrite it (choose another path with --file)")
    text = render(kind, rec)
    added = lint_new_file(dirs, target, text)
    errors = [i for i in added.issues if i.severity is Severity.ERROR]
    if errors:
        raise InputError(f"the new {kind} would not pass lint; nothing written:\n" + lint_lines(LintResult(errors)).rstrip("\n"))
    atomic_write(target, text, overwrite=False)
    return Created(target, [str(i) for i in added.issues if i.severity is Severity.WARNING])
