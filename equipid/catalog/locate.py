"""Find the catalog: the bundled one, or the layers named by options and the environment."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from equipid.errors import InputError


def bundled_catalog() -> Path:
    """The catalog shipped with the package (or beside it in a checkout)."""
    package = Path(__file__).resolve().parent.parent
    shipped = package / "_catalog"
    if shipped.is_dir():
        return shipped
    return package.parent / "catalog"


def catalog_dirs(catalog: str | os.PathLike[str] | None = None, extend: Sequence[str | os.PathLike[str]] = ()) -> list[Path]:
    """The layers to load: ``catalog`` or $EQUIPID_CATALOG or the bundled one, then ``extend``."""
    base = catalog or os.environ.get("EQUIPID_CATALOG") or bundled_catalog()
    for p in (base, *extend):
        _check(p)
    layers = [Path(base)]
    for e in extend:  # NOTE: a layer named twice is one layer, not a clash with itself
        if all(Path(e).resolve() != d.resolve() for d in layers):
            layers.append(Path(e))
    return layers


def _check(path: str | os.PathLike[str]) -> None:
    """Refuse a catalog path the system cannot even look at (a name too long, a loop of links), with a message."""
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return  # NOTE: the loader says what is missing
    except OSError as exc:
        shown = str(path) if len(str(path)) <= 80 else str(path)[:77] + "..."
        raise InputError(f"catalog {shown}: {exc.strerror}") from None


def catalog_files(dirs: Iterable[Path]) -> list[tuple[int, Path]]:
    """The YAML files of each layer, in a stable order: (layer, path)."""
    out: list[tuple[int, Path]] = []
    for layer, d in enumerate(dirs):
        if d.is_file():
            out.append((layer, d))
            continue
        if not d.is_dir():
            raise InputError(f"catalog directory {str(d)!r} does not exist")
        files = sorted(p for p in d.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
        out.extend((layer, p) for p in files)
    return out
