"""Running lint: load the catalog (keeping going past broken records), run every validator, sort the issues."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from equipid.catalog.kinds import keys
from equipid.catalog.loader import Catalog, load_catalog
from equipid.errors import Location, Problem
from equipid.maintenance.lint.base import CATALOG_WIDE, Issue, LintContext, Severity
from equipid.maintenance.lint.validators import VALIDATORS

# -- running ---------------------------------------------------------------

#: The codes of problems the loader finds (schema and YAML), beside the validators' codes.
LOADER_CODES: dict[str, tuple[Severity, str]] = {
    "schema": (Severity.ERROR, "a record does not match the catalog format (a missing or unknown key, a wrong type or value)"),
    "yaml-syntax": (Severity.ERROR, "a file is not valid YAML, or names a key twice"),
    "unreadable-file": (Severity.ERROR, "a file cannot be read, or is not UTF-8 text"),
    "duplicate-id": (Severity.ERROR, "two records of one kind share an id (in one layer or across layers)"),
    "date-order": (Severity.ERROR, "a date range ends before it begins"),
}


def _from_problem(p: Problem) -> Issue:
    """A loader problem as a lint issue, with a code naming what it is."""
    return Issue(p.code, Severity(p.severity) if p.severity in Severity._value2member_map_ else Severity.ERROR,
                 p.location, p.field, p.message)


@dataclass
class LintResult:
    """The issues of one lint run, sorted by place."""

    issues: list[Issue]

    def count(self, severity: Severity) -> int:
        """How many issues of ``severity``."""
        return sum(1 for i in self.issues if i.severity is severity)

    def exit_code(self, strict: bool = False) -> int:
        """2 with errors, 1 with warnings under ``strict``, else 0."""
        if self.count(Severity.ERROR):
            return 2
        if strict and self.count(Severity.WARNING):
            return 1
        return 0

    def summary(self) -> str:
        """One line: counts by severity."""
        e, w, i = (self.count(s) for s in Severity)
        return f"{e} error(s), {w} warning(s), {i} info(s)"


def _refused_records(cat: Catalog, problems: list[Problem]) -> Iterator[tuple[str, str, dict[str, Any], Callable[..., Location]]]:
    """(kind, label, raw record, locator) of every record the loader did not take (schema error, duplicate id)."""
    from equipid.catalog.yamlio import load_yaml
    from equipid.errors import InputError

    taken = {(f, kind, i) for (kind, _), (f, i) in cat.slots.items()}
    for where in dict.fromkeys(p.location.path for p in problems):
        pos = cat.positions.get(where)
        if pos is None:
            continue
        try:
            data, _ = load_yaml(Path(where).read_bytes().decode("utf-8-sig"), where)
        except (OSError, UnicodeDecodeError, InputError):
            continue
        if not isinstance(data, dict):
            continue
        for kind, records in data.items():
            if kind not in _KINDS or not isinstance(records, list):
                continue
            for i, rec in enumerate(records):
                if isinstance(rec, dict) and (where, kind, i) not in taken:
                    rid = rec.get("id")
                    label = f"{kind}[{rid if isinstance(rid, str) else i}]"
                    yield kind, label, rec, _locator(pos, kind, i)


def _locator(pos: Any, kind: str, i: int) -> Callable[..., Location]:
    return lambda *sub: pos.locate((kind, i, *sub))


_KINDS = keys()


def lint(dirs: Sequence[Path], only: Sequence[Path] = ()) -> LintResult:
    """Lint the catalog layers ``dirs``; keep only issues in ``only`` when given.

    Never raises for a broken catalog: schema problems become issues, the
    records that did validate are checked as usual, and those that did not
    still have their sources and names checked as written.
    """
    problems: list[Problem] = []
    cat = load_catalog(dirs, collect=problems)
    issues = [_from_problem(p) for p in problems]
    ctx = LintContext.build(cat)
    validators = [cls(ctx) for cls in VALIDATORS.values()]
    for kind in _KINDS:
        for rec in getattr(cat, kind):
            for v in validators:
                issues.extend(v.validate(kind, rec))
    for kind, label, raw, at in _refused_records(cat, problems):
        for v in validators:
            issues.extend(v.validate_raw(kind, label, raw, at))
    for v in validators:
        issues.extend(v.finalize())
    if only:
        issues = [i for i in issues if _under(i.location.path, only)]
    return _result(issues)


def _result(issues: list[Issue]) -> LintResult:
    """Issues without repeats, sorted by place."""
    issues = list(dict.fromkeys(issues))
    issues.sort(key=lambda i: (i.location.path == CATALOG_WIDE, i.location.path, i.location.line or 0,
                               i.location.column or 0, i.severity.rank, i.code))
    return LintResult(issues)


#: The file that marks a catalog directory (every catalog defines its affiliations).
CATALOG_MARKER = "affiliations.yaml"


def catalog_root(path: Path) -> Path | None:
    """The catalog directory ``path`` belongs to: the nearest directory at or above it holding ``affiliations.yaml``."""
    start = path.resolve()
    for d in (start, *start.parents) if start.is_dir() else start.parents:
        if (d / CATALOG_MARKER).is_file():
            return d
    return None


def lint_paths(dirs: Sequence[Path], paths: Sequence[Path]) -> LintResult:
    """Lint the files or directories ``paths``, each as part of the catalog it belongs to.

    ``dirs`` is the selected catalog (``dirs[0]``) and the layers on top of
    it. A path inside ``dirs`` is linted with them. A path outside them that
    lies in another catalog directory (see :func:`catalog_root`) is linted
    with that catalog in place of ``dirs[0]``, so a checkout's file is never
    compared with an installed copy of itself. A path that belongs to no
    catalog is linted as one more layer on top of ``dirs``. Only issues in
    ``paths`` are kept.
    """
    from equipid.maintenance.files import inside

    groups: dict[tuple[Path, ...], list[Path]] = {}
    layered: list[Path] = []
    for p in paths:
        root = None if inside(p, dirs) is not None else catalog_root(p)
        if root is not None:
            groups.setdefault((root, *dirs[1:]), []).append(p)
        else:
            layered.append(p)
    if layered:
        extra = [p for p in layered if inside(p, dirs) is None]
        groups[(*dirs, *extra)] = layered
    issues: list[Issue] = []
    for layers, only in groups.items():
        issues.extend(lint(layers, only=only).issues)
    return _result(issues)


def lint_new_file(dirs: Sequence[Path], path: Path, text: str) -> LintResult:
    """The errors and warnings that writing a new file ``text`` at ``path`` would add to the lint of ``dirs``.

    The catalog is linted as it would be with the file in place, without
    touching it: the layer that will hold ``path`` is mirrored (linked file by
    file) into a temporary directory where the new file is written. Issues the
    catalog has already are left out. Raises :class:`InputError` when ``path``
    lies in no layer.
    """
    import shutil
    import tempfile

    from equipid.catalog.locate import catalog_files
    from equipid.errors import InputError

    catalog_files(dirs)  # a missing catalog directory is an InputError saying so
    layer = next((d for d in dirs if d.is_dir() and (path.resolve() == d.resolve() or path.resolve().is_relative_to(d.resolve()))), None)
    if layer is None:
        raise InputError(f"{path}: not inside a catalog directory ({', '.join(map(str, dirs))})")
    rel = path.resolve().relative_to(layer.resolve())
    with tempfile.TemporaryDirectory(prefix="equipid-lint-") as tmp:
        mirror = Path(tmp) / "catalog"
        mirror.mkdir()
        for _, f in catalog_files([layer]):
            dest = mirror / f.relative_to(layer)
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.symlink(f.resolve(), dest)
            except OSError:  # NOTE: no symbolic links here (Windows without the right); copy instead
                shutil.copyfile(f, dest)
        new = mirror / rel
        new.parent.mkdir(parents=True, exist_ok=True)
        new.write_text(text, encoding="utf-8")
        after = lint([mirror if d is layer else d for d in dirs])
    moved = [_moved(i, str(mirror), str(layer)) for i in after.issues if i.severity is not Severity.INFO]
    if not moved:
        return LintResult([])
    before = set(lint(dirs).issues)
    return LintResult([i for i in moved if i not in before])


def _moved(i: Issue, old: str, new: str) -> Issue:
    """``i`` with the paths below ``old`` (in its location and message) put below ``new``."""
    loc = i.location
    path = new + loc.path[len(old):] if loc.path.startswith(old) else loc.path
    return Issue(i.code, i.severity, Location(path, loc.line, loc.column), i.field, i.message.replace(old, new))


def _under(path: str, only: Sequence[Path]) -> bool:
    if path == CATALOG_WIDE:
        return False
    p = Path(path).resolve()
    return any(p == o.resolve() or p.is_relative_to(o.resolve()) for o in only)


# -- reporters -------------------------------------------------------------
