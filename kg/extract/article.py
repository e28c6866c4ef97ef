"""The article header of a draft: its id, headline, source and publication date."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

from kg.extract.doc import CJK, Doc
from kg.extract.draft import Builder
from kg.extract.lexicon import read_words
from kg.facts import ARTICLE_ID_PATTERN

__all__ = ["article_id", "published", "source", "title"]


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


def _words() -> dict[str, Any]:
    return read_words("article.yaml")


_DATE = re.compile(
    r"(?<![0-9])(?P<y>(?:19|20)[0-9]{2})\s*(?:年|[-/.])\s*(?P<m>[0-9]{1,2})\s*(?:月|[-/.])\s*"
    r"(?P<d>[0-9]{1,2})(?![0-9])日?(?:\s*(?P<t>[0-9]{1,2}[:：][0-9]{2}(?:[:：][0-9]{2})?))?"
)


def published(doc: Doc, b: Builder) -> tuple[str, tuple[str, int | None]] | None:
    """The date the page says it was published (ISO) and the quote that says so: the first
    full date on a line of the page header or footer (with a time of day, a date or source
    label, or alone on a short line); a date inside a sentence is an event, not this."""
    words = _words()
    labels = tuple(words["date_labels"]) + tuple(words["source_labels"])
    for m in _DATE.finditer(doc.text):
        if not doc.clean(m.start(), m.end()):
            continue
        left = doc.text.rfind("\n", 0, m.start()) + 1
        right = doc.text.find("\n", m.end())
        line = doc.text[left : len(doc.text) if right < 0 else right].strip()
        alone = len(line) <= int(words["max_date_line"]) and "。" not in line
        if not (m.group("t") or alone or any(w in line for w in labels)):
            continue
        try:
            day = datetime.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        except ValueError:
            continue
        quote = b.exact(m.start(), m.end())
        if quote is not None:
            return day.isoformat(), quote
    return None


def source(doc: Doc) -> str | None:
    """The outlet the page names as its source (来源：浙江在线, 您当前的位置：浙江在线 > ...,
    青岛新闻网3月21日讯), as written; None when it names none."""
    words = _words()
    outlets = tuple(words["outlet_suffixes"])
    labels = "|".join(map(re.escape, words["source_labels"]))
    name = r"([\u4e00-\u9fffA-Za-z]{2,12})"
    patterns = (
        rf"(?:{labels})\s*[：:]\s*{name}",
        rf"位置\s*[：:]\s*{name}\s*[>＞]",
        rf"(?m)^\s*{name}\s*[0-9]{{1,2}}月[0-9]{{1,2}}日(?:电|讯)",
    )
    found = []
    for pattern in patterns:
        for m in re.finditer(pattern, doc.shown):
            readable = doc.mojibake.find(1, m.start(1), m.end(1)) < 0  # navigation is fine
            if m.group(1).endswith(outlets) and readable:
                found.append((m.start(1), m.group(1)))
    return min(found)[1] if found else None
