"""Load the compiled catalog from a content-keyed cache.

The warm path reads the catalog files' bytes (to hash them), then unpickles
the compiled form: no pydantic, no YAML parsing. A cache entry that is stale
(another hash), foreign (another format version) or corrupt is rebuilt, never
trusted. The cache lives in the user cache directory, never in the package.

Unpickling runs code named in the file, so an entry is authenticated before
it is read: it carries a keyed BLAKE2b MAC of its bytes, made with a random
key private to the user (``key`` in the cache directory, mode 0600). A file
written by anyone without that key is rebuilt, never unpickled.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import sys
from collections.abc import Sequence
from pathlib import Path

from equipid.catalog.compiled import FORMAT_VERSION, Compiled

_MAGIC = b"equipid-compiled\n"


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
    from equipid.catalog.locate import catalog_files

    h = hashlib.blake2b(digest_size=20)
    h.update(b"v%d" % FORMAT_VERSION)
    # NOTE: the likelihood numbers are compiled in, so a refit makes a new entry.
    from equipid.catalog.fitted import FITTED

    h.update(repr(FITTED["likelihood"]).encode())
    for layer, path in catalog_files(dirs):
        root = dirs[layer]
        rel = path.relative_to(root) if path != root else Path(path.name)
        data = path.read_bytes()
        h.update(b"%d\0%s\0%d\0" % (layer, str(rel).encode(), len(data)))
        h.update(data)
    return h.hexdigest()


_MAC_SIZE = 32


def _user_key(directory: Path, *, create: bool) -> bytes | None:
    """The user's cache key, made on first use; None if it is missing or not private."""
    path = directory / "key"
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        if not create:
            return None
        try:
            directory.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError:
            return None
        with os.fdopen(fd, "wb") as f:
            f.write(os.urandom(_MAC_SIZE))
        return _user_key(directory, create=False)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        # NOTE: a key others can read or write authenticates nothing.
        if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & 0o077):
            return None
        key = f.read(_MAC_SIZE + 1)
    return key if len(key) == _MAC_SIZE else None


def _mac(key: bytes, data: bytes) -> bytes:
    return hashlib.blake2b(data, key=key, digest_size=_MAC_SIZE).digest()


def _read_cache(path: Path, digest: str) -> Compiled | None:
    key = _user_key(path.parent, create=False)
    if key is None:
        return None
    try:
        with open(path, "rb") as f:
            blob = f.read()
    except OSError:
        return None
    head = len(_MAGIC) + _MAC_SIZE
    if len(blob) <= head or not blob.startswith(_MAGIC):
        return None
    data = blob[head:]
    if not hmac.compare_digest(blob[len(_MAGIC):head], _mac(key, data)):
        return None
    try:
        obj = pickle.loads(data)
    except Exception:  # noqa: BLE001 - any unreadable cache is simply rebuilt
        return None
    if not isinstance(obj, Compiled) or obj.version != FORMAT_VERSION or obj.digest != digest:
        return None
    return obj


def _write_cache(path: Path, compiled: Compiled) -> None:
    key = _user_key(path.parent, create=True)
    if key is None:
        return  # NOTE: no private key, no cache: only speed is lost
    from equipid.output.atomic import write_atomic

    data = pickle.dumps(compiled, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        write_atomic(path, _MAGIC + _mac(key, data) + data, new_mode=0o600, durable=False)
    except OSError:
        pass  # NOTE: a read-only cache dir only costs speed, never correctness (WriteError is an OSError)


def load_compiled(dirs: Sequence[Path], *, use_cache: bool = True) -> Compiled:
    """The compiled catalog for ``dirs``, from the cache when it is fresh."""
    digest = catalog_digest(dirs)
    path = cache_dir() / f"catalog-{digest}.pickle"
    if use_cache:
        hit = _read_cache(path, digest)
        if hit is not None:
            return hit
    from equipid.catalog.compiler import compile_catalog
    from equipid.catalog.loader import load_catalog

    compiled = compile_catalog(load_catalog(dirs), digest)
    if use_cache:
        _write_cache(path, compiled)
    return compiled
