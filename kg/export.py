"""Write a build to RDF files, atomically.

A reader of ``out/kg.ttl`` must never see half a file, even if the process is killed in the
middle of an export: every file is written to a temporary file in the same directory and
renamed over the target (``os.replace`` is atomic on POSIX). ``-`` writes to stdout.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, BinaryIO

from rdflib import Dataset, Graph

from kg.ontology import PREFIXES

RDF_FORMATS = {
    "turtle": ("ttl", "text/turtle"),
    "trig": ("trig", "application/trig"),
    "json-ld": ("jsonld", "application/ld+json"),
    "nt": ("nt", "application/n-triples"),
    "nquads": ("nq", "application/n-quads"),
}
"""Format name -> (file suffix, media type)."""


@contextlib.contextmanager
def atomic_open(target: str | Path) -> Iterator[BinaryIO]:
    """Open ``target`` for binary writing so that it appears whole or not at all.

    ``-`` yields stdout. Otherwise a temporary file next to the target is written, flushed,
    fsynced and renamed over it; on any error the temporary file is removed and the old
    target is left untouched.
    """
    if str(target) == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_bytes(target: str | Path, data: bytes) -> None:
    with atomic_open(target) as handle:
        handle.write(data)


def jsonld_context() -> dict[str, str]:
    """A local JSON-LD context: our prefixes, so no reader needs to fetch one."""
    return {prefix: str(ns) for prefix, ns in PREFIXES.items()}


def serialize(data: Graph | Dataset, fmt: str) -> bytes:
    """Serialize deterministically: the same graph always gives the same bytes.

    rdflib's Turtle and TriG serializers sort subjects and predicates; N-Triples and
    N-Quads lines are sorted here, since rdflib writes them in store order.
    """
    if fmt not in RDF_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(RDF_FORMATS)}")
    if fmt in ("nt", "nquads"):
        out = data.serialize(format="nt11" if fmt == "nt" else "nquads", encoding="utf-8")
        lines = sorted(set(out.splitlines(keepends=True)))
        return b"".join(line for line in lines if line.strip())
    if fmt == "json-ld":
        return data.serialize(format="json-ld", context=jsonld_context(), indent=1,
                              sort_keys=True, auto_compact=True, encoding="utf-8")
    if fmt == "turtle" and isinstance(data, Dataset):
        raise ValueError("use the union graph for Turtle (Build.union())")
    return data.serialize(format=fmt, encoding="utf-8")


def export(data: Graph | Dataset, target: str | Path, fmt: str) -> int:
    """Serialize ``data`` in ``fmt`` and write it atomically; return the bytes written."""
    payload = serialize(data, fmt)
    write_bytes(target, payload)
    return len(payload)


def write_with(target: str | Path, writer: Callable[[IO[bytes]], None]) -> None:
    """Atomically write whatever ``writer`` streams into the handle it is given."""
    with atomic_open(target) as handle:
        writer(handle)
