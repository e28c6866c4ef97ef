"""The build cache: what each fact file gave last time, so a build redoes only what changed.

An annotator's loop is edit → build → look; rebuilding thousands of articles for a
one-line change wastes minutes. So :func:`kg.outputs.build_outputs` keeps, per fact file,
an entry in ``out/.kg/cache/`` (the output folder's private area: it is the tool's own,
git-ignored, already locked against a second build, and never the user's data folder):

* the file as loaded and checked (entities, facts, quote spans, its problems);
* the lines of its article's named graph, with the labels of other files they used
  (a post's composed label names its place and role, which another file may define);
* its shape result: the violations of the subjects only this article describes, with
  what they depended on outside it (the types of the nodes they point at).

An entry is found by a key: the SHA-256 of the tool's :func:`fingerprint` (code,
ontology, shapes, division table and library versions), the file's path and its bytes.
Inside, the article's own SHA-256 is checked against the article on disk, the labels
and types against the current corpus. Anything that does not match exactly — another
version, a truncated or corrupt file, a hand edit (the payload carries its SHA-256), an
entry of another file — is ignored and rebuilt, never trusted. Entries are JSON, never
pickle: a file in the cache folder cannot run code. ``kg build --no-cache`` uses none.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.facts import (
    Article,
    Entity,
    Fact,
    FactFile,
    Problem,
    Quote,
    Value,
    Where,
)

FORMAT = 2
"""Bumped whenever the layout of an entry changes."""

LIBRARIES = ("PyYAML", "OpenCC", "jieba", "rdflib", "pyrudof", "pyoxigraph")
"""Libraries whose version can change what a fact file gives (parsing, t2s, numbers,
mojibake word list, concept terms, shapes)."""


@functools.cache
def fingerprint() -> str:
    """One hash of everything besides the fact file and its article that shapes an entry.

    The source of the ``kg`` package itself (so a changed loader never reuses old
    results, even at the same version number), the ontology folder (classes, shapes,
    fact-file schema), the division table's package version, Python's and the
    libraries' versions.
    """
    from kg import gazetteer
    from kg.ontology import resource_dir

    digest = hashlib.sha256(f"kg-cache {FORMAT} {sys.version}".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    ontology = Path(str(resource_dir("ontology")))
    for path in sorted(p for p in ontology.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(ontology)).encode() + b"\0" + path.read_bytes())
    for name in (gazetteer.PACKAGE, *LIBRARIES):
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name} {version}\n".encode())
    return digest.hexdigest()


# ---------------------------------------------------------------- fact files as JSON


def _where(where: Where) -> list[int]:
    return [where.line, where.col]


def _quote(q: Quote) -> list[Any]:
    return [q.text, q.occurrence, _where(q.where), list(q.span)]


def encode_file(f: FactFile, problems: list[Problem]) -> dict[str, Any]:
    """A loaded, checked fact file as plain JSON data (the article text is not kept)."""
    a = f.article
    return {
        "article": {
            "id": a.id,
            "file": a.file,
            "title": a.title,
            "source": a.source,
            "published": a.published,
            "path": str(a.path),
            "sha256": a.sha256,
            "where": _where(a.where),
            "quotes": {k: _quote(q) for k, q in a.quotes.items()},
        },
        "entities": [
            [
                e.id,
                e.type,
                e.label,
                e.alt_labels,
                _quote(e.quote),
                {k: [[v.raw, *_where(v.where)] for v in vs] for k, vs in e.props.items()},
                _where(e.where),
            ]
            for e in f.entities
        ],
        "facts": [
            [
                [x.subject.raw, *_where(x.subject.where)],
                [x.predicate.raw, *_where(x.predicate.where)],
                [x.object.raw, *_where(x.object.where)],
                _quote(x.quote),
                _where(x.where),
            ]
            for x in f.facts
        ],
        "problems": [[p.where.path, p.where.line, p.where.col, p.message] for p in problems],
    }


def decode_file(data: dict[str, Any], path: Path, text: str) -> tuple[FactFile, list[Problem]]:
    """The inverse of :func:`encode_file`; ``text`` is the article as read now.

    Raises ``KeyError``, ``TypeError`` or ``ValueError`` on anything malformed.
    """
    name = str(path)

    def where(pair: list[int]) -> Where:
        line, col = pair
        if not (isinstance(line, int) and isinstance(col, int)):
            raise TypeError("position")
        return Where(name, line, col)

    def quote(q: list[Any]) -> Quote:
        words, occurrence, at, (start, end) = q
        if not isinstance(words, str) or not (isinstance(start, int) and isinstance(end, int)):
            raise TypeError("quote")
        return Quote(words, occurrence, where(at), (start, end))

    def value(v: list[Any]) -> Value:
        raw, line, col = v
        return Value(raw, where([line, col]))

    a = data["article"]
    article = Article(
        id=str(a["id"]),
        file=str(a["file"]),
        title=str(a["title"]),
        source=a["source"],
        published=a["published"],
        path=Path(a["path"]),
        text=text,
        sha256=str(a["sha256"]),
        where=where(a["where"]),
        quotes={str(k): quote(q) for k, q in a["quotes"].items()},
    )
    entities = [
        Entity(
            str(eid),
            str(etype),
            label,
            [str(x) for x in alts],
            quote(q),
            {str(k): [value(v) for v in vs] for k, vs in props.items()},
            where(at),
            article.id,
        )
        for eid, etype, label, alts, q, props, at in data["entities"]
    ]
    facts = [
        Fact(value(s), value(p), value(o), quote(q), where(at), article.id)
        for s, p, o, q, at in data["facts"]
    ]
    problems = [Problem(Where(str(p), int(ln), int(c)), str(m)) for p, ln, c, m in data["problems"]]
    return FactFile(path, article, entities, facts), problems


# ---------------------------------------------------------------- the folder


@dataclass
class Stats:
    """What the cache did in one build (``kg build`` reports it)."""

    hits: int = 0
    misses: int = 0
    rejected: list[str] = field(default_factory=list)
    """Entries ignored because they were corrupt, truncated, edited or of another version."""


class Cache:
    """Entries by key in one folder; a missing folder is an empty cache.

    Only :func:`kg.outputs.build_outputs` writes, under the output folder's lock.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self.stats = Stats()
        self.used: set[str] = set()
        self.pending: dict[str, dict[str, Any]] = {}
        self.keys: dict[Path, str] = {}
        """Fact file -> its key, from the bytes read before loading."""
        self.dirs: dict[Path, Path] = {}
        self.checked_shapes = False
        self.entries: dict[Path, dict[str, Any]] = {}
        """Fact file -> its entry (found or new) in this build."""
        self.reused: set[Path] = set()
        """Fact files whose article graph's lines came from their entry in this build."""
        self.content_keys: dict[str, str] = {}
        """Graph -> the key of its blocks' entry (:func:`_blocks_key`), for a graph no fact
        file owns, as :meth:`blocks` found it (the derived graph's 135 k lines at a million
        triples took a fifth of a second to hash, and :meth:`remember_blocks` asks again)."""
        self.ordered: dict[str, list[str]] = {}
        """Graph -> its lines, sorted, for the article graphs whose lines were reused (the
        entry keeps them sorted; :func:`kg.stats.lines_about` needs them so)."""

    @staticmethod
    def key(path: Path, articles_dir: Path, data: bytes) -> str:
        """The key of a fact file: the fingerprint, where it is, and its bytes."""
        digest = hashlib.sha256(fingerprint().encode())
        digest.update(f"\0{path}\0{articles_dir}\0".encode())
        digest.update(data)
        return digest.hexdigest()

    def _file(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The payload stored under ``key``, if it is whole, unedited and of this version."""
        self.used.add(key)
        path = self._file(key)
        try:
            with path.open("rb") as handle:
                header_line = handle.readline(4096)
                payload = handle.read()
        except FileNotFoundError:
            return None
        except OSError:
            self.stats.rejected.append(path.name)
            return None
        try:
            header = json.loads(header_line)
            if not (
                header.get("kg-cache") == FORMAT
                and header.get("fingerprint") == fingerprint()
                and header.get("key") == key
                and header.get("bytes") == len(payload)
                and header.get("sha256") == hashlib.sha256(payload).hexdigest()
            ):
                raise ValueError("header")
            text, _, blobs = payload.partition(b"\n")
            data = _with_blobs(json.loads(text), memoryview(blobs))
            if not isinstance(data, dict):
                raise ValueError("payload")
        except (ValueError, AttributeError, TypeError, KeyError, UnicodeDecodeError):
            self.stats.rejected.append(path.name)
            return None
        return data

    def put(self, key: str, data: dict[str, Any]) -> None:
        """Remember ``data`` under ``key``; written by :meth:`save`."""
        self.used.add(key)
        self.pending[key] = data

    def save(self) -> None:
        """Write the pending entries and remove those this build did not use (shape
        results only when it checked the shapes).

        Each entry is written to a temporary name and renamed, so a reader sees a whole
        entry or none; a crash leaves at worst a temporary file, removed next time. A cache
        that cannot be written (full disk, read-only) is skipped: it is only a cache.
        """
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            for key, data in sorted(self.pending.items()):
                blobs: list[bytes] = []
                plain = _blobs_out(data, blobs)
                try:
                    text = json.dumps(plain, ensure_ascii=False, separators=(",", ":"))
                except (TypeError, ValueError):
                    continue  # a value JSON cannot hold (bytes in a list): not cached
                payload = b"\n".join([text.encode(), *blobs])
                header = {
                    "kg-cache": FORMAT,
                    "fingerprint": fingerprint(),
                    "key": key,
                    "bytes": len(payload),
                    "sha256": hashlib.sha256(payload).hexdigest(),
                }
                tmp = self.folder / f".{key}.{os.getpid()}.tmp"
                try:
                    tmp.write_bytes(json.dumps(header).encode() + b"\n" + payload)
                except OSError:
                    tmp.unlink(missing_ok=True)  # a full disk keeps no half entry
                    raise
                os.replace(tmp, self._file(key))
            self.pending.clear()
            for entry in self.folder.iterdir():
                stem = entry.name.removesuffix(".json")
                if stem.startswith("shapes-") and not self.checked_shapes:
                    continue  # a build without shapes keeps the last shape results
                if entry.name.startswith(".") or stem not in self.used:
                    with contextlib.suppress(OSError):
                        entry.unlink()

    # ------------------------------------------------------------ what an entry holds

    def load(self, path: Path, articles_dir: Path) -> tuple[FactFile, list[Problem]] | None:
        """The fact file at ``path`` as loaded and checked before, if nothing changed.

        Its bytes give the key; the article it names must still resolve to the same file
        with the same SHA-256. Anything else is a miss, and the loader reads the file.
        """
        from kg.facts import MAX_ARTICLE_BYTES, FactError, _article_path, read_utf8

        try:
            data = path.read_bytes()
        except OSError:
            return None
        key = self.key(path, articles_dir, data)
        self.keys[path] = key
        self.dirs[path] = articles_dir
        entry = self.get(key)
        if entry is None:
            self.stats.misses += 1
            return None
        try:
            stored = entry["file"]
            found: list[Problem] = []
            article = _article_path(
                str(stored["article"]["file"]), articles_dir, Where(str(path)), found
            )
            if article is None or str(article) != stored["article"]["path"]:
                raise ValueError("article moved")
            text = read_utf8(article, MAX_ARTICLE_BYTES)
            if hashlib.sha256(article.read_bytes()).hexdigest() != stored["article"]["sha256"]:
                raise ValueError("article changed")
            loaded = decode_file(stored, path, text)
        except ValueError as exc:  # the article changed: an ordinary miss
            if str(exc) not in ("article moved", "article changed"):
                self.stats.rejected.append(self._file(key).name)
            self.stats.misses += 1
            return None
        except (KeyError, TypeError, AttributeError, FactError, OSError):
            self.stats.rejected.append(self._file(key).name)
            self.stats.misses += 1
            return None
        self.entries[path] = entry
        self.stats.hits += 1
        return loaded

    def remember(self, f: FactFile, problems: list[Problem]) -> None:
        """Keep a freshly loaded file, under the key its bytes had before it was read."""
        key = self.keys.get(f.path)
        if key is None:
            return
        try:
            unchanged = self.key(f.path, self.dirs[f.path], f.path.read_bytes()) == key
        except OSError:
            unchanged = False
        if not unchanged:  # edited while it was read: its result may be of either version
            return
        try:
            entry = {"file": encode_file(f, problems)}
            json.dumps(entry, ensure_ascii=False)
        except (TypeError, ValueError):
            return  # a value JSON cannot hold: this file is simply not cached
        self.entries[f.path] = entry
        self.put(key, entry)

    def lines(self, f: FactFile, labels: Any) -> set[str] | None:
        """The lines of ``f``'s article graph, if the labels they used are still the same."""
        entry = self.entries.get(f.path)
        stored = entry.get("lines") if entry else None
        if not stored:
            return None
        try:
            used = stored["labels"]
            if any(labels.get(k) != v for k, v in used.items()):
                return None
            text = stored["nt"]
            if not isinstance(text, bytes):
                raise TypeError("lines")
        except (KeyError, TypeError, AttributeError):
            return None
        from kg.rdf import graph_name

        self.reused.add(f.path)
        ordered = text.decode().split("\n") if text else []
        self.ordered[graph_name(f.article.id)] = ordered
        return set(ordered)

    def remember_lines(self, f: FactFile, used: dict[str, str | None], lines: set[str]) -> None:
        entry = self.entries.get(f.path)
        key = self.keys.get(f.path)
        if entry is None or key is None:
            return
        entry["lines"] = {"labels": used, "nt": "\n".join(sorted(lines)).encode()}
        self.put(key, entry)

    def blocks(self, result: Any) -> dict[str, Any]:
        """The Turtle and TriG blocks (:class:`kg.export.Blocks`) of the graphs of
        ``result`` known from before: an article's, kept beside the lines it reused; any
        other graph's (the division table's, the derived one), by the hash of its lines."""
        from kg.rdf import graph_name

        found: dict[str, Any] = {}
        self.content_keys = {}  # of this result's graphs only
        for f in result.corpus.files:
            entry = self.entries.get(f.path)
            if f.path in self.reused and entry is not None:
                blocks = _decode_blocks(entry["lines"].get("blocks"))
                if blocks is not None:
                    found[graph_name(f.article.id)] = blocks
        articles = self._article_graphs(result)
        for graph, lines in result.graphs.items():
            if graph not in found and graph not in articles:
                key = self.content_keys[graph] = _blocks_key(graph, lines)
                stored = self.get(key)
                blocks = _decode_blocks(stored.get("blocks")) if stored else None
                if stored is not None and blocks is None:
                    self.stats.rejected.append(self._file(key).name)
                if blocks is not None:
                    found[graph] = blocks
        return found

    def remember_blocks(self, result: Any, blocks: dict[str, Any], known: dict[str, Any]) -> None:
        """Keep the ``blocks`` not in ``known``: an article's in its file's entry (with its
        lines), any other graph's under the hash of its lines."""
        from kg.rdf import graph_name

        for f in result.corpus.files:
            graph = graph_name(f.article.id)
            entry, key = self.entries.get(f.path), self.keys.get(f.path)
            if graph in known or entry is None or key is None or "lines" not in entry:
                continue
            entry["lines"]["blocks"] = _encode_blocks(blocks[graph])
            self.put(key, entry)
        articles = self._article_graphs(result)
        for graph, lines in result.graphs.items():
            if graph not in known and graph not in articles:
                key = self.content_keys.get(graph) or _blocks_key(graph, lines)
                self.put(key, {"blocks": _encode_blocks(blocks[graph])})

    @staticmethod
    def _article_graphs(result: Any) -> set[str]:
        from kg.rdf import graph_name

        return {graph_name(f.article.id) for f in result.corpus.files}

    def shapes(self, key: str) -> list[Any] | None:
        """The violations of a shape job (:class:`kg.validate.Job`) run before, by its key."""
        from kg.validate import decode

        self.checked_shapes = True
        entry = self.get(f"shapes-{key}")
        if entry is None:
            return None
        try:
            return decode(entry["violations"])
        except (KeyError, TypeError, ValueError):
            self.stats.rejected.append(self._file(f"shapes-{key}").name)
            return None

    def remember_shapes(self, key: str, found: list[Any]) -> None:
        from kg.validate import encode

        self.put(f"shapes-{key}", {"violations": encode(found)})


_BLOB = "kg-blob"
"""An entry's long texts (an article graph's lines, a TriG block) follow its JSON as
raw bytes, each named in the JSON by ``{"kg-blob": [offset, length]}``: parsing a JSON
string of 160 MB cost more than the rest of the entries together."""


def _blobs_out(data: Any, blobs: list[bytes]) -> Any:
    """``data`` with each ``bytes`` value of a dict replaced by its place in ``blobs``
    (appended). Lists are not walked: the records' long lists would cost a Python call
    per value on every read."""
    if isinstance(data, bytes):
        offset = sum(len(b) + 1 for b in blobs)  # each blob follows a newline
        blobs.append(data)
        return {_BLOB: [offset, len(data)]}
    if isinstance(data, dict):
        return {k: _blobs_out(v, blobs) for k, v in data.items()}
    return data


def _with_blobs(data: Any, blobs: memoryview) -> Any:
    """The inverse of :func:`_blobs_out` (only dicts hold blobs); ``ValueError`` for a
    place outside ``blobs``."""
    if not isinstance(data, dict):
        return data
    if _BLOB in data:
        offset, length = data[_BLOB]
        if not (isinstance(offset, int) and isinstance(length, int)):
            raise TypeError("blob")
        if offset < 0 or length < 0 or offset + length > len(blobs):
            raise ValueError("blob")
        return bytes(blobs[offset : offset + length])
    return {k: _with_blobs(v, blobs) for k, v in data.items()}


def _blocks_key(graph: str, lines: set[str]) -> str:
    """The entry of a graph's blocks that no fact file owns: the hash of its content."""
    digest = hashlib.sha256(f"{fingerprint()}\0{graph}\0".encode())
    for line in sorted(lines):
        digest.update(line.encode() + b"\n")
    return f"blocks-{digest.hexdigest()}"


def _encode_blocks(blocks: Any) -> dict[str, Any]:
    turtle = [list(pair) for pair in blocks.turtle]
    return {"trig": blocks.trig.encode(), "turtle": turtle, "tally": blocks.tally.to_json()}


def _decode_blocks(data: Any) -> Any:
    """The :class:`kg.export.Blocks` stored as ``data``, or ``None`` if it is not whole."""
    from kg.export import Blocks
    from kg.stats import Tally

    try:
        trig, turtle = data["trig"].decode(), [(s, t) for s, t in data["turtle"]]
        tally = Tally.from_json(data["tally"])
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    if not isinstance(trig, str) or not all(
        isinstance(s, str) and isinstance(t, str) for s, t in turtle
    ):
        return None
    return Blocks(trig, turtle, tally)


class LabelLookups:
    """A label mapping that records what was looked up, so an entry's lines can name the
    labels of other files they depend on (a post's composed label)."""

    def __init__(self, labels: Any):
        self.labels = labels
        self.used: dict[str, str | None] = {}

    def get(self, key: str, default: Any = None) -> Any:
        value = self.labels.get(key)
        self.used[key] = value
        return default if value is None else value
