"""Load and validate fact files (``data/facts/*.yaml``) and locate their quotes.

A fact file is written by hand, so every problem is reported as
``file:line:column: what is wrong and how to fix it`` and all problems of a corpus are
reported together. Nothing is built from a corpus that has a problem.

The YAML is read with our own loader: it keeps the line and column of every value, refuses
anchors and aliases (a fact file needs none, and they make "billion laughs" bombs possible)
and refuses duplicate keys (PyYAML would silently keep the last one).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from kg import schema, text
from kg.errors import KgError
from kg.errors import show as _show
from kg.schema import PropertySpec, entity_classes, properties, superclasses

MAX_FACT_FILE_BYTES = 5_000_000
MAX_DEPTH = 20
"""Deepest YAML nesting accepted (a fact file needs four levels)."""
MAX_ARTICLE_BYTES = 20_000_000
ID_PATTERN = re.compile(r"^[^\W_][\w.-]{0,199}$")
ARTICLE_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")

ENTITY_KEYS = {"id", "type", "label", "altLabels", "quote", "occurrence", "note"}
FACT_KEYS = {"subject", "predicate", "object", "quote", "occurrence", "note"}
ARTICLE_KEYS = {"id", "file", "title", "source", "published", "note"}


# ---------------------------------------------------------------- errors


class Where(NamedTuple):
    """A position in a file, 1-based, as editors show it.

    A tuple, not a dataclass: a large corpus makes one per YAML value, and a tuple is
    several times cheaper to create (it orders and hashes the same way).
    """

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, order=True)
class Problem:
    where: Where
    message: str
    warning: bool = False
    """A warning does not stop the build; it is shown as ``warning: …``."""

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class FactError(KgError, ValueError):
    """One or more problems in the fact files; ``str()`` gives one line per problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


# ---------------------------------------------------------------- model


@dataclass(slots=True)
class Quote:
    text: str
    occurrence: int | None
    where: Where
    span: tuple[int, int] = (0, 0)
    """Code-point offsets in the NFC raw article, filled in by :func:`load_corpus`."""


@dataclass(slots=True)
class Value:
    """One value of a property, with where it was written."""

    raw: Any
    where: Where


@dataclass(slots=True)
class Entity:
    id: str
    type: str
    label: str | None
    alt_labels: list[str]
    quote: Quote
    props: dict[str, list[Value]]
    where: Where
    article: str


@dataclass(slots=True)
class Fact:
    subject: Value
    predicate: Value
    object: Value
    quote: Quote
    where: Where
    article: str


@dataclass
class Article:
    id: str
    file: str
    title: str
    source: str | None
    published: str | None
    path: Path
    text: str
    sha256: str
    where: Where
    quotes: dict[str, Quote] = field(default_factory=dict)
    """Quotes for the article's own metadata (``title``, ``source``, ``published``)."""


@dataclass
class FactFile:
    path: Path
    article: Article
    entities: list[Entity]
    facts: list[Fact]
    warnings: list[Problem] = field(default_factory=list)
    made: Any = None
    """What ``read_corpus(..., make=)`` made of this file in the process that loaded it
    (the builder: the lines of its article graph), until the builder takes it."""


@dataclass
class Corpus:
    files: list[FactFile]

    @property
    def warnings(self) -> list[Problem]:
        """What the fact files say that is allowed but probably wrong, in file order."""
        return sorted(w for f in self.files for w in f.warnings)

    @functools.cached_property
    def articles(self) -> dict[str, Article]:
        """Articles by id (files is not changed after loading)."""
        return {f.article.id: f.article for f in self.files}

    def entities(self) -> Iterator[Entity]:
        for f in self.files:
            yield from f.entities

    def facts(self) -> Iterator[Fact]:
        for f in self.files:
            yield from f.facts


# ---------------------------------------------------------------- YAML with positions


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases: fact files need none and they enable YAML bombs."""

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                None,
                None,
                "anchors and aliases (*name) are not allowed in fact files",
                event.start_mark,
            )
        if self.check_event(yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent):
            event = self.peek_event()
            if getattr(event, "anchor", None):
                raise yaml.MarkedYAMLError(
                    None, None, "anchors (&name) are not allowed in fact files", event.start_mark
                )
        return super().compose_node(parent, index)


@dataclass(slots=True)
class _Node:
    """A YAML value with its position, so validation errors can point at it."""

    value: Any
    where: Where


def _where(path: str, mark: yaml.Mark | None) -> Where:
    if mark is None:
        return Where(path)
    return Where(path, mark.line + 1, mark.column + 1)


STANDARD_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
}


def _convert(node: yaml.Node, path: str, problems: list[Problem], depth: int = 0) -> _Node:
    """Positioned values from a composed node tree (libyaml's C tree, or the pure-Python
    one kept for its better errors); refuses the nesting :func:`_compose_fast` refuses."""
    where = _where(path, node.start_mark)
    if node.tag not in STANDARD_TAGS:
        problems.append(Problem(where, f"YAML tag {node.tag!r} is not allowed in fact files"))
        return _Node(None, where)
    if isinstance(node, yaml.CollectionNode) and depth >= MAX_DEPTH:
        raise yaml.MarkedYAMLError(
            None,
            None,
            f"nested more than {MAX_DEPTH} levels deep; a fact file needs at most 4",
            node.start_mark,
        )
    if isinstance(node, yaml.MappingNode):
        pairs = [
            (_convert(k, path, problems, depth + 1), _convert(v, path, problems, depth + 1))
            for k, v in node.value
        ]
        return _mapping(pairs, where, problems)
    if isinstance(node, yaml.SequenceNode):
        return _Node([_convert(n, path, problems, depth + 1) for n in node.value], where)
    return _scalar(node, where, problems)


def _mapping(pairs: list[tuple[_Node, _Node]], where: Where, problems: list[Problem]) -> _Node:
    out: dict[str, _Node] = {}
    for key, value in pairs:
        if not isinstance(key.value, str):
            problems.append(Problem(key.where, f"keys must be text, not {key.value!r}"))
            continue
        if key.value in out:
            problems.append(Problem(key.where, f"duplicate key '{key.value}' in this mapping"))
            continue
        out[key.value] = value
    return _Node(out, where)


_CONSTRUCTOR = yaml.SafeLoader("")
_STR_TAG = "tag:yaml.org,2002:str"


def _scalar(node: yaml.ScalarNode, where: Where, problems: list[Problem]) -> _Node:
    if node.tag == _STR_TAG:
        return _Node(node.value, where)
    if node.tag.endswith(("float", "timestamp")):
        # Keep what the annotator wrote: 78.10 stays "78.10", a date stays its text.
        return _Node(node.value, where)
    try:
        value = _CONSTRUCTOR.construct_object(node)
    except yaml.YAMLError as exc:
        problems.append(Problem(where, f"cannot read this value: {exc}"))
        value = None
    return _Node(value, where)


def _compose_fast(source: str, path: str, problems: list[Problem]) -> _Node:
    """Positioned values straight from libyaml's events.

    Composing yaml.Node trees in pure Python was most of the load time of a large corpus;
    libyaml's parser gives the same events with the same marks several times faster.
    Aliases and anchors are refused here as in :class:`_Loader`.
    """
    loader = yaml.CSafeLoader  # type: ignore[attr-defined]
    resolver = yaml.resolver.Resolver()
    stack: list[tuple[list[Any], Where, bool]] = []  # (items, where, is_mapping)
    root: _Node | None = None
    documents = 0
    for event in yaml.parse(source, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.MarkedYAMLError(
                None,
                None,
                "anchors and aliases (*name) are not allowed in fact files",
                event.start_mark,
            )
        if isinstance(event, yaml.NodeEvent) and event.anchor:
            raise yaml.MarkedYAMLError(
                None, None, "anchors (&name) are not allowed in fact files", event.start_mark
            )
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise yaml.MarkedYAMLError(
                    "expected a single document in the stream",
                    None,
                    "but found another document",
                    event.start_mark,
                )
            continue
        where = _where(path, event.start_mark)
        node: _Node | None = None
        if isinstance(event, yaml.ScalarEvent):
            tag = event.tag
            if tag is None or tag == "!":
                tag = resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
            if tag not in STANDARD_TAGS:
                problems.append(Problem(where, f"YAML tag {tag!r} is not allowed in fact files"))
                node = _Node(None, where)
            else:
                scalar = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark)
                node = _scalar(scalar, where, problems)
        elif isinstance(event, yaml.CollectionStartEvent):
            kind = yaml.MappingNode if isinstance(event, yaml.MappingStartEvent) else None
            tag = event.tag
            if tag is None or tag == "!":
                tag = resolver.resolve(kind or yaml.SequenceNode, None, event.implicit)
            if tag not in STANDARD_TAGS:
                problems.append(Problem(where, f"YAML tag {tag!r} is not allowed in fact files"))
            if len(stack) >= MAX_DEPTH:
                raise yaml.MarkedYAMLError(
                    None,
                    None,
                    f"nested more than {MAX_DEPTH} levels deep; a fact file needs at most 4",
                    event.start_mark,
                )
            stack.append(([], where, kind is not None))
            continue
        elif isinstance(event, yaml.CollectionEndEvent):
            items, start, is_mapping = stack.pop()
            if is_mapping:
                node = _mapping(list(zip(items[::2], items[1::2], strict=True)), start, problems)
            else:
                node = _Node(items, start)
        else:
            continue
        if stack:
            stack[-1][0].append(node)
        else:
            root = node
    return root if root is not None else _Node(None, Where(path))


def read_utf8(path: Path, limit: int) -> str:
    """Read a file people wrote by hand: a regular file, bounded size (checked while
    reading, not by ``stat``), strict UTF-8, no BOM, NFC."""
    try:
        return text.read_article(path, limit)
    except text.ArticleError as exc:
        raise FactError([Problem(Where(str(path), exc.line, exc.col), exc.reason)]) from None


def parse_yaml(path: Path) -> _Node:
    """Parse one YAML file into positioned nodes, or raise :class:`FactError`."""
    source = read_utf8(path, MAX_FACT_FILE_BYTES)
    name = str(path)
    if not source.strip():
        raise FactError(
            [Problem(Where(name), "file is empty; a fact file needs an 'article:' section")]
        )
    problems: list[Problem] = []
    try:
        if getattr(yaml, "__with_libyaml__", False):
            try:
                if "&" in source or "*" in source:
                    root = _compose_fast(source, name, problems)
                else:
                    # Without '&' or '*' there can be no anchor or alias, so libyaml may
                    # compose the whole tree in C: twice as fast as walking its events.
                    node = yaml.compose(source, Loader=yaml.CSafeLoader)  # type: ignore[attr-defined]
                    root = _convert(node, name, problems) if node else _Node(None, Where(name))
            except yaml.MarkedYAMLError as exc:
                if any(ours in str(exc.problem) for ours in ("not allowed in", "nested more")):
                    raise
                # libyaml's messages are terser; PyYAML's parser says the same, better.
                problems = []
                root = _convert(yaml.compose(source, Loader=_Loader), name, problems)
        else:
            root = _convert(yaml.compose(source, Loader=_Loader), name, problems)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = exc.problem or exc.context or "invalid YAML"
        raise FactError([Problem(_where(name, mark), f"invalid YAML: {reason}")]) from None
    except yaml.YAMLError as exc:
        raise FactError([Problem(Where(name), f"invalid YAML: {exc}")]) from None
    except RecursionError:
        raise FactError([Problem(Where(name), "invalid YAML: nested too deeply")]) from None
    if problems:
        raise FactError(problems)
    return root


# ---------------------------------------------------------------- validation helpers


def _expect(node: _Node, kind: type | tuple[type, ...], what: str, problems: list[Problem]) -> bool:
    if (isinstance(node.value, kind) and not isinstance(node.value, bool)) or (
        kind is bool and isinstance(node.value, bool)
    ):
        return True
    problems.append(
        Problem(node.where, f"{what} must be {_kind_name(kind)}, not {_show(node.value)}")
    )
    return False


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {
        str: "text",
        int: "a whole number",
        list: "a list",
        dict: "a mapping",
        bool: "true/false",
    }
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """``"did you mean 'label'? "`` for a near miss among ``known``, else nothing.

    >>> did_you_mean("lable", ["label", "quote"]), did_you_mean("xyz", ["label"])
    ("did you mean 'label'? ", '')
    """
    import difflib

    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'? " if close else ""


def _unknown_keys(node: _Node, allowed: set[str], what: str, problems: list[Problem]) -> None:
    for key, child in node.value.items():
        if key not in allowed:
            hint = ", ".join(sorted(allowed))
            guess = did_you_mean(key, allowed)
            problems.append(
                Problem(child.where, f"unknown key '{key}' in {what}; {guess}allowed: {hint}")
            )


def _text(node: _Node | None, what: str, problems: list[Problem], where: Where) -> str | None:
    if node is None:
        problems.append(Problem(where, f"missing '{what}'"))
        return None
    if not _expect(node, str, f"'{what}'", problems):
        return None
    if not node.value.strip():
        problems.append(Problem(node.where, f"'{what}' is empty"))
        return None
    if CONTROL.search(node.value):
        problems.append(Problem(node.where, f"'{what}' contains a control character; remove it"))
        return None
    return node.value


def _quote(mapping: dict[str, _Node], where: Where, problems: list[Problem]) -> Quote | None:
    quote = _text(mapping.get("quote"), "quote", problems, where)
    occurrence = mapping.get("occurrence")
    nth = None
    if occurrence is not None and _expect(occurrence, int, "'occurrence'", problems):
        if occurrence.value < 1:
            problems.append(Problem(occurrence.where, "'occurrence' counts from 1"))
        else:
            nth = occurrence.value
    if quote is None:
        return None
    return Quote(quote, nth, mapping["quote"].where)


def _check_id(node: _Node | None, what: str, problems: list[Problem], where: Where) -> str | None:
    value = _text(node, what, problems, where)
    if value is None:
        return None
    if not ID_PATTERN.match(value):
        problems.append(
            Problem(
                node.where,  # type: ignore[union-attr]
                f"'{what}' {value!r} is not a valid id: use letters, digits, '-', '.' or '_' "
                "(no spaces or '/'), starting with a letter or digit, at most 200 characters",
            )
        )
        return None
    if mixed := _mixed_scripts(value):
        problems.append(
            Problem(
                node.where,  # type: ignore[union-attr]
                f"'{what}' {value!r} mixes {mixed} letters; it may look like another id "
                "but is not the same (write it in one script)",
                warning=True,
            )
        )
    return value


_LOOKALIKE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def _mixed_scripts(value: str) -> str | None:
    """Latin, Cyrillic and Greek letters in one id: ``lеi-xinqian`` (with a Cyrillic е)
    looks like ``lei-xinqian`` but is another id, so another node.

    >>> _mixed_scripts("lei-xinqian"), _mixed_scripts("l\u0435i-xinqian")
    (None, 'Latin and Cyrillic')
    """
    import unicodedata

    scripts = {
        script
        for ch in value
        if ch.isalpha()
        for script in [unicodedata.name(ch, "").split(" ")[0]]
        if script in _LOOKALIKE_SCRIPTS
    }
    if len(scripts) < 2:
        return None
    return " and ".join(s.title() for s in _LOOKALIKE_SCRIPTS if s in scripts)


def _label_warnings(entity_where: Where, labels: list[tuple[str, Where]]) -> list[Problem]:
    """Invisible and direction-changing characters in a label: it would display as
    something other than what it is (``U+202E`` reverses what follows)."""
    found = []
    for label, where in labels:
        hit = text.INVISIBLE.search(label)
        if hit:
            import unicodedata

            name = unicodedata.name(hit.group(), "invisible character")
            found.append(
                Problem(
                    where,
                    f"label {label!r} holds an invisible U+{ord(hit.group()):04X} {name}; it "
                    "displays differently from what it is (remove it)",
                    warning=True,
                )
            )
    return found


# ---------------------------------------------------------------- one file


def load_file(path: Path, articles_dir: Path) -> FactFile:
    """Load one fact file and its article; quotes are located by :func:`load_corpus`."""
    root = parse_yaml(path)
    name = str(path)
    problems: list[Problem] = []
    if not isinstance(root.value, dict):
        raise FactError(
            [
                Problem(
                    root.where,
                    "a fact file must be a mapping with 'article:', 'entities:' and 'facts:'",
                )
            ]
        )
    _unknown_keys(root, {"article", "entities", "facts"}, "the fact file", problems)
    article_node = root.value.get("article")
    if article_node is None:
        raise FactError([*problems, Problem(Where(name), "missing 'article:' section")])
    article = _load_article(article_node, articles_dir, problems)

    entities: list[Entity] = []
    seen: dict[str, Where] = {}
    entities_node = root.value.get("entities", _Node([], root.where))
    if _expect(entities_node, list, "'entities'", problems):
        for item in entities_node.value:
            entity = _load_entity(item, article.id if article else "?", problems)
            if entity is None:
                continue
            if entity.id in seen:
                problems.append(
                    Problem(
                        entity.where,
                        f"duplicate id '{entity.id}' "
                        f"(first defined at line {seen[entity.id].line})",
                    )
                )
                continue
            seen[entity.id] = entity.where
            entities.append(entity)

    facts: list[Fact] = []
    facts_node = root.value.get("facts", _Node([], root.where))
    if _expect(facts_node, list, "'facts'", problems):
        for item in facts_node.value:
            fact = _load_fact(item, article.id if article else "?", problems)
            if fact is not None:
                facts.append(fact)
    errors = [p for p in problems if not p.warning]
    if errors or article is None:
        raise FactError(errors)
    return FactFile(path, article, entities, facts, [p for p in problems if p.warning])


def _load_article(node: _Node, articles_dir: Path, problems: list[Problem]) -> Article | None:
    if not _expect(node, dict, "'article'", problems):
        return None
    m = node.value
    _unknown_keys(node, ARTICLE_KEYS, "'article'", problems)
    article_id = _text(m.get("id"), "id", problems, node.where)
    if article_id is not None and not ARTICLE_ID_PATTERN.match(article_id):
        problems.append(
            Problem(
                m["id"].where,
                f"article id {article_id!r} must be letters, digits, '-' or '_' (at most 64)",
            )
        )
        article_id = None
    file_name = _text(m.get("file"), "file", problems, node.where)
    title = _text(m.get("title"), "title", problems, node.where)
    source = _text(m["source"], "source", problems, node.where) if "source" in m else None
    published = None
    published_quote = None
    if "published" in m:
        pub = m["published"]
        if _expect(pub, dict, "'published'", problems):
            _unknown_keys(pub, {"date", "quote", "occurrence"}, "'published'", problems)
            published = _text(pub.value.get("date"), "date", problems, pub.where)
            if published is not None and not re.fullmatch(r"\d{4}-\d\d-\d\d", published):
                problems.append(
                    Problem(pub.value["date"].where, f"'date' {published!r} must be YYYY-MM-DD")
                )
                published = None
            elif published is not None and (wrong := schema.real_date_problem(published)):
                problems.append(Problem(pub.value["date"].where, f"'date' {wrong}"))
                published = None
            published_quote = _quote(pub.value, pub.where, problems)
    if article_id is None or file_name is None or title is None:
        return None
    path = _article_path(file_name, articles_dir, m["file"].where, problems)
    if path is None:
        return None
    try:
        raw = read_utf8(path, MAX_ARTICLE_BYTES)
    except FactError as exc:
        # Point at the article itself (its line and column), where the damage is.
        problems.extend(exc.problems)
        return None
    article = Article(
        id=article_id,
        file=file_name,
        title=title,
        source=source,
        published=published,
        path=path,
        text=raw,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        where=node.where,
    )
    # A web page repeats its title and publisher (header, footer): the first is meant.
    article.quotes["title"] = Quote(title, 1, m["title"].where)
    if source is not None:
        article.quotes["source"] = Quote(source, 1, m["source"].where)
    if published_quote is not None:
        article.quotes["published"] = published_quote
    return article


def _article_path(
    name: str, articles_dir: Path, where: Where, problems: list[Problem]
) -> Path | None:
    """Resolve an article file name safely: it must name a file inside ``articles_dir``."""
    if "/" in name or "\\" in name or name.startswith(".") or "\x00" in name:
        problems.append(
            Problem(
                where,
                f"'file' {name!r} must be a plain file name in "
                f"{articles_dir} (no '/', '\\' or leading '.')",
            )
        )
        return None
    base = articles_dir.resolve()
    path = (articles_dir / name).resolve()
    if path.parent != base:
        problems.append(Problem(where, f"'file' {name!r} resolves outside {articles_dir}"))
        return None
    if not path.is_file():
        problems.append(Problem(where, f"article file {name!r} not found in {articles_dir}"))
        return None
    return path


def _load_entity(node: _Node, article: str, problems: list[Problem]) -> Entity | None:
    if not _expect(node, dict, "an entity", problems):
        return None
    m = node.value
    specs = properties()
    _unknown_keys(node, ENTITY_KEYS | set(specs), "an entity", problems)
    entity_id = _check_id(m.get("id"), "id", problems, node.where)
    type_name = _text(m.get("type"), "type", problems, node.where)
    classes = entity_classes()
    if type_name is not None and type_name not in classes:
        problems.append(
            Problem(
                m["type"].where,
                f"unknown type '{type_name}'; {did_you_mean(type_name, classes)}known types: "
                + ", ".join(sorted(classes)),
            )
        )
        type_name = None
    label = None
    if "label" in m or type_name is None or not schema.classes()[type_name].composed_label:
        label = _text(m.get("label"), "label", problems, node.where)
    alt_labels: list[str] = []
    if "altLabels" in m and _expect(m["altLabels"], list, "'altLabels'", problems):
        for alt in m["altLabels"].value:
            value = _text(alt, "altLabels", problems, alt.where)
            if value is not None:
                alt_labels.append(value)
                problems.extend(_label_warnings(node.where, [(value, alt.where)]))
    if label is not None:
        problems.extend(_label_warnings(node.where, [(label, m["label"].where)]))
    quote = _quote(m, node.where, problems)
    props: dict[str, list[Value]] = {}
    for key, child in m.items():
        if key in ENTITY_KEYS or key not in specs:
            continue
        items = child.value if isinstance(child.value, list) else [child]
        values = [Value(i.value, i.where) for i in items if _check_value(specs[key], i, problems)]
        if values:
            props[key] = values
    if entity_id is None or type_name is None or quote is None:
        return None
    return Entity(entity_id, type_name, label, alt_labels, quote, props, node.where, article)


def _load_fact(node: _Node, article: str, problems: list[Problem]) -> Fact | None:
    if not _expect(node, dict, "a fact", problems):
        return None
    m = node.value
    _unknown_keys(node, FACT_KEYS, "a fact", problems)
    subject = _check_id(m.get("subject"), "subject", problems, node.where)
    predicate = _text(m.get("predicate"), "predicate", problems, node.where)
    specs = properties()
    spec = None
    if predicate is not None:
        spec = specs.get(predicate)
        if spec is None:
            problems.append(
                Problem(
                    m["predicate"].where,
                    f"unknown predicate '{predicate}'; {did_you_mean(predicate, specs)}known: "
                    + ", ".join(sorted(specs)),
                )
            )
    obj = m.get("object")
    if obj is None:
        problems.append(Problem(node.where, "missing 'object'"))
    elif spec is not None and not _check_value(spec, obj, problems):
        obj = None
    quote = _quote(m, node.where, problems)
    if subject is None or spec is None or obj is None or quote is None:
        return None
    return Fact(
        Value(subject, m["subject"].where),
        Value(predicate, m["predicate"].where),
        Value(obj.value, obj.where),
        quote,
        node.where,
        article,
    )


def _check_value(spec: PropertySpec, node: _Node, problems: list[Problem]) -> bool:
    """Check a value's form; whether an entity id exists is checked across the corpus."""
    what = f"'{spec.key}'"
    if spec.kind == "entity":
        return _check_id(node, spec.key, problems, node.where) is not None
    if spec.kind == "concept":
        from kg.schema import concepts

        if not _expect(node, str, what, problems):
            return False
        allowed = concepts(spec.range)  # type: ignore[arg-type]
        if node.value not in allowed:
            guess = did_you_mean(str(node.value), allowed).strip()
            problems.append(
                Problem(
                    node.where,
                    f"{what} must be one of {', '.join(sorted(allowed))}, not {node.value!r}"
                    + (f"; {guess}" if guess else ""),
                )
            )
            return False
        return True
    return literal_problem(spec, node.value, node.where, problems)


def literal_problem(spec: PropertySpec, value: Any, where: Where, problems: list[Problem]) -> bool:
    """Check a literal value against the property's datatype; record a problem if wrong."""
    from kg.schema import DATATYPES

    problem = DATATYPES[str(spec.range)].check(value)
    if problem is not None:
        problems.append(Problem(where, f"'{spec.key}' {problem}"))
    return problem is None


# ---------------------------------------------------------------- corpus


Progress = Callable[[str, int, int], None]
"""Called as ``progress(step, done, total)`` while a long job runs (the CLI draws bars)."""

Make = Callable[[FactFile], Any]
"""Work on one loaded file without problems, done where it was loaded (:func:`read_corpus`)."""


def load_corpus(data_dir: Path, progress: Progress | None = None, *, cache: Any = None) -> Corpus:
    """Load every fact file under ``data_dir/facts`` and check the corpus as a whole.

    Checks that need more than one file happen here: ids referenced but defined nowhere,
    one id given two types or two labels, quotes located in their articles. Raises
    :class:`FactError` with every problem found. ``cache`` (a :class:`kg.buildcache.Cache`)
    supplies files loaded before, unchanged since.
    """
    corpus, problems = read_corpus(data_dir, progress, cache=cache)
    if problems:
        raise FactError(problems)
    return corpus


def read_corpus(
    data_dir: Path,
    progress: Progress | None = None,
    *,
    cache: Any = None,
    make: Make | None = None,
) -> tuple[Corpus, list[Problem]]:
    """Every fact file that loads, and every problem found, without raising for them.

    A build reports all problems of a run at once: the files that loaded can still be
    built and their shapes checked while another file has a YAML error.

    ``make`` (a module-level function) runs on each freshly read file that has no
    problem of its own, in the worker process that read it; its result is the file's
    ``made``. The builder makes an article's lines there: the work is spread over the
    cores with the loading, and the parent receives text instead of making it.
    """
    facts_dir = data_dir / "facts"
    articles_dir = data_dir / "articles"
    if not facts_dir.is_dir():
        raise FactError(
            [Problem(Where(str(facts_dir)), "no facts directory here; expected data/facts/*.yaml")]
        )
    paths, problems = fact_file_paths(facts_dir)
    if not paths and not problems:
        raise FactError([Problem(Where(str(facts_dir)), "no fact files (*.yaml) found")])
    files: list[FactFile] = []
    file_problems: list[Problem] = []
    loading = _load_and_check(paths, articles_dir, cache, make)
    for done, (loaded, found) in enumerate(loading, 1):
        if loaded is None:
            problems.extend(found)
        else:
            files.append(loaded)
            file_problems.extend(found)
        if progress:
            progress("reading fact files", done, len(paths))
    corpus = Corpus(files)
    problems.extend(check_corpus(corpus, check_files=False))
    problems.extend(file_problems)
    return corpus, sorted(set(problems))


def fact_file_paths(facts_dir: Path) -> tuple[list[Path], list[Problem]]:
    """The fact files of a folder, in name order, and problems with the folder's entries.

    Hidden files are skipped: editors and file managers leave them (``.#000.yaml`` Emacs
    locks, ``._000.yaml`` macOS forks, ``.000.yaml.swp``). A fact file that is a symlink
    to somewhere outside the facts folder is refused, as an article path outside
    ``articles/`` is: the data folder is what the build reads, nothing else.
    """
    base = facts_dir.resolve()
    paths: list[Path] = []
    problems: list[Problem] = []
    for path in sorted(facts_dir.iterdir()):
        if path.name.startswith(".") or path.suffix not in (".yaml", ".yml"):
            continue
        if path.is_symlink() and base not in path.resolve().parents:
            problems.append(
                Problem(
                    Where(str(path)),
                    f"is a symlink to {path.resolve()}, outside {facts_dir}; copy the file "
                    "into the facts folder instead",
                )
            )
            continue
        paths.append(path)
    return paths, problems


PARALLEL_FROM_FILES = 64
"""Below this many fact files one process is quicker than starting a second."""


def _load_and_check(
    paths: list[Path], articles_dir: Path, cache: Any = None, make: Make | None = None
) -> Iterator[tuple[FactFile | None, list[Problem]]]:
    """Each file loaded and checked on its own, in order: from the cache when it has the
    file, else in as many processes as there are cores for a corpus large enough to pay
    for them (the work per file is independent, and pure Python)."""
    done: dict[Path, tuple[FactFile | None, list[Problem]]] = {}
    if cache is not None:
        for path in paths:
            found = cache.load(path, articles_dir)
            if found is not None:
                done[path] = found
    todo = [p for p in paths if p not in done]
    workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    if len(todo) < PARALLEL_FROM_FILES or workers < 2 or sys.platform != "linux":
        fresh: Iterator[tuple[FactFile | None, list[Problem]]] = (
            _load_one(path, articles_dir, make) for path in todo
        )
        yield from _in_order(paths, done, todo, fresh, cache)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from kg.isolate import die_with_parent

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=die_with_parent
    ) as pool:
        fresh = pool.map(
            _load_one, todo, [articles_dir] * len(todo), [make] * len(todo), chunksize=16
        )
        yield from _in_order(paths, done, todo, fresh, cache)


def _in_order(
    paths: list[Path],
    done: dict[Path, tuple[FactFile | None, list[Problem]]],
    todo: list[Path],
    fresh: Iterator[tuple[FactFile | None, list[Problem]]],
    cache: Any,
) -> Iterator[tuple[FactFile | None, list[Problem]]]:
    """Cached and freshly loaded files merged back into the order of ``paths``."""
    loaded = zip(todo, fresh, strict=True)
    for path in paths:
        if path in done:
            yield done[path]
            continue
        _, result = next(loaded)
        if cache is not None and result[0] is not None:
            cache.remember(result[0], result[1])
        yield result


def _load_one(
    path: Path, articles_dir: Path, make: Make | None = None
) -> tuple[FactFile | None, list[Problem]]:
    try:
        loaded = load_file(path, articles_dir)
    except FactError as exc:
        return None, exc.problems
    problems = check_file(loaded)
    if make is not None and not problems:
        loaded.made = make(loaded)
    return loaded, problems


def check_corpus(corpus: Corpus, *, check_files: bool = True) -> list[Problem]:
    """Cross-file checks, and (unless already done) :func:`check_file` for every file."""
    problems: list[Problem] = []
    seen_articles: dict[str, Where] = {}
    for f in corpus.files:
        if f.article.id in seen_articles:
            problems.append(
                Problem(
                    f.article.where,
                    f"article id '{f.article.id}' is also used at {seen_articles[f.article.id]}",
                )
            )
        seen_articles.setdefault(f.article.id, f.article.where)

    first: dict[str, Entity] = {}
    for entity in corpus.entities():
        other = first.setdefault(entity.id, entity)
        if other is entity:
            continue
        if other.type != entity.type:
            problems.append(
                Problem(
                    entity.where,
                    f"'{entity.id}' has type {entity.type} here but {other.type} at {other.where}",
                )
            )
        if entity.label is not None and other.label is not None and other.label != entity.label:
            problems.append(
                Problem(
                    entity.where,
                    f"'{entity.id}' is labelled {entity.label!r} here "
                    f"but {other.label!r} at {other.where}; one "
                    "entity has one label (put variants in altLabels)",
                )
            )

    specs = properties()
    classes = entity_classes()

    def check_ref(spec: PropertySpec, value: Value) -> None:
        if spec.kind != "entity":
            return
        target = first.get(value.raw)
        if target is None:
            problems.append(
                Problem(
                    value.where,
                    f"'{value.raw}' is not defined in any fact file (add it under 'entities:')",
                )
            )
        elif spec.range is not None and spec.range not in superclasses(classes[target.type]):
            problems.append(
                Problem(
                    value.where,
                    f"'{spec.key}' needs an entity of type "
                    f"{str(spec.range).split('#')[-1]}, but "
                    f"'{value.raw}' is of type {target.type}",
                )
            )

    for entity in corpus.entities():
        for key, values in entity.props.items():
            for value in values:
                check_ref(specs[key], value)
    for fact in corpus.facts():
        if fact.subject.raw not in first:
            problems.append(
                Problem(
                    fact.subject.where,
                    f"'{fact.subject.raw}' is not defined in "
                    "any fact file (add it under 'entities:')",
                )
            )
        check_ref(specs[fact.predicate.raw], fact.object)

    if check_files:
        for f in corpus.files:
            problems.extend(check_file(f))
    return problems


def check_file(f: FactFile) -> list[Problem]:
    """Checks within one file: locate its quotes (filling in their spans), then check
    labels, metric values and division codes against them."""
    problems: list[Problem] = []
    raw = f.article.text
    quotes = list(f.article.quotes.values())
    quotes += [e.quote for e in f.entities] + [x.quote for x in f.facts]
    for quote in quotes:
        try:
            quote.span = text.locate(quote.text, raw, quote.occurrence)
        except text.QuoteError as exc:
            problems.append(Problem(quote.where, f"{exc} (article {f.article.file})"))
    for entity in f.entities:
        problems.extend(_label_problems(entity, raw))
        problems.extend(_metric_problems(entity, raw))
        problems.extend(_division_problems(entity))
        for key, values in entity.props.items():
            problems.extend(_date_problems(key, values, entity.quote, raw))
    for fact in f.facts:
        problems.extend(_date_problems(fact.predicate.raw, [fact.object], fact.quote, raw))
    return problems


def _date_problems(key: str, values: list[Value], quote: Quote, raw: str) -> list[Problem]:
    """A date must be written in its quote, as a number must: ``--02-11`` needs a 2 and
    an 11 in the sentence (``2月11日``, ``二月十一日``), ``2020-04`` a 2020 and a 4."""
    from kg.ontology import KG

    spec = properties().get(key)
    if spec is None or spec.range != KG.DateOrPart or quote.span == (0, 0):
        return []
    quoted = raw[quote.span[0] : quote.span[1]]
    problems = []
    for value in values:
        parts = [str(int(p)) for p in str(value.raw).lstrip("-").split("-") if p.isdigit()]
        missing = [p for p in parts if not number_in_text(p, quoted)]
        if missing:
            problems.append(
                Problem(
                    value.where,
                    f"the date {value.raw} is not written in the quote ({', '.join(missing)} "
                    "missing); quote the words that give the date",
                )
            )
    return problems


def _division_problems(entity: Entity) -> list[Problem]:
    """A stated division code must exist in the official table and name this entity.

    The code is not in the article, so it is only trusted when the reference table agrees
    on the name and the level; the build then cites the table's record as its evidence.
    """
    from kg import gazetteer

    problems = []
    for value in entity.props.get("divisionCode", []):
        code = str(value.raw)
        division = gazetteer.lookup(code)
        if division is None:
            problems.append(
                Problem(
                    value.where,
                    f"division code {code} is not in the official "
                    f"table ({gazetteer.SOURCE['dataset']}, "
                    f"{gazetteer.SOURCE['data_as_of']})",
                )
            )
            continue
        names = {entity.label, *entity.alt_labels}
        if division.name not in names:
            problems.append(
                Problem(value.where, f"division code {code} is {division.name}, not {entity.label}")
            )
        if schema.classes()[entity.type].division_level != division.level:
            problems.append(
                Problem(
                    value.where,
                    f"division code {code} is a {division.level}, "
                    f"but '{entity.id}' is a {entity.type}",
                )
            )
    return problems


def _metric_problems(entity: Entity, raw: str) -> list[Problem]:
    """A metric states its number, or says it is missing; the number must be in the quote.

    This is the guard against invented numbers: whatever value an annotator writes, the
    build refuses it unless the quoted sentence contains it (Arabic or Chinese numerals).
    """
    values = entity.props.get("value", [])
    missing = entity.props.get("valueMissing", [])
    if entity.type != "Metric":
        return [
            Problem(v.where, f"'{k}' is for Metric entities, not {entity.type}")
            for k, vs in (("value", values), ("valueMissing", missing))
            for v in vs
        ]
    if missing and missing[0].raw is True and values:
        return [Problem(values[0].where, "a metric with 'valueMissing: true' has no 'value'")]
    if not values and not (missing and missing[0].raw is True):
        return [
            Problem(
                entity.where,
                "a Metric needs 'value' (the number in the quote) or "
                "'valueMissing: true' when the article lost it",
            )
        ]
    if not values or entity.quote.span == (0, 0):
        return []
    start, end = entity.quote.span
    value = str(values[0].raw)
    if number_in_text(value, raw[start:end]):
        return []
    return [
        Problem(
            values[0].where,
            f"the number {value} does not occur in the quote; a metric's "
            "value must be written in the sentence it is quoted from",
        )
    ]


def number_in_text(value: str, quoted: str) -> bool:
    """Whether ``value`` is written in ``quoted``, in Arabic or Chinese numerals.

    Chinese numerals are read by the one parser of the package,
    :func:`kg.numbers.parse_chinese_number`, so what the loader accepts and what
    ``kg extract`` drafts agree (a lone 两 is 2; 五六个 is no number).

    >>> number_in_text("205", "其中工业企业205家")
    True
    >>> number_in_text("200", "现在工地两百多名工人都复工了")
    True
    >>> number_in_text("2", "不到两周就完成了")
    True
    >>> number_in_text("20", "其中工业企业205家")
    False
    """
    normalized = text.normalize(quoted).text
    if _has_number(value, normalized):
        return True
    try:
        wanted = Decimal(value)
    except InvalidOperation:
        return False
    from kg.numbers import chinese_values  # kg.numbers imports this module

    return wanted in chinese_values(normalized)


def _has_number(value: str, haystack: str) -> bool:
    """Match whole numbers only: 20 is not in 205, 2.4 is not in 12.43.

    >>> _has_number("20", "205家"), _has_number("2.4", "12.43"), _has_number("12", "12.5")
    (False, False, False)
    >>> _has_number("12", "共12.家"), _has_number("205", "其中205家")
    (True, True)
    """
    haystack = haystack.translate(FULLWIDTH_DIGITS)
    at = haystack.find(value)
    while at >= 0:
        before = haystack[at - 1] if at else ""
        after = haystack[at + len(value) : at + len(value) + 2]
        starts_clean = not (before.isdigit() or before == ".")
        ends_clean = not (after[:1].isdigit() or (after[:1] == "." and after[1:2].isdigit()))
        if starts_clean and ends_clean:
            return True
        at = haystack.find(value, at + 1)
    return False


FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．", "0123456789.")


def _label_problems(entity: Entity, raw: str) -> list[Problem]:
    """An entity's label must be visible in its quote, so the quote really names it."""
    if entity.label is None or entity.quote.span == (0, 0):
        return []
    start, end = entity.quote.span
    quoted = text.normalize(raw[start:end]).text
    names = [entity.label, *entity.alt_labels]
    if any(name in quoted or name in raw[start:end] for name in names):
        return []
    return [
        Problem(
            entity.quote.where,
            f"neither the label {entity.label!r} nor an altLabel "
            "occurs in the quote; quote the words that name it",
        )
    ]
