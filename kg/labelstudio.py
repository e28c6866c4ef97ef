"""Label Studio interop: a fact file (or a ``kg extract`` draft) as pre-annotated tasks,
and a Label Studio export back into fact files, through the builder's own checks.

A task is one article: ``data.text`` is its NFC raw text (Label Studio counts offsets in
code points, as we do) and ``data.article`` the fact file's ``article:`` block. Its
prediction has, for every entity, a ``labels`` region over the entity's **quote** (the
words that name it, the evidence the graph keeps), labelled with its class, and
per-region text areas: ``id``, ``label`` and ``fields`` (one ``key: value`` a line: other
names, numbers, dates, and links to entities of other articles). A link between two
entities of the same article is a Label Studio relation labelled with its fact key
(``holds``, ``partOf``…). A fact with a quote of its own is a ``Fact`` region whose fields
say ``subject``, ``predicate`` and ``object``. :func:`label_config` is the labelling
interface for exactly that, made from the ontology.

:func:`import_export` reads a Label Studio JSON export (the last submitted annotation of
each task), turns each task back into fact-file content, and checks it exactly as
``kg build`` would (:class:`kg.review.Workspace`: the loader, the corpus checks, the
shapes) before anything is written; problems name the export file, the task and the
region, with the loader's own sentence. Files are written by :mod:`kg.factfile`, so the
comments of an existing file survive.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from kg import factfile, text
from kg.errors import KgError

__all__ = ["LabelStudioError", "import_export", "label_config", "tasks"]

FACT = "Fact"
"""The region label of a fact that has a quote of its own."""
ENTITY_KEYS = ("id", "type", "label", "quote", "occurrence")
"""Entity fields a region holds by itself (span, label, text areas), not as ``fields``."""
MODEL_VERSION = "jiedao-kg"
LIST_KEYS = frozenset({"altLabels"})
"""Entity keys whose value is always a list (docs/facts.md), even with one line."""


class LabelStudioError(KgError, ValueError):
    """A Label Studio file that cannot become fact files; one line per problem."""


# ---------------------------------------------------------------- the interface


def label_config() -> str:
    """The Label Studio labelling interface (XML) for the tasks of :func:`tasks`."""
    from kg.schema import classes, properties

    labels = "\n".join(
        f"    <Label value={quoteattr(name)} background={quoteattr(info.style.color)}/>"
        for name, info in classes().items()
        if info.entity
    )
    relations = "\n".join(
        f"    <Relation value={quoteattr(key)}/>"
        for key, spec in properties().items()
        if spec.kind == "entity"
    )
    return f"""<View>
  <Style>.htx-text {{ white-space: pre-wrap; }}</Style>
  <Labels name="type" toName="text">
{labels}
    <Label value="{FACT}" background="#7f7f7f"/>
  </Labels>
  <Text name="text" value="$text" granularity="symbol"/>
  <Relations>
{relations}
  </Relations>
  <TextArea name="id" toName="text" perRegion="true" editable="true" maxSubmissions="1"
            placeholder="id (letters, digits, - . _)"/>
  <TextArea name="label" toName="text" perRegion="true" editable="true" maxSubmissions="1"
            placeholder="label (simplified Chinese, in the quote)"/>
  <TextArea name="fields" toName="text" perRegion="true" editable="true" rows="4"
            placeholder="key: value, one a line"/>
</View>
"""


# ---------------------------------------------------------------- fact file -> task


def tasks(fact_files: list[Path], articles_dir: Path) -> list[dict[str, Any]]:
    """One pre-annotated task per fact file (a hand-written file or a draft)."""
    return [_task(path, articles_dir) for path in fact_files]


def _where(path: Path, exc: Exception | str) -> LabelStudioError:
    return LabelStudioError(f"{path}: {exc}")


def _task(path: Path, articles_dir: Path) -> dict[str, Any]:
    from kg.schema import properties

    try:
        tree = factfile.parse(path.read_text("utf-8"), str(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise _where(path, exc) from None
    content = factfile.to_content(tree)
    article = content["article"]["fields"]
    try:
        raw = text.read_article(articles_dir / str(article.get("file")))
    except (OSError, text.ArticleError) as exc:
        raise _where(path, f"its article cannot be read: {exc}") from None
    specs = properties()
    entities = [item["fields"] for item in content["entities"]]
    region_of = {str(e.get("id")): f"e{n}" for n, e in enumerate(entities)}
    result: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    for n, fields in enumerate(entities):
        rid = f"e{n}"
        span = _span(path, fields, raw, f"entity {fields.get('id')!r}")
        lines = []
        for key, value in fields.items():
            if key in ENTITY_KEYS:
                continue
            spec = specs.get(key)
            for one in value if isinstance(value, list) else [value]:
                if spec is not None and spec.kind == "entity" and str(one) in region_of:
                    relations.append(_relation(rid, region_of[str(one)], key))
                else:
                    lines.append(f"{key}: {_text(one)}")
        result.append(_labels(rid, span, raw, str(fields.get("type"))))
        result.append(_area("id", rid, span, [str(fields.get("id"))]))
        if fields.get("label") is not None:
            result.append(_area("label", rid, span, [str(fields["label"])]))
        if lines:
            result.append(_area("fields", rid, span, lines))
    for n, item in enumerate(content["facts"]):
        fields = item["fields"]
        rid = f"f{n}"
        span = _span(path, fields, raw, f"fact {n + 1}")
        lines = [
            f"{key}: {_text(value)}"
            for key, value in fields.items()
            if key not in ("quote", "occurrence")
        ]
        result.append(_labels(rid, span, raw, FACT))
        result.append(_area("fields", rid, span, lines))
    return {
        "data": {"text": raw, "article": article},
        "predictions": [{"model_version": MODEL_VERSION, "result": result + relations}],
    }


def _span(path: Path, fields: dict[str, Any], raw: str, what: str) -> tuple[int, int]:
    quote, nth = fields.get("quote"), fields.get("occurrence")
    try:
        if not isinstance(quote, str) or not (nth is None or isinstance(nth, int)):
            raise text.QuoteError("it has no quote")
        return text.locate(quote, raw, nth)
    except (text.QuoteError, ValueError) as exc:
        raise _where(path, f"{what}: cannot place its quote: {exc}") from None


def _text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _labels(rid: str, span: tuple[int, int], raw: str, label: str) -> dict[str, Any]:
    start, end = span
    return {
        "id": rid,
        "from_name": "type",
        "to_name": "text",
        "type": "labels",
        "value": {"start": start, "end": end, "text": raw[start:end], "labels": [label]},
    }


def _area(name: str, rid: str, span: tuple[int, int], lines: list[str]) -> dict[str, Any]:
    return {
        "id": rid,
        "from_name": name,
        "to_name": "text",
        "type": "textarea",
        "value": {"start": span[0], "end": span[1], "text": lines},
    }


def _relation(source: str, target: str, key: str) -> dict[str, Any]:
    return {
        "from_id": source,
        "to_id": target,
        "type": "relation",
        "direction": "right",
        "labels": [key],
    }


# ---------------------------------------------------------------- export -> fact files


def _annotation(task: dict[str, Any]) -> dict[str, Any] | None:
    """The task's last submitted annotation (not cancelled), by update time then id."""
    done = [
        a
        for a in task.get("annotations") or []
        if isinstance(a, dict) and not a.get("was_cancelled")
    ]
    done.sort(
        key=lambda a: (str(a.get("updated_at") or a.get("created_at") or ""), str(a.get("id")))
    )
    return done[-1] if done else None


def _content(task: dict[str, Any], where: str) -> tuple[dict[str, Any], dict[str, str], str]:
    """Fact-file content of one task, the region of each item, and the article text."""
    data = task.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("article"), dict):
        raise LabelStudioError(
            f"{where}: no data.article: not a task made by 'kg labelstudio tasks'"
        )
    annotation = _annotation(task)
    if annotation is None or not isinstance(annotation.get("result"), list):
        raise LabelStudioError(f"{where}: no submitted annotation")
    regions: dict[str, dict[str, Any]] = defaultdict(dict)
    order: list[str] = []
    links: list[tuple[str, str, str]] = []
    problems = []
    for item in annotation["result"]:
        if not isinstance(item, dict):
            continue
        if item.get("type") == "relation":
            for key in item.get("labels") or []:
                links.append((str(item.get("from_id")), str(key), str(item.get("to_id"))))
            continue
        rid, value = str(item.get("id")), item.get("value") or {}
        if rid not in regions:
            order.append(rid)
        region = regions[rid]
        if "start" in value and "end" in value:
            region["span"] = (int(value["start"]), int(value["end"]))
            if "text" in value and isinstance(value["text"], str):
                region["text"] = value["text"]
        if item.get("from_name") == "type":
            region["type"] = (value.get("labels") or [None])[0]
        elif item.get("type") == "textarea":
            region[str(item.get("from_name"))] = [str(t) for t in value.get("text") or []]
    entities: list[dict[str, Any]] = []
    facts: list[dict[str, Any]] = []
    region_of: dict[str, str] = {}
    ids = {rid: " ".join(r.get("id", [])).strip() for rid, r in regions.items()}
    for rid in order:
        region = regions[rid]
        if "type" not in region or "span" not in region:
            problems.append(f"{where}: region {rid}: no label or no span")
            continue
        fields: dict[str, Any] = {}
        if region["type"] != FACT:
            fields["id"] = ids[rid]
            fields["type"] = region["type"]
            if region.get("label"):
                fields["label"] = " ".join(region["label"]).strip()
        fields["_span"] = region["span"]
        fields["_text"] = region.get("text")
        for line in region.get("fields", []):
            key, sep, value = line.partition(":")
            if not sep or not key.strip():
                problems.append(f"{where}: region {rid}: {line!r} is not 'key: value'")
                continue
            _add(fields, key.strip(), _value(value.strip()))
        for key in LIST_KEYS & set(fields):
            if not isinstance(fields[key], list):
                fields[key] = [fields[key]]
        if region["type"] == FACT:
            region_of[f"facts/{len(facts)}"] = rid
            facts.append(fields)
        else:
            region_of[f"entities/{len(entities)}"] = rid
            entities.append(fields)
    by_region = {
        rid: n
        for n, rid in enumerate(r for r in order if regions[r].get("type") not in (None, FACT))
    }
    for source, key, target in links:
        if source not in by_region or target not in by_region:
            problems.append(f"{where}: relation {key}: {source} -> {target} joins no two entities")
            continue
        _add(entities[by_region[source]], key, ids[target])
    if problems:
        raise LabelStudioError("\n".join(problems))
    content = {"article": {"fields": data["article"]}, "entities": entities, "facts": facts}
    return content, region_of, str(data.get("text", ""))


def _add(fields: dict[str, Any], key: str, value: Any) -> None:
    if key in fields:
        old = fields[key]
        fields[key] = [*old, value] if isinstance(old, list) else [old, value]
    else:
        fields[key] = value


def _value(text_value: str) -> Any:
    """A field's text as the fact file writes it: true/false as booleans, the rest text."""
    return {"true": True, "false": False}.get(text_value, text_value)


def import_export(export: Path, data_dir: Path, *, force: bool = False) -> list[Path]:
    """Write the fact files of a Label Studio JSON export into ``data_dir/facts``.

    Every task is checked as ``kg build`` would check it before any file is written;
    an existing fact file is updated (keeping its comments) only with ``force``.
    """
    from kg.review import ReviewError, Workspace

    try:
        exported = json.loads(export.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise LabelStudioError(f"{export}: cannot read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise LabelStudioError(
            f"{export}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}"
        ) from None
    if isinstance(exported, dict):
        exported = [exported]
    if not isinstance(exported, list):
        raise LabelStudioError(f"{export}: a Label Studio export is a list of tasks")
    workspace = Workspace(data_dir)
    plans = []
    problems: list[str] = []
    for n, task in enumerate(exported):
        where = f"{export}: task {task.get('id', n + 1) if isinstance(task, dict) else n + 1}"
        try:
            if not isinstance(task, dict):
                raise LabelStudioError(f"{where}: not a task object")
            content, region_of, task_text = _content(task, where)
            plans.append((*_plan(workspace, content, region_of, task_text, where, force), where))
        except (LabelStudioError, ReviewError, factfile.ContentError) as exc:
            problems.extend(str(exc).splitlines())
    if problems:
        raise LabelStudioError("\n".join(problems))
    _check_together(workspace, plans)
    written = []
    for article_id, _, sha, candidate, *_ in plans:
        path = workspace.fact_path(article_id)
        try:
            factfile.save(path, candidate, sha)
        except factfile.FileChanged as exc:
            raise LabelStudioError(f"{export}: {exc}; nothing more was written") from None
        written.append(path)
    return written


def _check_together(workspace: Any, plans: list[tuple[Any, ...]]) -> None:
    """Check every candidate as ``kg build`` would, with the other fact files and the other
    candidates (a task may link to an entity another task defines)."""
    import os
    import tempfile

    from kg.review import Workspace

    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="kg-labelstudio-") as scratch:
        folder = Path(scratch)
        (folder / "facts").mkdir()
        os.symlink(workspace.articles_dir.resolve(), folder / "articles")
        for path in workspace.facts_dir.glob("*.yaml") if workspace.facts_dir.is_dir() else []:
            (folder / "facts" / path.name).write_bytes(path.read_bytes())
        for article_id, _, _, candidate, _, _ in plans:
            (folder / "facts" / f"{article_id}.yaml").write_text(candidate, "utf-8")
        together = Workspace(folder)
        for article_id, content, _, candidate, region_of, where in plans:
            checked = together.check(article_id, content, None, factfile.digest(candidate.encode()))
            for issue in checked.issues:
                rid = region_of.get(f"{issue.section}/{issue.index}") if issue.section else None
                place = f"region {rid}" if rid else (issue.where.replace(scratch, "DATA") or "")
                problems.append(f"{where}: {place}: {issue.message.replace(scratch, 'DATA')}")
    if problems:
        raise LabelStudioError("\n".join(problems))


def _plan(
    workspace: Any,
    content: dict[str, Any],
    region_of: dict[str, str],
    task_text: str,
    where: str,
    force: bool,
) -> tuple[str, dict[str, Any], str | None, str, dict[str, str]]:
    """One task's content made ready: article id, content with refs, the digest of the
    file it replaces (None for a new one), the text to write, and the regions.

    Updating an existing file, an item keeps its ``ref`` (so its comments), its quote
    when that still finds the region's span, and each value whose text is unchanged (a
    number stays a number, a quote in simplified characters stays so)."""
    fields = content["article"]["fields"]
    article_id = str(fields.get("id"))
    name = str(fields.get("file"))
    raw = workspace.article_text(name)
    if task_text and task_text != raw:
        raise LabelStudioError(f"{where}: the task's text is not {name} as it is now")
    path = workspace.fact_path(article_id)
    existing = factfile.read(path)
    if existing is not None and not force:
        raise LabelStudioError(f"{where}: {path} exists; pass --force to update it")
    base, sha = "", None
    old: dict[str, dict[Any, dict[str, Any]]] = {"entities": {}, "facts": {}}
    if existing is not None:
        base, sha = existing
        before = factfile.to_content(factfile.parse(base, str(path)))
        old["entities"] = {i["fields"].get("id"): i for i in before["entities"]}
        old["facts"] = {_fact_key(i["fields"]): i for i in before["facts"]}
    problems = []
    items: dict[str, list[dict[str, Any]]] = {"entities": [], "facts": []}
    for section in ("entities", "facts"):
        for n, item in enumerate(content[section]):
            start, end = item.pop("_span")
            shown = item.pop("_text")
            rid = region_of[f"{section}/{n}"]
            if shown is not None and raw[start:end] != shown:
                problems.append(
                    f"{where}: region {rid}: its text is not the article's at {start}-{end}"
                )
                continue
            key = item.get("id") if section == "entities" else _fact_key(item)
            was = old[section].get(key)
            previous = was["fields"] if was else {}
            try:
                if _span_of(previous, raw) == (start, end):
                    item["quote"] = previous["quote"]
                    if previous.get("occurrence") is not None:
                        item["occurrence"] = previous["occurrence"]
                else:
                    found = workspace.quote_at(name, start, end)
                    item["quote"] = found["quote"]
                    if found["occurrence"] is not None:
                        item["occurrence"] = found["occurrence"]
            except Exception as exc:  # ReviewError: a selection that cannot be quoted
                problems.append(f"{where}: region {rid}: {exc}")
                continue
            for field, value in item.items():
                if field in previous and _same(previous[field], value):
                    item[field] = previous[field]
            items[section].append({"ref": was["ref"] if was else None, "fields": item})
    if problems:
        raise LabelStudioError("\n".join(problems))
    full = {"article": content["article"], **items}
    candidate = workspace.candidate(article_id, full, base if sha is None else None, sha)
    return article_id, full, sha, candidate, region_of


def _span_of(fields: dict[str, Any], raw: str) -> tuple[int, int] | None:
    quote, nth = fields.get("quote"), fields.get("occurrence")
    if not isinstance(quote, str) or not (nth is None or isinstance(nth, int)):
        return None
    try:
        return text.locate(quote, raw, nth)
    except (text.QuoteError, ValueError):
        return None


def _same(old: Any, new: Any) -> bool:
    """Whether two values read the same (205 and "205"; lists item by item)."""
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(map(_same, old, new))
    return not isinstance(old, list | dict) and _text(old) == _text(new)


def _fact_key(fields: dict[str, Any]) -> tuple[str, str, str]:
    return (str(fields.get("subject")), str(fields.get("predicate")), str(fields.get("object")))
