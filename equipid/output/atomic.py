"""Writing an output file so that a failure never leaves a result that looks complete.

The one write path of every command that writes a file (``score -o``, the
catalog maintenance commands, the compiled-catalog cache):

* a regular file (or a new one) is written to a temporary file in the target's
  directory, which takes the target's mode and owner, and is renamed over the
  target only once everything is written: an interrupted or failed write
  leaves the old file as it was and no partial file behind;
* a symbolic link is followed: its target is written, the link stays a link;
* a device, FIFO or socket (``/dev/null``, ``/dev/stdout``, a named pipe) is
  written straight through, never replaced by a file;
* a directory is refused with a clear error.

Every OS error while writing (a full disk, a closed pipe, an I/O error) is
raised as :class:`WriteError`, whose message names the path and the error.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path
from typing import IO, Any

from equipid.errors import EquipidError


class WriteError(EquipidError, OSError):
    """An output could not be written: names the path and the OS error."""

    def __init__(self, path: str, strerror: str, code: int | None = None) -> None:
        OSError.__init__(self, code or 0, strerror)
        self.path = path
        self.strerror = strerror

    def __reduce__(self) -> tuple[Any, ...]:
        return (WriteError, (self.path, self.strerror, self.errno))

    def __str__(self) -> str:
        return f"cannot write {self.path}: {self.strerror}"


def write_error(path: str, exc: OSError) -> WriteError:
    """``exc`` (raised while writing ``path``) as a :class:`WriteError`."""
    if isinstance(exc, WriteError):
        return exc
    return WriteError(path, exc.strerror or str(exc), exc.errno)


class _Guarded:
    """A binary file whose OS errors on write, flush and close become :class:`WriteError`."""

    def __init__(self, f: IO[bytes], shown: str, keep_epipe: bool = False) -> None:
        self._f = f
        self._shown = shown
        self._keep_epipe = keep_epipe

    def _fail(self, exc: OSError) -> WriteError | OSError:
        if self._keep_epipe and exc.errno == errno.EPIPE:
            return exc
        return write_error(self._shown, exc)

    def write(self, data: bytes) -> int:
        try:
            return self._f.write(data)
        except OSError as exc:
            raise self._fail(exc) from None

    def flush(self) -> None:
        try:
            self._f.flush()
        except OSError as exc:
            raise self._fail(exc) from None

    def close(self) -> None:
        try:
            self._f.close()
        except OSError as exc:
            raise self._fail(exc) from None

    def fileno(self) -> int:
        return self._f.fileno()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._f, name)


def guard(f: IO[bytes], shown: str, *, keep_epipe: bool = False) -> IO[bytes]:
    """``f`` with its write errors raised as :class:`WriteError` naming ``shown`` (standard output, say)."""
    return _Guarded(f, shown, keep_epipe)  # type: ignore[return-value]


def _new_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


class AtomicFile:
    """An output file written as the module docstring says: ``f``, then :meth:`commit` or :meth:`abort`.

    ``new_mode`` is the mode of a file that does not exist yet (default: 0666
    less the umask); an existing file keeps its own. ``overwrite=False``
    refuses to replace an existing file (``FileExistsError`` at commit).
    ``durable`` syncs the data to disk before the rename.
    """

    def __init__(self, path: str | os.PathLike[str], *, new_mode: int | None = None, overwrite: bool = True,
                 durable: bool = False) -> None:
        self.path = str(path)
        self.overwrite = overwrite
        self.durable = durable
        self.tmp: str | None = None
        target = os.path.realpath(self.path)  # NOTE: a symbolic link is written through, not replaced
        self.target = target
        try:
            st: os.stat_result | None = os.stat(target)
        except FileNotFoundError:
            st = None
        except OSError as exc:
            raise write_error(self.path, exc) from None
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise WriteError(self.path, "is a directory; name a file", errno.EISDIR)
        self.special = st is not None and not stat.S_ISREG(st.st_mode)
        self._st = st
        try:
            if self.special:
                raw = open(target, "wb")  # noqa: SIM115 - closed by commit or abort
            else:
                fd, self.tmp = tempfile.mkstemp(dir=os.path.dirname(target), prefix=f".{os.path.basename(target)}.", suffix=".part")
                raw = os.fdopen(fd, "wb")
        except OSError as exc:
            raise write_error(self.path, exc) from None
        self.f: IO[bytes] = guard(raw, self.path)
        self._mode = (st.st_mode & 0o7777) if st is not None else (new_mode if new_mode is not None else _new_mode())

    def commit(self) -> None:
        """Finish the file: flush it and (for a regular file) rename it over the target."""
        try:
            self.f.flush()
            if self.durable and not self.special:
                os.fsync(self.f.fileno())
            self.f.close()
            if self.tmp is None:
                return
            os.chmod(self.tmp, self._mode)
            if self._st is not None and hasattr(os, "chown"):
                with contextlib.suppress(OSError):  # NOTE: only root may give a file away; others keep their own
                    if (self._st.st_uid, self._st.st_gid) != (os.getuid(), os.getgid()):
                        os.chown(self.tmp, self._st.st_uid, self._st.st_gid)
            if self.overwrite:
                os.replace(self.tmp, self.target)
            else:
                _link_new(self.tmp, self.target, self._mode)
            self.tmp = None
        except FileExistsError:
            self.abort()
            raise
        except OSError as exc:
            self.abort()
            raise write_error(self.path, exc) from None
        finally:
            if self.tmp is not None:
                self.abort()

    def abort(self) -> None:
        """Drop what was written: the temporary file is removed, the target left as it was."""
        with contextlib.suppress(OSError):
            self.f.close()
        if self.tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.tmp)
            self.tmp = None

    def __enter__(self) -> IO[bytes]:
        return self.f

    def __exit__(self, kind: Any, value: Any, tb: Any) -> None:
        if kind is None:
            self.commit()
        else:
            self.abort()


def write_atomic(path: str | os.PathLike[str], data: bytes, *, new_mode: int | None = None, overwrite: bool = True,
                 durable: bool = True) -> None:
    """Write ``data`` to ``path`` through :class:`AtomicFile`; raises :class:`WriteError` (or FileExistsError)."""
    with AtomicFile(path, new_mode=new_mode, overwrite=overwrite, durable=durable) as f:
        f.write(data)


def _link_new(tmp: str, path: str, mode: int) -> None:
    """Put ``tmp`` at ``path`` only if nothing is there (atomic where hard links work)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:
        # NOTE: some file systems have no hard links; fall back to an exclusive create.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        with os.fdopen(fd, "wb") as f:
            f.write(Path(tmp).read_bytes())
    os.unlink(tmp)
