"""A folder of derived data that is slow to make and quick to read (the tokenizer's
dictionary, the division index), so that a new ``kg`` process starts in well under a second.

Everything here can be rebuilt from the installed packages: a missing, stale or unreadable
entry is made again, and when the folder cannot be written the data is made in memory
each time (slower, never wrong). Entries are named by a key that changes whenever what they
are made from changes (package versions, our word lists), and written atomically.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["cache_dir", "key", "marshalled", "path_for"]


def cache_dir() -> Path:
    """``$KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/jiedao-kg``, else ``~/.cache/jiedao-kg``."""
    if os.environ.get("KG_CACHE_DIR"):
        return Path(os.environ["KG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "jiedao-kg"


def key(*parts: str) -> str:
    """A short name for what an entry is made from."""
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=8).hexdigest()


def path_for(name: str, make: Callable[[Path], None]) -> Path:
    """The path of the entry ``name``, made first by ``make(path)`` if it is missing.

    ``make`` writes a temporary file that is then moved into place, so a reader never sees
    half an entry. Without a writable cache folder the entry goes to a fresh temporary one.
    """
    folder = cache_dir()
    target = folder / name
    if target.exists():
        return target
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    except OSError:
        folder = Path(tempfile.mkdtemp(prefix="jiedao-kg-"))
        target = folder / name
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    os.close(fd)
    try:
        make(Path(tmp))
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    kind = name.split("-", 1)[0]
    for old in folder.glob(f"{kind}-*"):  # entries made from what is no longer installed
        if old != target:
            old.unlink(missing_ok=True)
    return target


def marshalled(name: str, make: Callable[[], Any]) -> Any:
    """The value of ``make()`` (plain data: str, int, tuple, list, dict...), kept as the
    entry ``name`` in ``marshal`` form; a damaged entry is made again."""

    def write(tmp: Path) -> None:
        tmp.write_bytes(marshal.dumps(make()))

    path = path_for(name, write)
    try:
        return marshal.loads(path.read_bytes())
    except (EOFError, ValueError, TypeError):
        path.unlink(missing_ok=True)
        return marshal.loads(path_for(name, write).read_bytes())
