"""The article header of a draft: its id, its headline."""

from __future__ import annotations

import re
from pathlib import Path

from kg.extract.doc import CJK, Doc
from kg.facts import ARTICLE_ID_PATTERN

__all__ = ["article_id", "title"]


def article_id(path: Path) -> str:
    """``000`` for ``000_55e4261343172afa.txt``; else the file stem made into a valid id."""
    head = path.stem.split("_", 1)[0]
    if ARTICLE_ID_PATTERN.match(head):
        return head
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", path.stem).strip("-_")[:64]
    return slug or "article"


def title(doc: Doc) -> str:
    """The headline: the first line that reads like one (not navigation, not a byline)."""
    for line in doc.shown.split("\n"):
        line = line.strip()
        words = line.split()
        if not 6 <= len(line) <= 60 or len(CJK.findall(line)) < 6:
            continue
        if any(c in line for c in ">|>") or all(len(w) <= 2 for w in words):
            continue
        return line
    first = next((ln.strip() for ln in doc.shown.split("\n") if ln.strip()), "")
    return first[:40] or "untitled"
