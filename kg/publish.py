"""Outputs appear whole or not at all: atomic files, folders swapped in one step, locks.

A reader of ``out/kg.ttl`` must never see half a file, and never ``kg.ttl`` of one build
beside ``kg.trig`` of another — whether the build was killed, ran out of disk, or raced a
second build. Three tools:

* :func:`atomic_open` / :func:`write_bytes` — one file: written beside the target under a
  temporary name, fsynced, renamed over it (``os.replace`` is atomic on POSIX).
* :func:`staged_dir` — one folder (an on-disk store): built beside the target and
  exchanged with it in one ``renameat2(RENAME_EXCHANGE)`` (two renames where the kernel
  lacks it).
* :func:`build_outputs` — the files of one build as a unit: they are written into a fresh
  folder ``out/.kg/build-…/``, and one symlink, ``out/.kg/current``, is switched to it
  atomically; ``out/kg.ttl`` and its siblings are symlinks through ``current``. A crash at
  any moment leaves ``current`` on a complete build, old or new.

Each takes a lock (``flock``) against a concurrent writer of the same target, and removes
the temporaries a killed writer left behind (their names carry the writer's pid, so a
live writer's are never touched). Every failure is an :class:`OutputError` naming the
path, in one line.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import hashlib
import json
import os
import re
import secrets
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from kg.errors import KgError

PRIVATE = ".kg"
"""The folder inside an output folder where builds are staged and kept."""


class OutputError(KgError, ValueError):
    """An output that cannot be written; ``str()`` is one line naming the path."""


def _fail(path: Path | str, exc: OSError, doing: str = "cannot write") -> OutputError:
    reason = exc.strerror or type(exc).__name__
    if exc.errno == errno.ENOSPC:
        reason = "no space left on the device; nothing was changed"
    elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        reason = f"{exc.strerror} (read-only or not yours?)"
    return OutputError(f"{path}: {doing}: {reason}")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stale(name: str, pattern: re.Pattern[str]) -> bool:
    """Whether ``name`` is one of our temporaries whose writer is dead."""
    match = pattern.fullmatch(name)
    return match is not None and not _alive(int(match["pid"]))


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _ensure_dir(path: Path, what: str = "folder") -> None:
    if path.exists() and not path.is_dir():
        raise OutputError(f"{path}: is a file, not a {what}")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"{path}: is a file, not a {what}") from None
    except OSError as exc:
        raise _fail(path, exc, "cannot create the folder") from None


# ---------------------------------------------------------------- one file


@contextlib.contextmanager
def atomic_open(target: str | Path) -> Iterator[BinaryIO]:
    """Open ``target`` for binary writing so that it appears whole or not at all.

    ``-`` yields stdout. Otherwise a temporary file ``.NAME.PID.RANDOM.tmp`` next to the
    target is written, flushed, fsynced and renamed over it; on any error it is removed
    and the old target is left untouched. Temporaries of dead writers are removed.
    """
    if str(target) == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    path = Path(target)
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; name a file to write")
    _ensure_dir(path.parent)
    pattern = re.compile(rf"\.{re.escape(path.name)}\.(?P<pid>\d+)\.\w+\.tmp")
    with contextlib.suppress(OSError):
        for entry in path.parent.iterdir():
            if _stale(entry.name, pattern):
                _remove(entry)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        handle = tmp.open("wb")
    except OSError as exc:
        raise _fail(path, exc) from None
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        _remove(tmp)
        raise _fail(path, exc) from None
    except BaseException:
        _remove(tmp)
        raise


def write_bytes(target: str | Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically (``-`` is stdout)."""
    with atomic_open(target) as handle:
        handle.write(data)


# ---------------------------------------------------------------- locks


@contextlib.contextmanager
def locked(lock_file: Path, what: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_file`` for writing ``what``; refuse if held."""
    _ensure_dir(lock_file.parent)
    try:
        fd = os.open(lock_file, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError as exc:
        raise _fail(lock_file, exc, "cannot lock") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise OutputError(
                f"{what}: another kg build (pid {holder}) is writing here; wait for it "
                "to finish and try again"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)


# ---------------------------------------------------------------- one folder


def exchange(a: Path, b: Path) -> None:
    """Swap two paths in one step (Linux ``renameat2``); two renames elsewhere."""
    libc = None
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.renameat2.argtypes = [
                ctypes.c_int,
                ctypes.c_char_p,
                ctypes.c_int,
                ctypes.c_char_p,
                ctypes.c_uint,
            ]
    if libc is not None:
        at_fdcwd, rename_exchange = -100, 2
        if libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS):  # EINVAL: the filesystem cannot
            raise OSError(code, os.strerror(code), str(b))
    parked = b.with_name(f"{b.name}.{os.getpid()}.swap")
    os.rename(b, parked)
    os.rename(a, b)
    os.rename(parked, a)


@contextlib.contextmanager
def staged_dir(target: Path) -> Iterator[Path]:
    """Yield an empty staging folder beside ``target``; on success it becomes ``target``.

    The caller fills the folder; when the block ends without an error the folder is
    exchanged with the old target (or renamed to it) in one step and the old one removed.
    On any error the staging folder is removed and ``target`` is as it was. The caller
    decides beforehand whether ``target`` may be replaced at all.
    """
    _ensure_dir(target.parent)
    pattern = re.compile(rf"\.{re.escape(target.name)}\.staging\.(?P<pid>\d+)\.\w+")
    with locked(target.parent / f".{target.name}.lock", target):
        for entry in target.parent.iterdir():
            if _stale(entry.name, pattern):
                _remove(entry)
        staging = target.with_name(f".{target.name}.staging.{os.getpid()}.{secrets.token_hex(4)}")
        _make_folder(staging)
        try:
            yield staging
            _fsync_dir(staging)
            if target.exists() or target.is_symlink():
                exchange(staging, target)
            else:
                os.rename(staging, target)
            _fsync_dir(target.parent)
        except OSError as exc:
            raise _fail(target, exc) from None
        finally:
            _remove(staging)  # after a swap: the old target


# ---------------------------------------------------------------- a build's outputs

_BUILD = re.compile(r"build-\d{8}T\d{6}-(?P<pid>\d+)-\w+")


@contextlib.contextmanager
def build_outputs(out: Path, after: Callable[[], None] | None = None) -> Iterator[Path]:
    """Yield a fresh folder for one build's files; on success they replace ``out``'s.

    ``after`` runs once the build is live (or its staging folder removed after a failure),
    while the lock is still held: the build cache is saved there, so that it never takes
    the space the outputs need.

    Layout: ``out/.kg/build-…/`` holds each build's files and a ``manifest.json`` (name,
    size and SHA-256 of each); ``out/.kg/current`` points at the live build; every output
    ``out/NAME`` is a symlink ``.kg/current/NAME``. Switching ``current`` is one atomic
    rename, so readers see one whole build or the other. The previous build is then
    removed, as are folders of builds that were killed. Files of ``out/`` that are not
    ours are never touched.
    """
    made = [p for p in (out, out / PRIVATE) if not p.exists()]
    _ensure_dir(out, "folder (--out names the folder the outputs go into)")
    private = out / PRIVATE
    _ensure_dir(private)
    try:
        with _locked_build(out, private, after) as staging:
            yield staging
    except BaseException:
        for folder in made:  # a failed first build leaves no trace
            if folder.exists() and not (private / "current").is_symlink():
                shutil.rmtree(folder, ignore_errors=True)
                break
        raise


@contextlib.contextmanager
def _locked_build(
    out: Path, private: Path, after: Callable[[], None] | None
) -> Iterator[Path]:
    with locked(private / "lock", out):
        try:
            yield from _swapped_build(out, private)
        finally:
            if after is not None:
                after()


def _swapped_build(out: Path, private: Path) -> Iterator[Path]:
    """The staging folder of one build; on success it becomes ``current``."""
    current = private / "current"
    live = os.readlink(current) if current.is_symlink() else None
    for entry in private.iterdir():
        if _BUILD.fullmatch(entry.name) and entry.name != live:
            _remove(entry)  # killed builds (we hold the lock: none is running)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    name = f"build-{stamp}-{os.getpid()}-{secrets.token_hex(3)}"
    staging = private / name
    _make_folder(staging)
    try:
        yield staging
        _seal(staging)
        link = private / f"current.{os.getpid()}.tmp"
        _remove(link)
        os.symlink(name, link)
        os.replace(link, current)
        _fsync_dir(private)
    except OSError as exc:
        _remove(staging)
        raise _fail(out, exc) from None
    except BaseException:
        _remove(staging)
        raise
    _link_outputs(out, staging)
    if live and live != name:
        _remove(private / live)


def _make_folder(staging: Path) -> None:
    """Make a fresh staging folder, or raise the one-line error naming it."""
    try:
        staging.mkdir()
    except OSError as exc:
        raise _fail(staging, exc, "cannot create the folder") from None


def _seal(folder: Path) -> None:
    """fsync every file and write the manifest, so a build is complete before it is live."""
    files = {}
    for path in sorted(folder.iterdir()):
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
            os.fsync(handle.fileno())
        files[path.name] = {"bytes": path.stat().st_size, "sha256": digest.hexdigest()}
    manifest = {"tool": "jiedao-kg", "files": files}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", "utf-8")
    _fsync_dir(folder)


def _link_outputs(out: Path, build: Path) -> None:
    """``out/NAME`` -> ``.kg/current/NAME`` for each file of the build; stale links go."""
    names = {p.name for p in build.iterdir()} - {"manifest.json"}
    for name in sorted(names):
        public = out / name
        wanted = f"{PRIVATE}/current/{name}"
        if public.is_symlink() and os.readlink(public) == wanted:
            continue
        if public.is_dir() and not public.is_symlink():
            raise OutputError(f"{public}: is a folder; the build cannot put {name} there")
        link = out / f".{name}.{os.getpid()}.link"
        _remove(link)
        os.symlink(wanted, link)
        os.replace(link, public)
    for entry in out.iterdir():
        ours = entry.is_symlink() and os.readlink(entry).startswith(f"{PRIVATE}/current/")
        if ours and entry.name not in names:
            entry.unlink()
