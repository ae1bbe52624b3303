"""Safe writes for the commands that change files (fmt, new, -o outputs).

A file is written to a temporary file in the same directory and renamed over
(or, for new files, linked into) its target, so a crash or a full disk never
leaves a half-written catalog file. Paths are checked to lie inside one of the
catalog directories after resolving symbolic links, and outside any installed
package (the bundled catalog of an installed equipid is never changed).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from equipid.errors import InputError


def inside(path: Path, roots: Sequence[Path]) -> Path | None:
    """The root among ``roots`` that ``path`` lies in (symlinks resolved), else None."""
    real = path.resolve()
    for root in roots:
        r = root.resolve()
        if real == r or real.is_relative_to(r):
            return root
    return None


def require_inside(path: Path, roots: Sequence[Path]) -> None:
    """Refuse ``path`` unless it lies inside one of the catalog directories."""
    if inside(path, roots) is None:
        shown = ", ".join(str(r) for r in roots)
        raise InputError(f"{path}: refusing to write outside the catalog directory ({shown})")


def installed_roots() -> list[Path]:
    """Directories that hold installed packages: equipid's own, and every site-packages.

    The bundled catalog of an installed equipid lies in the package
    (``equipid/_catalog``, see :func:`equipid.catalog.locate.bundled_catalog`); in a
    development checkout (an editable install) it is the ``catalog/``
    directory beside ``pyproject.toml``, which lies in neither.
    """
    import site
    import sysconfig

    import equipid

    roots = [Path(equipid.__file__).resolve().parent]
    paths = sysconfig.get_paths()
    roots += [Path(paths[k]) for k in ("purelib", "platlib") if k in paths]
    roots += [Path(p) for p in site.getsitepackages()]
    if site.ENABLE_USER_SITE:
        roots.append(Path(site.getusersitepackages()))
    return list(dict.fromkeys(roots))


def require_writable(path: Path) -> None:
    """Refuse ``path`` when it lies in an installed package (the bundled catalog is read-only package data)."""
    root = inside(path, installed_roots())
    if root is not None:
        raise InputError(
            f"{path}: refusing to write into an installed package ({root}); the bundled catalog is read-only "
            "package data. Pass --catalog DIR (or set EQUIPID_CATALOG) to work on your team's own catalog"
        )


def atomic_write(path: Path, text: str, *, overwrite: bool = True) -> None:
    """Write ``text`` to ``path`` atomically (:mod:`equipid.output.atomic`); with ``overwrite=False`` never replace a file.

    Raises :class:`InputError` when the file exists (and may not be replaced)
    or cannot be written.
    """
    from equipid.output.atomic import WriteError, write_atomic

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text.encode("utf-8"), overwrite=overwrite, durable=True)
    except FileExistsError:
        raise InputError(f"{path}: already exists; refusing to overwrite it") from None
    except WriteError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror}") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror}") from None
