"""Drafting many articles: one failure never costs the others.

:func:`drafts` yields a :class:`~kg.extract.draft.Draft` for each article it can draft and a
:class:`Failure` (where, one line) for each it cannot — an unreadable file as much as an
error of the extractor itself — and goes on with the next. The drafts of one batch share
their ids (:class:`kg.extract.ids.Registry`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

from kg import text
from kg.extract import article, ids
from kg.extract.draft import Draft

__all__ = ["Article", "Failure", "Outcome", "drafts", "report", "sources", "write"]


@dataclass(frozen=True)
class Article:
    """An article to draft: how messages name it (``where``), the file name its draft
    names (``article.file``), its id, and how to read its text."""

    where: str
    file: str
    id: str
    read: Callable[[], str]

    @classmethod
    def at(cls, path: Path) -> Article:
        """An article file."""
        return cls(str(path), path.name, article.article_id(path), lambda: text.read_article(path))

    @classmethod
    def of_bytes(cls, data: bytes, file: str, where: str = "-") -> Article:
        """An article given as bytes (piped to ``kg extract -``), to be named ``file``."""
        path = Path(file)
        read = lambda: text.decode_article(data, where)  # noqa: E731
        return cls(where, path.name, article.article_id(path), read)


@dataclass(frozen=True)
class Failure:
    """An article that could not be drafted: where it is (``at``: line and column, when
    known), and one line saying why."""

    where: str
    message: str
    error: Exception
    at: str = ""

    def __str__(self) -> str:
        return (
            f"{self.where}:{self.at}: {self.message}"
            if self.at
            else f"{self.where}: {self.message}"
        )


def drafts(articles: Iterable[Article]) -> Iterator[Draft | Failure]:
    """A draft, or a failure, for each article in turn."""
    from kg.extract import extract_text

    registry = ids.Registry()
    for a in articles:
        try:
            yield extract_text(a.read(), a.file, a.id, registry)
        except text.ArticleError as exc:
            yield Failure(a.where, exc.reason, exc, f"{exc.line}:{exc.col}")
        except OSError as exc:
            yield Failure(a.where, f"cannot read: {exc.strerror or exc}", exc)
        except Exception as exc:  # an error of the extractor: this article only
            detail = " ".join(str(exc).split())[:300]
            yield Failure(a.where, f"internal error: {type(exc).__name__}: {detail}", exc)


@dataclass(frozen=True)
class Outcome:
    """What became of one article of :func:`write`: the draft file written (None for
    stdout), or the failure saying why there is none."""

    article: Article
    path: Path | None
    failure: Failure | None = None


def write(
    articles: list[Article], out: Path | None, force: bool = False, stdout: TextIO | None = None
) -> Iterator[Outcome]:
    """Draft each article into ``out/ID.yaml`` (atomically, as soon as it is drafted), or
    onto ``stdout`` when ``out`` is None. A draft never overwrites a file unless ``force``,
    nor another draft of the same run."""
    from kg.publish import write_bytes

    written: set[Path] = set()
    for a, result in zip(articles, drafts(articles), strict=True):
        if isinstance(result, Failure):
            yield Outcome(a, None, result)
            continue
        if out is None:
            (stdout or sys.stdout).write(result.to_yaml())
            yield Outcome(a, None)
            continue
        target = out / f"{result.article_id}.yaml"
        if target in written:
            problem = f"another article was drafted as {target} in this run"
        elif target.exists() and not force:
            problem = f"{target} exists; a draft never overwrites a fact file (use --force)"
        else:
            problem = None
        if problem is not None:
            yield Outcome(a, None, Failure(a.where, problem, FileExistsError(target)))
        else:
            write_bytes(target, result.to_yaml().encode("utf-8"))
            written.add(target)
            yield Outcome(a, target)


def sources(paths: Iterable[Path], name: str, stdin: BinaryIO) -> list[Article]:
    """The articles of ``kg extract PATH…``: ``-`` is the article on ``stdin``, named
    ``name``, read up to one byte past :data:`kg.text.MAX_TEXT_BYTES` so that a larger
    input is refused, not read whole."""
    return [
        Article.of_bytes(stdin.read(text.MAX_TEXT_BYTES + 1), name)
        if str(p) == "-"
        else Article.at(p)
        for p in paths
    ]


def report(
    articles: list[Article],
    out: Path | None,
    force: bool,
    stdout: TextIO,
    echo: Callable[[str], None],
    debug: bool = False,
) -> int:
    """:func:`write` as ``kg extract`` tells it: ``echo`` gets a line per draft file
    written and per article not drafted, then how many were not; returns that number.
    ``debug`` raises the first failure's exception instead (``KG_DEBUG``)."""
    failed = 0
    for outcome in write(articles, out, force, stdout):
        if outcome.failure is None:
            if outcome.path is not None:
                echo(f"wrote {outcome.path}")
            continue
        if debug:
            raise outcome.failure.error
        echo(f"error: {outcome.failure}")
        failed += 1
    if failed:
        echo(f"{failed} of {len(articles)} article(s) not drafted")
    return failed
