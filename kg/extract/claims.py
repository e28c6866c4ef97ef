"""Mentions and the record of which characters of an article they claim.

Rules run in a fixed order (:data:`kg.extract.rules.RULES`); a rule that finds a name claims
its characters, and a later rule does not read them again (an enterprise name that begins
with a place keeps the place inside it; a title is not read inside an initiative's name).
:class:`Claims` is that record, one per article, passed to each rule.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Claims", "Mention"]


@dataclass
class Mention:
    """A name found in the analysed text at ``start:end``: what it is and what it is called.

    ``label`` is the entity's label (for a short form, the full name's); ``alt`` the written
    form when it differs; ``codes`` the division codes a place name may have; ``whole`` the
    label of the initiative this one is a numbered part of.
    """

    start: int
    end: int
    type: str
    label: str
    alt: str | None = None
    codes: tuple[str, ...] = ()
    whole: str | None = None


class Claims:
    """Which characters of the text are claimed, and the mentions that claimed them."""

    def __init__(self, length: int):
        self._mask = bytearray(length)
        self.mentions: list[Mention] = []

    def taken(self, start: int, end: int) -> bool:
        """Whether any character of ``start:end`` is claimed."""
        return self._mask.find(1, max(start, 0), max(end, 0)) >= 0

    def free(self, start: int, end: int) -> bool:
        """Whether no character of ``start:end`` is claimed."""
        return not self.taken(start, end)

    def at(self, index: int) -> bool:
        """Whether the character at ``index`` is claimed."""
        return 0 <= index < len(self._mask) and self._mask[index] == 1

    def block(self, start: int, end: int) -> None:
        """Claim characters that belong to no entity (小区 of 贾家弄新村小区, read as 新村)."""
        self._mask[start:end] = b"\x01" * (end - start)

    def absorb(self, inner: Mention, outer: Mention) -> Mention:
        """A name found inside a longer one is part of it (安徽 of 安徽恒芯...项目): the
        inner mention is dropped, its characters now the outer one's."""
        self.mentions = [m for m in self.mentions if m is not inner]
        return self.claim(outer)

    def claim(self, mention: Mention) -> Mention:
        """Record a mention and claim its characters."""
        self.block(mention.start, mention.end)
        self.mentions.append(mention)
        return mention
