"""Safe writes for the commands that change files (fmt, new, -o outputs).

A file is written to a temporary file in the same directory and renamed over
(or, for new files, linked into) its target, so a crash or a full disk never
leaves a half-written catalog file. Paths are checked to lie inside one of the
catalog directories after resolving symbolic links, and outside any installed
package (the bundled catalog of an installed equipid is never changed).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
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
    """Write ``text`` to ``path`` atomically; with ``overwrite=False`` never replace a file.

    Raises :class:`InputError` when the file exists (and may not be replaced)
    or cannot be written.
    """
    data = text.encode("utf-8")
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        mode = _mode_for(path)
        os.chmod(tmp, mode)
        if overwrite:
            os.replace(tmp, path)
        else:
            _link_new(Path(tmp), path)
    except FileExistsError:
        raise InputError(f"{path}: already exists; refusing to overwrite it") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; new files get 0o666 less the umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _link_new(tmp: Path, path: Path) -> None:
    """Put ``tmp`` at ``path`` only if nothing is there (atomic where hard links work)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:
        # NOTE: some file systems have no hard links; fall back to an exclusive create.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _mode_for(path))
        with os.fdopen(fd, "wb") as f:
            f.write(tmp.read_bytes())
