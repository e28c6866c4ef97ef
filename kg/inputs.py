"""Reading what users give us, with bounds: regular files only, sizes checked while reading.

A size checked by ``stat`` alone is no bound: ``/dev/zero`` and a FIFO report size 0, and
an endless stdin has no size at all. So every input is opened first, checked to be a
regular file on the open descriptor (no race with a rename), and read up to its limit plus
one byte: more than the limit is refused, whatever ``stat`` said. Opening a FIFO would
block until someone writes to it, so files are opened non-blocking.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "q.rq"
>>> _ = path.write_text("ASK {}")
>>> read_bytes(path, limit=100, what="query")
b'ASK {}'
>>> read_bytes(path, limit=3, what="query")
Traceback (most recent call last):
...
kg.inputs.InputError: ...q.rq: query is 6 bytes, more than the 3 allowed
"""

from __future__ import annotations

import io
import os
import stat
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

from kg.errors import KgError


class InputError(KgError, ValueError):
    """An input that cannot be read, or not safely; ``str()`` is one line naming it."""


def open_regular(path: str | Path, what: str = "file") -> BinaryIO:
    """Open ``path`` for reading if it is a regular file (following symlinks)."""
    name = str(path)
    try:
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(f"{name}: no such {what}") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a folder, not a {what}") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
        raise InputError(f"{name}: is {kind}; give a regular {what}")
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_bytes(path: str | Path, *, limit: int, what: str = "file") -> bytes:
    """The bytes of a regular file, at most ``limit`` of them (else :class:`InputError`).

    A file whose size already says it is too large is refused before any byte is read;
    the read is bounded all the same (a file can grow while it is read)."""
    with open_regular(path, what) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limit:
            raise InputError(f"{path}: {what} is {size:,} bytes, more than the {limit:,} allowed")
        return _bounded(handle, limit, f"{path}: {what}")


def require_built(path: str | Path) -> None:
    """Refuse a missing output of ``kg build`` (what ``kg query`` and ``kg push`` read by
    default) with the remedy, before anything else is asked or opened."""
    if not Path(path).is_file():
        raise InputError(f"{path}: no such file; run 'kg build' first or pass --data FILE")


def read_stdin(*, limit: int, what: str = "input") -> bytes:
    """Standard input, at most ``limit`` bytes: an endless stream is refused, not read."""
    return _bounded(sys.stdin.buffer, limit, f"-: {what}")


def _bounded(handle: BinaryIO, limit: int, shown: str) -> bytes:
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"{shown} is larger than the {limit:,} bytes allowed")
    return data


class BoundedReader(io.RawIOBase):
    """A file-like view of ``handle`` that raises :class:`InputError` past ``limit`` bytes.

    For parsers that read a stream themselves (Oxigraph's bulk loader): the bound holds
    while they read, instead of after.
    """

    def __init__(self, handle: BinaryIO, limit: int, shown: str):
        self.handle, self.limit, self.shown, self.seen = handle, limit, shown, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        chunk = self.handle.read(len(buffer))
        self.seen += len(chunk)
        if self.seen > self.limit:
            raise InputError(f"{self.shown} is larger than the {self.limit:,} bytes allowed")
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def close(self) -> None:
        self.handle.close()
        super().close()


class ChunkReader(io.RawIOBase):
    """A binary file whose bytes come from an iterator of chunks, read as they are needed."""

    def __init__(self, chunks: Iterable[bytes]):
        self.chunks = iter(chunks)
        self.pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self.pending:
            chunk = next(self.chunks, None)
            if chunk is None:
                return 0
            self.pending = memoryview(chunk)
        size = min(len(buffer), len(self.pending))
        buffer[:size] = self.pending[:size]
        self.pending = self.pending[size:]  # a view: nothing is copied
        return size
