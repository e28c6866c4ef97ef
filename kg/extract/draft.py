"""The draft being written: its entities and facts, each with a quote located exactly as the
loader will locate it, and its YAML form (``docs/facts.md``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from kg import text
from kg.extract.claims import Mention
from kg.extract.doc import Doc
from kg.extract.lexicon import classes

__all__ = ["Builder", "Draft", "DraftEntity"]

HEADER = """\
# MACHINE DRAFT written by `kg extract` (kg.extract) from {file}.
# Every entity, post, initiative and metric below is a guess made by rules: check each one
# against the article, delete what is wrong, add what is missing, correct the ids if you
# like (pinyin slugs by convention), then remove this header. Quotes and offsets are exact;
# the classification (Official or Person, Enterprise or not) is not. docs/facts.md is the
# format.
"""

QUOTE_MARKS = frozenset("“”「」『』")
"""Quote marks a name may hold (“红马甲”志愿服务队): its label leaves them out, its altLabel
is the name as written (the loader finds a label or an altLabel in the quote)."""


@dataclass
class DraftEntity:
    """One entity of the draft, in the order its keys are written."""

    id: str
    type: str
    quote: str
    label: str | None = None
    alt_labels: list[str] = field(default_factory=list)
    occurrence: int | None = None
    props: dict[str, Any] = field(default_factory=dict)
    note: str | None = None


@dataclass
class Draft:
    """A draft facts file: the article header, the entities, and notes on what was skipped."""

    article_id: str
    file: str
    title: str
    entities: list[DraftEntity] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)  # relations quoted on their own
    source: str | None = None
    published: tuple[str, str] | None = None  # (ISO date, the words of the page that say it)
    published_occurrence: int | None = None

    def to_yaml(self) -> str:
        """The draft as a facts file; deterministic (same draft, same bytes)."""
        out = [HEADER.format(file=self.file), "article:"]
        out.append(f"  id: {scalar(self.article_id)}")
        out.append(f"  file: {scalar(self.file)}")
        out.append(f"  title: {scalar(self.title)}")
        if self.source is not None:
            out.append(f"  source: {scalar(self.source)}")
        if self.published is not None:
            out.append("  published:")
            out.append(f"    date: {scalar(self.published[0])}")
            out.append(f"    quote: {scalar(self.published[1])}")
            if self.published_occurrence is not None:
                out.append(f"    occurrence: {self.published_occurrence}")
        out.append("")
        out.append("entities:" if self.entities else "entities: []")
        current = None
        order = classes().order  # the sections of a draft, in the schema's order
        for e in sorted(self.entities, key=lambda e: order.index(e.type)):
            if e.type != current:
                current = e.type
                out.append(f"  # {'-' * 60} {e.type}")
            out.append(f"  - id: {scalar(e.id)}")
            out.append(f"    type: {e.type}")
            if e.label is not None:
                out.append(f"    label: {scalar(e.label)}")
            if e.alt_labels:
                out.append(f"    altLabels: [{', '.join(scalar(a) for a in e.alt_labels)}]")
            out.append(f"    quote: {scalar(e.quote)}")
            if e.occurrence is not None:
                out.append(f"    occurrence: {e.occurrence}")
            for key, value in e.props.items():
                if isinstance(value, list):
                    out.append(f"    {key}: [{', '.join(scalar(v) for v in value)}]")
                else:
                    out.append(f"    {key}: {scalar(value)}")
            if e.note:
                out.append(f"    note: {scalar(e.note)}")
        out.append("")
        out.append("facts:" if self.facts else "facts: []")
        for fact in self.facts:
            out.append(f"  - subject: {scalar(fact['subject'])}")
            for key in ("predicate", "object", "quote", "occurrence"):
                if fact.get(key) is not None:
                    out.append(f"    {key}: {scalar(fact[key])}")
        if self.skipped:
            out.append("")
            out.append("# Found but not written (no place or organization to attach it to):")
            out.extend(f"#   {line}" for line in self.skipped)
        return "\n".join(out) + "\n"


def scalar(value: Any) -> str:
    """A YAML scalar on one line, quoted only when needed (PyYAML decides, so it is safe)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    dumped = yaml.safe_dump(
        str(value), allow_unicode=True, default_flow_style=True, width=1_000_000
    )
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


class Builder:
    """Turns mentions into draft entities: one entity per name, quotes, properties, facts.

    Entities get provisional ids here; :func:`kg.extract.ids.assign` gives them their
    readable ones once the draft is complete (a person's type may still change until then).
    """

    def __init__(self, doc: Doc):
        self.doc = doc
        self.entities: list[DraftEntity] = []
        self.by_key: dict[tuple[str, str], DraftEntity] = {}
        self.skipped: list[str] = []
        self.facts: list[dict[str, Any]] = []
        self._count = 0

    def new_id(self) -> str:
        """A provisional id, never written (it holds a NUL)."""
        self._count += 1
        return f"\0{self._count}"

    def quote(self, start: int, end: int) -> tuple[str, int | None]:
        """A quote covering the span of the analysed text: the clause around it, located
        exactly as the loader will locate it, with ``occurrence`` when its words occur more
        than once.

        The clause is widened a character at a time while neither its shown nor its raw
        words locate it (:meth:`exact`); the raw words always do in the end.
        """
        doc = self.doc
        s, e = doc.clause(start, end)
        for _ in range(40):
            found = self.exact(s, e)
            if found is not None:
                return found
            if s > 0 and doc.clean(s - 1, s) and doc.text[s - 1] != "\n":
                s -= 1
            elif e < len(doc.text) and doc.clean(e, e + 1) and doc.text[e] != "\n":
                e += 1
            else:
                break
        wanted = doc.norm.to_raw(s, e)
        raw = doc.raw[wanted[0] : wanted[1]]
        return raw, _occurrence(raw, doc.raw, wanted) or None

    def exact(self, start: int, end: int) -> tuple[str, int | None] | None:
        """The words of exactly ``start:end`` as a quote the loader finds there, or None.

        They are tried as shown (simplified for a traditional article), then as written in
        the raw text: on a page that repeats a traditional headline in simplified, the
        simplified words are found at the caption, never at the headline, so only the raw
        words can quote the headline.
        """
        doc = self.doc
        wanted = doc.norm.to_raw(start, end)
        raw = doc.raw[wanted[0] : wanted[1]]
        for q in dict.fromkeys((doc.shown[start:end], raw)):
            if not q.strip():
                continue
            occurrence = _occurrence(q, doc.raw, wanted)
            if occurrence != 0:
                return q, occurrence
        return None

    def label_span(self, m: Mention) -> tuple[int, int]:
        """Where to read a mention's label and quote: the mention itself, or, when it is
        written in traditional characters (a headline) and the article also writes it in
        simplified, that simplified occurrence (labels are simplified)."""
        doc = self.doc
        plain = doc.text[m.start : m.end]
        if doc.traditional(m.start, m.end):
            at = doc.shown.find(plain)
            if at >= 0 and doc.clean(at, at + len(plain)):
                return at, at + len(plain)
        return m.start, m.end

    def entity(self, m: Mention) -> DraftEntity:
        """The entity a mention names, created at its first mention."""
        key = (m.type if m.type != "Official" else "Person", m.label)
        if key in self.by_key:
            return self.by_key[key]
        s, e = self.label_span(m)
        written = self.doc.shown[s:e]
        if m.alt is not None:
            label = m.label
        elif self.doc.traditional(s, e):
            label = self.doc.text[s:e]  # written in traditional only: labels are simplified
        else:
            label = written
        plain = "".join(c for c in label if c not in QUOTE_MARKS)
        q, occ = self.quote(s, e)
        entity = DraftEntity(
            id=self.new_id(),
            type=m.type,
            quote=q,
            label=plain,  # “红马甲”志愿服务队: 红马甲志愿服务队, the written form an altLabel
            alt_labels=[written] if m.alt or plain != label else [],
            occurrence=occ,
        )
        self.by_key[key] = entity
        self.entities.append(entity)
        return entity

    def of(self, m: Mention | None) -> DraftEntity | None:
        """The entity of a mention, if one was made."""
        if m is None:
            return None
        return self.by_key.get((m.type if m.type != "Official" else "Person", m.label))

    def fact(self, subject: str, predicate: str, obj: str, quote: tuple[str, int | None]) -> None:
        """A relation quoted on its own, stated once."""
        if any(
            (f["subject"], f["predicate"], f["object"]) == (subject, predicate, obj)
            for f in self.facts
        ):
            return
        new: dict[str, str | int] = {
            "subject": subject,
            "predicate": predicate,
            "object": obj,
            "quote": quote[0],
        }
        if quote[1] is not None:
            new["occurrence"] = quote[1]
        self.facts.append(new)


def _occurrence(q: str, raw: str, wanted: tuple[int, int]) -> int | None:
    """The ``occurrence`` that makes the loader find ``q`` at ``wanted``: None when it is
    found there alone, N when it is the N-th of several, 0 when the loader does not find it
    there at all (occurrences count from 1)."""
    spans = text.occurrences(q, raw)
    if wanted not in spans:
        return 0
    return None if len(spans) == 1 else spans.index(wanted) + 1
