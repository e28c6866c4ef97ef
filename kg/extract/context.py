"""What the rules of one article share: the text, the claims, the draft, the mentions."""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.extract.claims import Claims, Mention
from kg.extract.doc import Doc
from kg.extract.draft import Builder

__all__ = ["Context"]


@dataclass
class Context:
    """One article being drafted. Each rule reads what earlier rules found and adds its own:
    ``places`` are the administrative divisions (Province ... Subdistrict, Town),
    ``communities`` the communities, villages and estates, ``aliases`` the short forms of
    enterprises with the mention of their full name, ``codes`` the division codes that are
    certain (label → code)."""

    doc: Doc
    claims: Claims
    builder: Builder
    places: list[Mention] = field(default_factory=list)
    communities: list[Mention] = field(default_factory=list)
    enterprises: list[Mention] = field(default_factory=list)
    organizations: list[Mention] = field(default_factory=list)
    initiatives: list[Mention] = field(default_factory=list)
    aliases: list[tuple[Mention, Mention]] = field(default_factory=list)
    codes: dict[str, str] = field(default_factory=dict)
    memo: dict[object, object] = field(default_factory=dict)  # a rule's lookups, per article

    @classmethod
    def of(cls, doc: Doc) -> Context:
        return cls(doc, Claims(len(doc.text)), Builder(doc))

    def take(self, start: int, end: int, type_: str, label: str | None = None) -> Mention:
        """Claim ``start:end`` as a mention of a ``type_``; ``label`` when the entity's name
        is not what is written there (a short form), which is then its ``alt``."""
        written = self.doc.text[start:end]
        alt = written if label is not None and label != written else None
        return self.claims.claim(Mention(start, end, type_, label or written, alt))

    def subdistricts(self) -> list[Mention]:
        """The subdistrict mentions, in text order."""
        return sorted((m for m in self.places if m.type == "Subdistrict"), key=lambda m: m.start)
