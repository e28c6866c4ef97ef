"""Edit fact files as text people also edit: the one home of "write a fact file".

``kg.facts`` reads a fact file to build from it; this module changes one and writes it
back so that a person's work survives: comments, quoting and key order of what was not
touched stay as they were (ruamel.yaml round-trip), new keys go in the documented order
(``ontology/factfile.yaml``), and the file is replaced atomically, never over a version
changed on disk since it was read.

A file's content travels as plain JSON-able data (:func:`to_content`, :func:`apply`)::

    {"article": {"id": "005", "file": "005_x.txt", "title": "..."},
     "entities": [{"ref": 0, "fields": {"id": "lei-xinqian", "type": "Official", ...}},
                  {"ref": null, "fields": {...}}],          # null: a new entity
     "facts": [...]}

``ref`` is the index of the item in the file as read, so an edited item keeps its
comments; items left out are removed, and the comment lines that stood between items
(section headers) stay before the item they introduced.

>>> tree = parse('article:\\n  id: "005"  # the id\\nentities: []\\n', "005.yaml")
>>> content = to_content(tree)
>>> content["article"]["fields"]["title"] = "标题"
>>> print(dump(apply(tree, content)), end="")
article:
  id: "005"  # the id
  title: 标题
entities: []
facts: []
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.tokens import CommentToken

from kg.errors import KgError
from kg.ontology import resource_dir
from kg.schema import properties as fact_schema

MAX_TEXT = 100_000
"""Longest text value accepted in content (a quote is a sentence, an article is a file)."""
MAX_ITEMS = 20_000
KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
ARTICLE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
"""Same rule as an article id in ``kg.facts``: the fact file is named after it."""


class ContentError(KgError, ValueError):
    """Content that is not the shape of a fact file's data (a client's mistake)."""


class FileChanged(RuntimeError):
    """The file on disk is not the version the edit started from."""


# ---------------------------------------------------------------- YAML


def _yaml() -> YAML:
    """ruamel.yaml set to write what the hand-written files look like (2-space maps, list
    items indented under their key, no line folding: a quote stays on one line)."""
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 1_000_000
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def parse(text: str, name: str) -> CommentedMap:
    """The round-trip tree of a fact file's text; a YAML error is one line with its place."""
    try:
        tree = _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        raise ContentError(f"{where}: invalid YAML: {exc.problem or exc.context}") from None
    except YAMLError as exc:
        raise ContentError(f"{name}: invalid YAML: {' '.join(str(exc).split())}") from None
    if tree is None:
        tree = CommentedMap()
    if not isinstance(tree, CommentedMap):
        raise ContentError(f"{name}:1:1: a fact file must be a mapping with 'article:'")
    return tree


def dump(tree: CommentedMap) -> str:
    out = io.StringIO()
    _yaml().dump(tree, out)
    return out.getvalue()


def digest(data: bytes) -> str:
    """What identifies a version of a file: the SHA-256 of its bytes."""
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- key order


@functools.cache
def key_order() -> dict[str, list[str]]:
    """Section name -> keys in writing order (``properties`` expanded), from the data file."""
    y = YAML(typ="safe")
    order = y.load((resource_dir("ontology") / "factfile.yaml").read_text("utf-8"))
    listed = list(order["properties"])
    properties = listed + [k for k in fact_schema() if k not in listed]
    entity = []
    for key in order["entity"]:
        entity.extend(properties if key == "properties" else [key])
    return {**order, "entity": entity, "properties": properties}


def _rank(key: str, order: list[str]) -> float:
    if key in order:
        return order.index(key)
    # an unknown key (the loader will name it) goes before a trailing 'note'
    return order.index("note") - 0.5 if "note" in order else len(order)


# ---------------------------------------------------------------- tree -> content


def to_content(tree: CommentedMap) -> dict[str, Any]:
    """The file's data as JSON-able content: what :func:`apply` takes back."""
    article = tree.get("article")
    return {
        "article": {"fields": _plain(article) if isinstance(article, dict) else {}},
        "entities": _items(tree.get("entities")),
        "facts": _items(tree.get("facts")),
    }


def _items(seq: Any) -> list[dict[str, Any]]:
    if not isinstance(seq, list):
        return []
    return [
        {"ref": i, "fields": _plain(item)} for i, item in enumerate(seq) if isinstance(item, dict)
    ]


def _plain(value: Any) -> Any:
    """ruamel's scalar types as plain JSON values; numbers and dates as the loader reads
    them (a float or a date stays the text written, like ``78.10``)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, str):
        return str(value)
    return str(value)  # dates, timestamps


def _float_text(value: float) -> str:
    """A float as it was written: ruamel keeps the width and precision of the original."""
    prec = getattr(value, "_prec", None)
    width = getattr(value, "_width", None)
    if isinstance(prec, int) and isinstance(width, int) and prec >= 0:
        decimals = max(width - prec - 1, 0)
        return f"{float(value):.{decimals}f}"
    return repr(float(value))


# ---------------------------------------------------------------- content -> tree


def apply(tree: CommentedMap, content: Any) -> CommentedMap:
    """Change ``tree`` (in place) to hold ``content``; returns it.

    Values equal to what the file holds are left as they are (quoting, comments); items
    keep their comments by ``ref``. Raises :class:`ContentError` for content that is not
    a fact file's shape (lists where a list belongs, text where text belongs).
    """
    _check_content(content)
    order = key_order()
    article = content.get("article") or {"fields": {}}
    if isinstance(tree.get("article"), CommentedMap):
        _merge_map(tree["article"], article["fields"], order["article"], order)
    elif article["fields"]:
        _set_key(tree, "article", _new_map(article["fields"], order["article"], order), order)
    for section, fields_order in (("entities", "entity"), ("facts", "fact")):
        items = content.get(section)
        if items is None:
            continue
        old = tree.get(section)
        if not isinstance(old, CommentedSeq):
            old = CommentedSeq()
            _set_key(tree, section, old, order)
        _merge_seq(old, items, order[fields_order], order)
    return tree


def _check_content(content: Any) -> None:
    if not isinstance(content, dict):
        raise ContentError("content must be an object with 'article', 'entities', 'facts'")
    unknown = set(content) - {"article", "entities", "facts"}
    if unknown:
        raise ContentError(f"unknown part {sorted(unknown)[0]!r} in content")
    article = content.get("article")
    if article is not None:
        if not isinstance(article, dict) or not isinstance(article.get("fields"), dict):
            raise ContentError("'article' must be an object with 'fields'")
        _check_fields(article["fields"], "article", nested=True)
    for section in ("entities", "facts"):
        items = content.get(section)
        if items is None:
            continue
        if not isinstance(items, list) or len(items) > MAX_ITEMS:
            raise ContentError(f"'{section}' must be a list of at most {MAX_ITEMS} items")
        refs: set[int] = set()
        for n, item in enumerate(items):
            what = f"{section}[{n}]"
            if not isinstance(item, dict) or not isinstance(item.get("fields"), dict):
                raise ContentError(f"{what} must be an object with 'fields'")
            ref = item.get("ref")
            if ref is not None:
                if isinstance(ref, bool) or not isinstance(ref, int) or ref < 0 or ref in refs:
                    raise ContentError(f"{what}: 'ref' must be a distinct index or null")
                refs.add(ref)
            _check_fields(item["fields"], what, nested=False)


def _check_fields(fields: dict[str, Any], what: str, *, nested: bool) -> None:
    for key, value in fields.items():
        if not KEY.match(str(key)):
            raise ContentError(f"{what}: {str(key)[:40]!r} is not a key of a fact file")
        if nested and isinstance(value, dict):
            _check_fields(value, f"{what}.{key}", nested=False)
            continue
        values = value if isinstance(value, list) else [value]
        if len(values) > MAX_ITEMS:
            raise ContentError(f"{what}.{key}: too many values")
        for v in values:
            if isinstance(v, str):
                if len(v) > MAX_TEXT:
                    raise ContentError(f"{what}.{key}: text longer than {MAX_TEXT} characters")
            elif not isinstance(v, bool | int) or isinstance(v, list):
                raise ContentError(f"{what}.{key}: a value must be text, a number or true/false")


def _set_key(tree: CommentedMap, key: str, value: Any, order: dict[str, list[str]]) -> None:
    if key in tree:
        tree[key] = value
    else:
        tree.insert(_position(tree, key, order["root"]), key, value)


def _position(node: CommentedMap, key: str, order: list[str]) -> int:
    """Right after the last key that comes before ``key`` in the documented order."""
    rank = _rank(key, order)
    keys = list(node)
    position = 0
    for i, existing in enumerate(keys):
        if _rank(existing, order) <= rank:
            position = i + 1
    return position


def _new_value(value: Any, order: dict[str, list[str]]) -> Any:
    if isinstance(value, list):
        seq = CommentedSeq(value)
        seq.fa.set_flow_style()
        return seq
    if isinstance(value, dict):
        return _new_map(value, order["published"], order)
    return value


def _new_map(fields: dict[str, Any], keys: list[str], order: dict[str, list[str]]) -> CommentedMap:
    node = CommentedMap()
    for key in sorted(fields, key=lambda k: _rank(k, keys)):
        node[key] = _new_value(fields[key], order)
    return node


def _merge_map(
    node: CommentedMap, fields: dict[str, Any], keys: list[str], order: dict[str, list[str]]
) -> None:
    # the lines after the map's last value (blank lines, the next part's comments) stay
    # after whatever key is last once keys are added or removed
    eol, tail = _get_tail(node)
    _set_tail(node, eol, "")
    for key in [k for k in node if k not in fields]:
        _delete_key(node, key)
    for key, value in fields.items():
        if key in node:
            old = node[key]
            if isinstance(old, CommentedMap) and isinstance(value, dict):
                _merge_map(old, value, order["published"], order)
            elif _plain(old) != value or type(_plain(old)) is not type(value):
                node[key] = _new_value(value, order)
        else:
            node.insert(_position(node, key, keys), key, _new_value(value, order))
    if tail:
        _set_tail(node, _get_tail(node)[0], tail)


def _delete_key(node: CommentedMap, key: str) -> None:
    """Remove a key; full-line comments that followed it move to the key before it."""
    keys = list(node)
    at = keys.index(key)
    slot = node.ca.items.get(key)
    tail = ""
    if slot and isinstance(slot[2], CommentToken):
        tail = _split(slot[2].value)[1]
    del node[key]
    node.ca.items.pop(key, None)
    if tail and at > 0:
        eol, before = _get_tail_of_key(node, keys[at - 1])
        _set_tail_of_key(node, keys[at - 1], eol, before + tail)


# ---------------------------------------------------------------- comments between items
#
# ruamel attaches the comment lines between two list items to the last key of the item
# before them. They belong to the item after them (a section header introduces what
# follows), so they are detached before the list is rearranged and put back in front of
# the item they preceded.


def _pre_comment(seq: CommentedSeq, index: int) -> str:
    """Comment lines ruamel keeps *before* a list item (after a flow-style value, it puts
    them there instead of after the previous item), as text with their indentation."""
    entry = seq.ca.items.get(index)
    if not entry or not isinstance(entry[1], list):
        return ""
    return "".join(
        " " * token.column + token.value for token in entry[1] if isinstance(token, CommentToken)
    )


def _split(value: str) -> tuple[str, str]:
    """A comment token's text as (end-of-line comment with its newline, following lines)."""
    if value.startswith("#"):
        eol, _, rest = value.partition("\n")
        return eol + "\n", rest
    return "", value[1:] if value.startswith("\n") else value


def _last_slot(node: Any) -> tuple[Any, Any, int] | None:
    """(container, key or index, comment position) of the last scalar written in ``node``."""
    if isinstance(node, CommentedMap) and len(node):
        key = list(node)[-1]
        value = node[key]
        if _is_block(value):
            return _last_slot(value)
        return node, key, 2
    if isinstance(node, CommentedSeq) and len(node):
        value = node[-1]
        if _is_block(value):
            return _last_slot(value)
        return node, len(node) - 1, 0
    return None


def _is_block(value: Any) -> bool:
    return (
        isinstance(value, CommentedMap | CommentedSeq)
        and len(value) > 0
        and not value.fa.flow_style()
    )


def _get_tail(node: Any) -> tuple[str, str]:
    slot = _last_slot(node)
    if slot is None:
        return "", ""
    container, key, pos = slot
    entry = container.ca.items.get(key)
    if entry and isinstance(entry[pos], CommentToken):
        return _split(entry[pos].value)
    return "", ""


def _set_tail(node: Any, eol: str, tail: str) -> None:
    slot = _last_slot(node)
    if slot is not None:
        _write_slot(*slot, eol, tail)


def _get_tail_of_key(node: CommentedMap, key: str) -> tuple[str, str]:
    entry = node.ca.items.get(key)
    if entry and isinstance(entry[2], CommentToken):
        return _split(entry[2].value)
    return "", ""


def _set_tail_of_key(node: CommentedMap, key: str, eol: str, tail: str) -> None:
    _write_slot(node, key, 2, eol, tail)


def _write_slot(container: Any, key: Any, pos: int, eol: str, tail: str) -> None:
    entry = container.ca.items.setdefault(key, [None, None, None, None])
    if not eol and not tail:
        entry[pos] = None
        return
    value = (eol or "\n") + tail
    token = entry[pos]
    if isinstance(token, CommentToken):
        token.value = value
    else:
        from ruamel.yaml.error import CommentMark

        entry[pos] = CommentToken(value, CommentMark(0), None)


def _merge_seq(
    seq: CommentedSeq, items: list[dict[str, Any]], keys: list[str], order: dict[str, list[str]]
) -> None:
    old = list(seq)
    leading: dict[int, str] = {}
    after = ""
    for i, node in enumerate(old):
        eol, tail = _get_tail(node)
        _set_tail(node, eol, "")
        if i + 1 < len(old):
            leading[i + 1] = tail + _pre_comment(seq, i + 1)
        else:
            after = tail
    kept = {item["ref"] for item in items if item.get("ref") is not None}
    for ref in kept:
        if ref >= len(old):
            raise ContentError(f"'ref' {ref} is not an item of the file as read")
    # a removed item's header passes to the next item of its section (one with no header)
    for i in range(1, len(old)):
        if i not in kept and leading.get(i) and i + 1 < len(old) and not leading.get(i + 1):
            leading[i + 1] = leading[i]
    nodes: list[Any] = []
    origins: list[int | None] = []
    for item in items:
        ref = item.get("ref")
        if ref is None:
            nodes.append(_new_map(item["fields"], keys, order))
        else:
            node = old[ref]
            if isinstance(node, CommentedMap):
                _merge_map(node, item["fields"], keys, order)
            nodes.append(node)
        origins.append(ref)
    for p, node in enumerate(nodes):
        if p + 1 == len(nodes):
            tail = after
        else:
            nxt = origins[p + 1]
            tail = leading.get(nxt, "") if nxt is not None else ""
        eol, _ = _get_tail(node)
        _set_tail(node, eol, tail)
    del seq[:]
    seq.ca.items.clear()
    seq.extend(nodes)
    if nodes:
        seq.fa.set_block_style()
    else:
        seq.fa.set_flow_style()


# ---------------------------------------------------------------- where things are


@dataclass(frozen=True)
class Field:
    """What a position of a fact file belongs to: ``section`` (article, entities, facts),
    the item's index in its list (None for the article) and its key (None: the item)."""

    section: str
    index: int | None
    key: str | None


def fields_at(text: str) -> dict[tuple[int, int], Field]:
    """Every key, value and item start of a fact file's text by its 1-based (line, col).

    The loader names a problem by the position of the value (or the item) it is about;
    this tells which field of which item that is, so the page can show it there.
    """
    tree = _yaml().load(text)
    found: dict[tuple[int, int], Field] = {}
    if not isinstance(tree, CommentedMap):
        return found

    def add(pos: tuple[int, int] | None, field: Field) -> None:
        if pos is not None:
            found.setdefault((pos[0] + 1, pos[1] + 1), field)

    def walk_map(node: CommentedMap, section: str, index: int | None, prefix: str) -> None:
        add((node.lc.line, node.lc.col), Field(section, index, prefix.rstrip(".") or None))
        for key in node:
            name = f"{prefix}{key}"
            value = node[key]
            add(node.lc.value(key), Field(section, index, name))
            add(node.lc.key(key), Field(section, index, name))
            if isinstance(value, CommentedMap):
                walk_map(value, section, index, f"{name}.")
            elif isinstance(value, CommentedSeq):
                for j in range(len(value)):
                    add(value.lc.item(j), Field(section, index, name))

    if isinstance(tree.get("article"), CommentedMap):
        walk_map(tree["article"], "article", None, "")
    for section in ("entities", "facts"):
        seq = tree.get(section)
        if isinstance(seq, CommentedSeq):
            for i, item in enumerate(seq):
                if isinstance(item, CommentedMap):
                    walk_map(item, section, i, "")
    return found


def field_of(fields: dict[tuple[int, int], Field], line: int, col: int) -> Field | None:
    """The field at a position, else the item whose lines hold it."""
    if (line, col) in fields:
        return fields[(line, col)]
    before = [pos for pos in fields if pos <= (line, col)]
    if not before:
        return None
    field = fields[max(before)]
    return Field(field.section, field.index, None)


# ---------------------------------------------------------------- files


def fact_path(data_dir: Path, article_id: str) -> Path:
    """``DATA/facts/ID.yaml`` for a valid article id, never a path outside ``DATA/facts``."""
    if not isinstance(article_id, str) or not ARTICLE_ID.match(article_id):
        raise ContentError(
            f"article id {str(article_id)[:40]!r} must be letters, digits, '-' or '_' (at most 64)"
        )
    folder = (data_dir / "facts").resolve()
    path = (folder / f"{article_id}.yaml").resolve()
    if path.parent != folder:
        raise ContentError(f"article id {article_id!r} names a file outside {folder}")
    return path


def read(path: Path) -> tuple[str, str] | None:
    """(text, digest) of a fact file, or None when there is none."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    return data.decode("utf-8"), digest(data)


_WRITING = threading.Lock()


def save(path: Path, text: str, expected: str | None) -> str:
    """Write ``text`` to ``path`` atomically and return the new digest.

    ``expected`` is the digest of the version the edit started from, or None for a new
    file. When the file on disk is not that version (someone saved meanwhile, or a file
    now exists where none was), nothing is written and :class:`FileChanged` says so.
    """
    from kg.publish import write_bytes

    payload = text.encode("utf-8")
    with _WRITING:
        current = read(path)
        if expected is None and current is not None:
            raise FileChanged(f"{path.name} was created since you opened the draft; reload it")
        if expected is not None and (current is None or current[1] != expected):
            raise FileChanged(f"{path.name} was changed on disk since you opened it; reload it")
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(path, payload)
    return digest(payload)
