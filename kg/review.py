"""One data folder as ``kg serve`` sees it: articles, fact files, drafts, live checks.

Everything here is plain library code (no HTTP): :mod:`kg.serve` is a thin web layer
over a :class:`Workspace`. The checks are the builder's own: a candidate fact file is
written to a temporary folder (never into the data folder), read by
:func:`kg.facts.load_file`, checked with the rest of the corpus by
:func:`kg.facts.check_corpus` and :func:`kg.facts.check_file`, built by
:func:`kg.builder.build_corpus` and validated by :func:`kg.builder.check_build_shapes`. So a
file the page calls valid is one ``kg build`` accepts, and every problem is the loader's
own sentence, tied back to the item and field it names.
"""

from __future__ import annotations

import re
import tempfile
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg import factfile, text
from kg.errors import KgError
from kg.facts import (
    MAX_ARTICLE_BYTES,
    Corpus,
    FactError,
    FactFile,
    Problem,
    check_corpus,
    check_file,
    load_file,
)

ARTICLE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,120}\.txt$")
"""A new article's file name: plain, no folder, ends in .txt."""
SHAPE_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<message>.*)$")
DRAFT_HEADER = "# MACHINE DRAFT"


class ReviewError(KgError, ValueError):
    """A request the workspace cannot serve; ``status`` is the HTTP status it maps to."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


# ---------------------------------------------------------------- results


@dataclass
class Issue:
    """A problem as the page shows it: the loader's message, where it is in the file, and
    the item and field it belongs to (None when it is about another file or the whole)."""

    message: str
    where: str
    section: str | None = None
    index: int | None = None
    key: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "message": self.message,
            "where": self.where,
            "section": self.section,
            "index": self.index,
            "key": self.key,
        }


@dataclass
class Checked:
    """A candidate fact file: the text that would be saved and what is wrong with it."""

    text: str
    issues: list[Issue] = field(default_factory=list)
    shapes_checked: bool = False
    spans: dict[str, list[tuple[int, int] | None]] = field(default_factory=dict)
    """Where each item's quote is in the article (None: not found), by section and index."""

    @property
    def ok(self) -> bool:
        return not self.issues

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "text": self.text,
            "issues": [i.to_json() for i in self.issues],
            "shapes": self.shapes_checked,
            "spans": self.spans,
        }


# ---------------------------------------------------------------- the workspace


class Workspace:
    """A data folder (``articles/``, ``facts/``) with its fact files loaded on demand.

    Each fact file is loaded once per version (modification time and size) and kept, so a
    live check reads only the file being reviewed. All paths come from
    :meth:`article_path` and :func:`kg.factfile.fact_path`, which refuse anything but a
    plain name inside the folder.
    """

    def __init__(self, data_dir: Path, display: str | None = None):
        self.data_dir = Path(data_dir)
        self.display = display if display is not None else str(data_dir)
        self.articles_dir = self.data_dir / "articles"
        self.facts_dir = self.data_dir / "facts"
        self._lock = threading.Lock()
        self._loaded: dict[Path, tuple[tuple[int, int], FactFile | None, list[Problem]]] = {}
        self._built: tuple[Any, Any] | None = None

    # ------------------------------------------------------------ files

    def article_path(self, name: Any) -> Path:
        """The article file ``name`` in ``articles/``: a plain name of an existing file."""
        if not isinstance(name, str) or not ARTICLE_NAME.match(name) or ".." in name:
            raise ReviewError(f"{str(name)[:60]!r} is not an article file name", 400)
        folder = self.articles_dir.resolve()
        path = (folder / name).resolve()
        if path.parent != folder:
            raise ReviewError(f"{name!r} is outside {self.display}/articles", 400)
        if not path.is_file():
            raise ReviewError(f"no article {name!r} in {self.display}/articles", 404)
        return path

    def fact_path(self, article_id: Any) -> Path:
        try:
            return factfile.fact_path(self.data_dir, article_id)
        except factfile.ContentError as exc:
            raise ReviewError(str(exc), 400) from None

    def display_path(self, path: Path) -> str:
        return f"{self.display}/facts/{path.name}"

    def _fact_paths(self) -> list[Path]:
        if not self.facts_dir.is_dir():
            return []
        return sorted(p.resolve() for p in self.facts_dir.glob("*.yaml") if p.is_file())

    def _load(self, path: Path) -> tuple[FactFile | None, list[Problem]]:
        """One fact file loaded and checked by the builder's loader, once per version."""
        stat = path.stat()
        version = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            cached = self._loaded.get(path)
        if cached and cached[0] == version:
            return cached[1], cached[2]
        try:
            loaded: FactFile | None = load_file(path, self.articles_dir)
            problems = check_file(loaded)  # type: ignore[arg-type]
        except FactError as exc:
            loaded, problems = None, exc.problems
        with self._lock:
            self._loaded[path] = (version, loaded, problems)
        return loaded, problems

    def files(self, *, without: Path | None = None) -> tuple[list[FactFile], list[Problem]]:
        """Every fact file that loads, and the problems of all of them."""
        loaded, problems = [], []
        for path in self._fact_paths():
            if without is not None and path == without:
                continue
            one, found = self._load(path)
            problems.extend(found)
            if one is not None:
                loaded.append(one)
        return loaded, problems

    def articles(self) -> list[dict[str, Any]]:
        """Every article file, with the fact file that covers it (if any)."""
        covered: dict[str, FactFile] = {}
        for f in self.files()[0]:
            covered[f.article.file] = f
        out = []
        names = (
            sorted(p.name for p in self.articles_dir.glob("*.txt"))
            if self.articles_dir.is_dir()
            else []
        )
        for name in names:
            if not ARTICLE_NAME.match(name):
                continue
            cover = covered.get(name)
            out.append(
                {
                    "file": name,
                    "id": cover.article.id if cover else None,
                    "title": cover.article.title if cover else None,
                    "facts": self.display_path(cover.path) if cover else None,
                }
            )
        return out

    def article_text(self, name: str) -> str:
        try:
            return text.read_article(self.article_path(name))
        except text.ArticleError as exc:
            raise ReviewError(f"{name}:{exc.line}:{exc.col}: {exc.reason}", 422) from None

    # ------------------------------------------------------------ opening and drafting

    def open(self, article_id: str) -> dict[str, Any]:
        """An existing fact file for review: its text, digest, content and article."""
        path = self.fact_path(article_id)
        found = factfile.read(path)
        if found is None:
            raise ReviewError(f"no fact file {self.display_path(path)}", 404)
        source, digest = found
        tree = factfile.parse(source, self.display_path(path))
        content = factfile.to_content(tree)
        name = content["article"]["fields"].get("file")
        self.article_path(name)  # the file it names must be a plain name here
        return {
            "id": article_id,
            "base": None,
            "sha": digest,
            "content": content,
            "file": name,
            "text": self.article_text(name),
        }

    def draft(self, name: str) -> dict[str, Any]:
        """A fresh ``kg extract`` draft of an article, to review (nothing is written)."""
        from kg.extract import extract

        path = self.article_path(name)
        draft = extract(path)
        base = reviewed_header(draft.to_yaml(), name)
        tree = factfile.parse(base, f"{draft.article_id}.yaml")
        existing = factfile.read(self.fact_path(draft.article_id))
        return {
            "id": draft.article_id,
            "base": base,
            "sha": None,
            "content": factfile.to_content(tree),
            "file": name,
            "text": self.article_text(name),
            "exists": existing is not None,
        }

    def add_article(self, name: Any, body: Any) -> str:
        """Write a pasted or uploaded text as a new article; refuse to replace one."""
        from kg.publish import write_bytes

        if not isinstance(name, str) or not ARTICLE_NAME.match(name) or ".." in name:
            raise ReviewError(
                f"{str(name)[:60]!r} is not a plain file name ending in .txt "
                "(letters, digits, '.', '-', '_')",
                400,
            )
        if not isinstance(body, str) or not body.strip():
            raise ReviewError("the article text is empty", 400)
        normalized = unicodedata.normalize("NFC", body.replace("\r\n", "\n"))
        payload = normalized.encode("utf-8")
        if len(payload) > MAX_ARTICLE_BYTES:
            raise ReviewError(f"the article is more than {MAX_ARTICLE_BYTES} bytes", 413)
        if "\x00" in normalized or normalized.startswith("\ufeff"):
            raise ReviewError("the article text holds a NUL or a byte-order mark", 422)
        folder = self.articles_dir.resolve()
        path = folder / name
        with self._lock:
            if path.exists():
                raise ReviewError(f"{self.display}/articles/{name} exists already", 409)
            folder.mkdir(parents=True, exist_ok=True)
            write_bytes(path, payload)
        return name

    # ------------------------------------------------------------ checking and saving

    def candidate(self, article_id: str, content: Any, base: str | None, sha: str | None) -> str:
        """The text a save would write: ``content`` applied to the file as opened (the file
        on disk when ``sha`` names it, else the draft ``base``)."""
        path = self.fact_path(article_id)
        if sha is not None:
            found = factfile.read(path)
            if found is None or found[1] != sha:
                raise ReviewError(
                    f"{self.display_path(path)} was changed on disk since you opened it; "
                    "reload it (your edits are not saved)",
                    409,
                )
            source = found[0]
        else:
            source = base or ""
        try:
            tree = factfile.parse(source, self.display_path(path))
            return factfile.dump(factfile.apply(tree, content))
        except factfile.ContentError as exc:
            raise ReviewError(str(exc), 400) from None

    def check(
        self, article_id: str, content: Any, base: str | None = None, sha: str | None = None
    ) -> Checked:
        """Check a candidate exactly as ``kg build`` would, with the rest of the corpus."""
        target = self.fact_path(article_id)
        source = self.candidate(article_id, content, base, sha)
        checked = self._check_text(target, source)
        checked.spans = self._spans(content)
        return checked

    def _spans(self, content: dict[str, Any]) -> dict[str, list[tuple[int, int] | None]]:
        """Each item's quote located as the loader locates it, for the page to mark."""
        name = content.get("article", {}).get("fields", {}).get("file")
        try:
            raw = self.article_text(name)
        except ReviewError:
            return {}
        out: dict[str, list[tuple[int, int] | None]] = {}
        for section in ("entities", "facts"):
            found: list[tuple[int, int] | None] = []
            for item in content.get(section, []):
                fields = item["fields"]
                quote, nth = fields.get("quote"), fields.get("occurrence")
                try:
                    if not isinstance(quote, str) or not (nth is None or isinstance(nth, int)):
                        raise text.QuoteError("no quote")
                    found.append(text.locate(quote, raw, nth))
                except (text.QuoteError, ValueError):
                    found.append(None)
            out[section] = found
        return out

    def _check_text(self, target: Path, source: str) -> Checked:
        from kg.builder import build_corpus, check_build_shapes
        from kg.validate import ShapeError

        shown = self.display_path(target)
        checked = Checked(source)
        fields = factfile.fields_at(source)
        with tempfile.TemporaryDirectory(prefix="kg-serve-") as scratch:
            temp = Path(scratch) / target.name
            temp.write_text(source, "utf-8")

            def issue(problem: Problem) -> Issue:
                message = problem.message.replace(str(temp), shown)
                if problem.where.path != str(temp):
                    return Issue(message, str(problem.where))
                place = factfile.field_of(fields, problem.where.line, problem.where.col)
                where = f"{shown}:{problem.where.line}:{problem.where.col}"
                if place is None:
                    return Issue(message, where)
                return Issue(message, where, place.section, place.index, place.key)

            try:
                candidate = load_file(temp, self.articles_dir)
            except FactError as exc:
                checked.issues = [issue(p) for p in exc.problems]
                return checked
            problems = check_file(candidate)
            others, other_problems = self.files(without=target.resolve())
            corpus = Corpus([*others, candidate])
            problems += check_corpus(corpus, check_files=False)
            checked.issues = [issue(p) for p in sorted(set(problems))]
            if checked.issues:
                return checked
            if other_problems:
                checked.issues = [
                    Issue(
                        "another fact file has problems, so the graph cannot be built to "
                        f"check the shapes: {other_problems[0]}",
                        str(other_problems[0].where),
                    )
                ]
                return checked
            try:
                check_build_shapes(build_corpus(corpus))
            except ShapeError as exc:
                for line in str(exc).splitlines():
                    checked.issues.append(self._shape_issue(line, temp, shown, fields))
            checked.shapes_checked = True
        return checked

    def _shape_issue(
        self, line: str, temp: Path, shown: str, fields: dict[tuple[int, int], factfile.Field]
    ) -> Issue:
        match = SHAPE_LINE.match(line)
        if not match or match["path"] != str(temp):
            return Issue(line.replace(str(temp), shown), "")
        row, col = int(match["line"]), int(match["col"])
        place = factfile.field_of(fields, row, col)
        where = f"{shown}:{row}:{col}"
        if place is None:
            return Issue(match["message"], where)
        return Issue(match["message"], where, place.section, place.index, None)

    def save(self, article_id: str, content: Any, base: str | None, sha: str | None) -> dict:
        """Write the reviewed file if it is valid; refuse one changed on disk meanwhile."""
        checked = self.check(article_id, content, base, sha)
        if not checked.ok:
            raise ReviewError("the fact file has problems; fix them before saving", 422)
        path = self.fact_path(article_id)
        try:
            digest = factfile.save(path, checked.text, sha)
        except factfile.FileChanged as exc:
            raise ReviewError(f"{exc} (your edits are not saved)", 409) from None
        return {"saved": self.display_path(path), "sha": digest, "text": checked.text}

    # ------------------------------------------------------------ quotes from selections

    def quote_at(self, name: str, start: Any, end: Any) -> dict[str, Any]:
        """The quote (and ``occurrence`` when needed) that locates exactly ``[start, end)``."""
        raw = self.article_text(name)
        ok = all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end))
        if not ok or not 0 <= start < end <= len(raw):
            raise ReviewError(f"selection must be 0 <= start < end <= {len(raw)}", 400)
        while start < end and raw[start].isspace():
            start += 1
        while end > start and raw[end - 1].isspace():
            end -= 1
        quote = raw[start:end]
        if not quote:
            raise ReviewError("the selection holds no text", 400)
        try:
            if text.locate(quote, raw) == (start, end):
                return {"quote": quote, "occurrence": None, "start": start, "end": end}
        except text.QuoteError as exc:
            if "occurs" not in str(exc):
                raise ReviewError(str(exc), 422) from None
        n = 1
        while True:
            try:
                span = text.locate(quote, raw, n)
            except text.QuoteError as exc:
                raise ReviewError(f"cannot quote this selection: {exc}", 422) from None
            if span == (start, end):
                return {"quote": quote, "occurrence": n, "start": start, "end": end}
            n += 1

    # ------------------------------------------------------------ the corpus

    def search(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """Entities of the corpus whose label or alias contains ``query`` (either script)."""
        wanted = text.to_simplified(query.strip()).lower()
        if not wanted:
            return []
        found: dict[str, dict[str, Any]] = {}
        labels = self.labels()
        for f in self.files()[0]:
            for e in f.entities:
                names = [labels.get(e.id, e.id), *e.alt_labels, e.id]
                keys = [text.to_simplified(n).lower() for n in names]
                rank = (
                    min(
                        (0 if k == wanted else 1 if k.startswith(wanted) else 2)
                        for k in keys
                        if wanted in k
                    )
                    if any(wanted in k for k in keys)
                    else None
                )
                if rank is None:
                    continue
                hit = found.setdefault(
                    e.id,
                    {
                        "id": e.id,
                        "type": e.type,
                        "label": labels.get(e.id, e.id),
                        "labelled": e.label is not None,
                        "altLabels": [],
                        "articles": [],
                        "rank": rank,
                    },
                )
                hit["rank"] = min(hit["rank"], rank)
                hit["altLabels"] = sorted(set(hit["altLabels"]) | set(e.alt_labels))
                if f.article.id not in hit["articles"]:
                    hit["articles"].append(f.article.id)
        hits = sorted(found.values(), key=lambda h: (h["rank"], len(h["label"]), h["label"]))
        return [{k: v for k, v in h.items() if k != "rank"} for h in hits[:limit]]

    def labels(self) -> dict[str, str]:
        """A readable label for every entity id of the corpus (composed for posts and
        metrics, as the builder composes them)."""
        from kg.statements import composed_label

        entities = {e.id: e for f in self.files()[0] for e in f.entities}
        out = {i: e.label for i, e in entities.items() if e.label}
        for i, e in entities.items():
            if i not in out:
                out[i] = composed_label(e, out)
        return out

    def reader(self, name: str) -> dict[str, Any]:
        """An article with every evidence span of the fact files that quote it."""
        from kg.schema import properties

        raw = self.article_text(name)
        labels = self.labels()
        schema = properties()
        spans: list[dict[str, Any]] = []
        marks: list[dict[str, Any]] = []
        article: dict[str, Any] = {"file": name, "id": None, "title": None, "facts": None}
        for f in self.files()[0]:
            if f.article.file != name:
                continue
            article = {
                "file": name,
                "id": f.article.id,
                "title": f.article.title,
                "facts": self.display_path(f.path),
            }

            def relation(subject: str, key: str, value: Any) -> dict[str, Any]:
                spec = schema.get(key)
                shown = (
                    labels.get(str(value), str(value)) if spec and spec.kind == "entity" else value
                )
                return {
                    "subject": labels.get(subject, subject),
                    "predicate": key,
                    "predicateLabel": spec.label if spec else key,
                    "object": str(shown),
                    "objectId": str(value) if spec and spec.kind == "entity" else None,
                }

            for e in f.entities:
                if e.quote.span == (0, 0):
                    continue
                label = labels.get(e.id, e.id)
                spans.append(
                    {
                        "start": e.quote.span[0],
                        "end": e.quote.span[1],
                        "kind": "entity",
                        "type": e.type,
                        "id": e.id,
                        "label": label,
                        "facts": [
                            relation(e.id, key, v.raw)
                            for key, values in e.props.items()
                            for v in values
                        ],
                    }
                )
                if e.label:
                    mark = _original_mark(e.label, raw, e.quote.span)
                    if mark:
                        marks.append({**mark, "type": e.type})
            for x in f.facts:
                if x.quote.span == (0, 0):
                    continue
                spans.append(
                    {
                        "start": x.quote.span[0],
                        "end": x.quote.span[1],
                        "kind": "fact",
                        "type": "fact",
                        "id": None,
                        "label": None,
                        "facts": [relation(str(x.subject.raw), str(x.predicate.raw), x.object.raw)],
                    }
                )
        spans.sort(key=lambda s: (s["start"], -s["end"]))
        return {
            "article": article,
            "text": raw,
            "spans": spans,
            "marks": sorted(marks, key=lambda m: m["start"]),
        }

    def build(self) -> Any:
        """The graph of the corpus as it is on disk now (rebuilt when a file changed)."""
        from kg.builder import build_corpus

        files, problems = self.files()
        if problems:
            raise ReviewError(
                "the corpus has problems, so there is no graph to show:\n"
                + "\n".join(str(p) for p in problems[:20]),
                409,
            )
        key = tuple((f.path, f.article.sha256, self._loaded[f.path][0]) for f in files)
        with self._lock:
            if self._built is not None and self._built[0] == key:
                return self._built[1]
        corpus = Corpus(files)
        cross = check_corpus(corpus, check_files=False)
        if cross:
            raise ReviewError(
                "the corpus has problems, so there is no graph to show:\n"
                + "\n".join(str(p) for p in cross[:20]),
                409,
            )
        result = build_corpus(corpus)
        with self._lock:
            self._built = (key, result)
        return result


def _original_mark(label: str, raw: str, span: tuple[int, int]) -> dict[str, Any] | None:
    """Where a label is written in traditional characters inside its quote, and the
    simplified label to show beside it."""
    from kg.statements import label_span, original_form

    original = original_form(label, raw, span)
    found = label_span(label, raw, span) if original is not None else None
    if found is None:
        return None
    return {"start": found[0], "end": found[1], "original": original, "label": label}


def reviewed_header(draft: str, name: str) -> str:
    """A draft's text with the machine-draft instructions replaced by a line saying where
    the file came from: once reviewed on the page, the instructions no longer apply."""
    lines = draft.split("\n")
    if not lines or not lines[0].startswith(DRAFT_HEADER):
        return draft
    end = 0
    while end < len(lines) and lines[end].startswith("#"):
        end += 1
    header = f"# Facts of {name}, reviewed in kg serve from a kg extract draft."
    return "\n".join([header, *lines[end:]])


def schema_json() -> dict[str, Any]:
    """What the review page needs to know of the ontology: classes (with the viewer's
    colours), fact keys (kind, domain, range, allowed concepts, labels), the key order."""
    from rdflib import RDFS

    from kg import schema
    from kg.ontology import ontology_graph

    onto = ontology_graph()

    def labels(iri: Any) -> dict[str, str]:
        out = {}
        for label in onto.objects(iri, RDFS.label):
            out[getattr(label, "language", None) or "en"] = str(label)
        return out

    def short(iri: Any) -> str | None:
        return None if iri is None else str(iri).rsplit("#", 1)[-1]

    out_classes = {}
    for name, iri in schema.entity_classes().items():
        info = schema.classes()[name]
        out_classes[name] = {
            "labels": labels(iri),
            "color": info.style.color,
            "composedLabel": info.composed_label,
            "is": sorted(str(short(c)) for c in schema.superclasses(iri)),
        }
    properties = {}
    for key, spec in schema.properties().items():
        domain = onto.value(spec.iri, RDFS.domain)
        properties[key] = {
            "kind": spec.kind,
            "range": short(spec.range),
            "domain": short(domain),
            "labels": labels(spec.iri),
            "values": sorted(schema.concepts(spec.range)) if spec.kind == "concept" else None,
        }
    return {
        "classes": out_classes,
        "properties": properties,
        "order": factfile.key_order(),
    }
