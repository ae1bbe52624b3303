"""Find the catalog, and load its compiled form from a content-keyed cache.

The warm path reads the catalog files' bytes (to hash them), then unpickles
the compiled form: no pydantic, no YAML parsing. A cache entry that is stale
(another hash), foreign (another format version) or corrupt is rebuilt, never
trusted. The cache lives in the user cache directory, never in the package.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from equipid.compiled import FORMAT_VERSION, Compiled

_MAGIC = b"equipid-compiled\n"


def bundled_catalog() -> Path:
    """The catalog shipped with the package (or beside it in a checkout)."""
    here = Path(__file__).resolve().parent
    shipped = here / "_catalog"
    if shipped.is_dir():
        return shipped
    return here.parent / "catalog"


def catalog_dirs(catalog: str | os.PathLike[str] | None = None, extend: Sequence[str | os.PathLike[str]] = ()) -> list[Path]:
    """The layers to load: ``catalog`` or $EQUIPID_CATALOG or the bundled one, then ``extend``."""
    base = catalog or os.environ.get("EQUIPID_CATALOG") or bundled_catalog()
    return [Path(base), *(Path(e) for e in extend)]


def cache_dir() -> Path:
    """$EQUIPID_CACHE_DIR, else the platform's user cache directory."""
    env = os.environ.get("EQUIPID_CACHE_DIR")
    if env:
        return Path(env)
    if sys.platform == "win32":
        root = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":
        root = Path.home() / "Library" / "Caches"
    else:
        root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return root / "equipid"


def catalog_digest(dirs: Sequence[Path]) -> str:
    """Hash of every catalog file's relative path and bytes, layer by layer."""
    from equipid.loader import catalog_files

    h = hashlib.blake2b(digest_size=20)
    h.update(b"v%d" % FORMAT_VERSION)
    for layer, path in catalog_files(dirs):
        root = dirs[layer]
        rel = path.relative_to(root) if path != root else Path(path.name)
        data = path.read_bytes()
        h.update(b"%d\0%s\0%d\0" % (layer, str(rel).encode(), len(data)))
        h.update(data)
    return h.hexdigest()


def _read_cache(path: Path, digest: str) -> Compiled | None:
    try:
        with open(path, "rb") as f:
            if f.read(len(_MAGIC)) != _MAGIC:
                return None
            obj = pickle.load(f)
    except Exception:  # noqa: BLE001 - any unreadable cache is simply rebuilt
        return None
    if not isinstance(obj, Compiled) or obj.version != FORMAT_VERSION or obj.digest != digest:
        return None
    return obj


def _write_cache(path: Path, compiled: Compiled) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pickle")
        with os.fdopen(fd, "wb") as f:
            f.write(_MAGIC)
            pickle.dump(compiled, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass  # NOTE: a read-only cache dir only costs speed, never correctness


def load_compiled(dirs: Sequence[Path], *, use_cache: bool = True) -> Compiled:
    """The compiled catalog for ``dirs``, from the cache when it is fresh."""
    digest = catalog_digest(dirs)
    path = cache_dir() / f"catalog-{digest}.pickle"
    if use_cache:
        hit = _read_cache(path, digest)
        if hit is not None:
            return hit
    from equipid.compiler import compile_catalog
    from equipid.loader import load_catalog

    compiled = compile_catalog(load_catalog(dirs), digest)
    if use_cache:
        _write_cache(path, compiled)
    return compiled
