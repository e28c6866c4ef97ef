"""The graph as four pandas tables, for analysts who would rather not write SPARQL.

``kg.tables(...)`` is :func:`tables` here (the module is not called ``kg.tables`` so that
importing it never hides the function). It takes a build or anything
:func:`kg.store.open_store` opens (an exported ``kg.ttl``, an on-disk store, an endpoint)
and gives

* ``entities`` — id, type (the most specific class), label, alternative labels, articles;
* ``relations`` — one row per entity-to-entity fact, with the labels of both ends;
  ``rule`` is empty for what an article states and names the rule of a fact derived
  by office (``under-office``: drop those rows for the stated graph alone);
* ``evidence`` — one row per fact and per mention with its article, quote, start and end;
* ``metrics`` — one row per metric: ``value`` as a number, ``value_text`` exactly as
  written, ``scale`` (万, 亿), ``scaled_value`` = value × 10^4 or 10^8, unit, qualifier…

The queries are data (``ontology/tables/*.rq``) and run in Oxigraph like any other, so a
table from ``out/kg.ttl`` equals the table from the build that wrote it. Ids are the
fact-file ids (``lei-xinqian``), not IRIs, so tables join on readable keys. Needs the
``pandas`` extra (``pip install 'jiedao-kg[pandas]'``).

>>> import kg
>>> t = kg.tables(kg.build("data", validate=False))
>>> row = t.metrics.set_index("id").loc["m000-gongye-zongchanzhi"]
>>> float(row["value"]), row["value_text"], row["scale"], float(row["scaled_value"])
(13.43, '13.43', '亿', 1343000000.0)
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Tables", "tables"]

ENTITY_COLUMNS = ["id", "type", "label", "alt_labels", "articles", "iri"]
RELATION_COLUMNS = [
    "subject",
    "subject_label",
    "predicate",
    "predicate_label",
    "object",
    "object_label",
    "articles",
    "rule",
]
EVIDENCE_COLUMNS = [
    "subject",
    "subject_label",
    "predicate",
    "object",
    "object_label",
    "article",
    "quote",
    "start",
    "end",
]
METRIC_COLUMNS = [
    "id",
    "label",
    "indicator",
    "value",
    "value_text",
    "scale",
    "scaled_value",
    "unit",
    "qualifier",
    "kind",
    "period",
    "area",
    "area_label",
    "missing",
    "article",
    "quote",
]
REFERENCE = "reference"
"""The ``article`` of evidence that is a record of the official division table."""


@dataclass(frozen=True)
class Tables:
    """The four tables of a graph (see the module docstring)."""

    entities: pd.DataFrame
    relations: pd.DataFrame
    evidence: pd.DataFrame
    metrics: pd.DataFrame


def _pandas() -> Any:
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("kg.tables needs pandas: pip install 'jiedao-kg[pandas]'") from None
    return pd


@functools.cache
def _query(name: str) -> str:
    from kg.ontology import resource_dir

    return (resource_dir("ontology") / "tables" / f"{name}.rq").read_text("utf-8")


def _id(iri: Any) -> str:
    """The fact-file id of an entity IRI (``kgr:lei-xinqian`` -> ``lei-xinqian``)."""
    from kg.ontology import KGR

    text = str(iri)
    return unquote(text[len(str(KGR)) :]) if text.startswith(str(KGR)) else text


def _text(term: Any) -> str | None:
    return None if term is None else str(term)


def tables(source: Any) -> Tables:
    """The entities, relations, evidence and metrics of ``source`` as DataFrames.

    ``source`` is a :class:`kg.builder.Build` or anything :func:`kg.store.open_store`
    takes (``"out/kg.ttl"``, a store folder, an endpoint URL).
    """
    from kg.store import open_store

    store = open_store(source)
    entities = _entities(store.query(_query("entities")))
    labels = {e["id"]: e["label"] for e in entities}
    statements = store.query(_query("statements"))
    mentions = store.query(_query("mentions"))
    metrics = store.query(_query("metrics"))
    derived = store.query(_query("derived"))
    return Tables(
        entities=_frame(entities, ENTITY_COLUMNS),
        relations=_frame(_relations(statements, derived, labels), RELATION_COLUMNS),
        evidence=_frame(_evidence(statements, mentions, labels), EVIDENCE_COLUMNS),
        metrics=_frame(_metrics(metrics, labels), METRIC_COLUMNS),
    )


def _frame(records: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    """A DataFrame with numbers as numbers: floats for values, nullable ints for offsets."""
    pd = _pandas()
    frame = pd.DataFrame.from_records(records, columns=columns)
    for name in ("value", "scaled_value"):
        if name in frame:
            frame[name] = pd.to_numeric(frame[name], errors="coerce").astype("float64")
    for name in ("start", "end"):
        if name in frame:
            frame[name] = frame[name].astype("Int64")
    if "missing" in frame:
        frame["missing"] = frame["missing"].astype(bool)
    return frame


def _entities(result: Any) -> list[dict[str, Any]]:
    from kg.schema import entity_classes, superclasses

    kinds = {str(iri): name for name, iri in entity_classes().items()}
    depth = {name: len(superclasses(iri)) for name, iri in entity_classes().items()}
    found: dict[str, dict[str, Any]] = {}
    for row in result:
        iri = str(row["entity"])
        kind = kinds.get(str(row["type"]))
        if kind is None:  # articles, statements, concepts: not entities
            continue
        entry = found.setdefault(
            iri,
            {
                "iri": iri,
                "id": _id(iri),
                "type": kind,
                "label": str(row["label"]),
                "alt": set(),
                "articles": set(),
            },
        )
        if depth[kind] > depth[entry["type"]]:
            entry["type"] = kind
        if row["alt"] is not None:
            entry["alt"].add(str(row["alt"]))
        entry["articles"].add(_text(row["article"]) or REFERENCE)
    out = []
    for entry in sorted(found.values(), key=lambda e: e["id"]):
        entry["alt_labels"] = "; ".join(sorted(entry.pop("alt")))
        entry["articles"] = "; ".join(sorted(entry["articles"]))
        out.append(entry)
    return out


def _keys() -> dict[str, Any]:
    from kg.schema import properties

    return {str(spec.iri): spec for spec in properties().values()}


def _relations(result: Any, derived: Any, labels: dict[str, str]) -> list[dict[str, Any]]:
    from kg.schema import predicate_label

    specs = _keys()
    found: dict[tuple[str, str, str, str], set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    for row in result:
        spec = specs.get(str(row["predicate"]))
        if spec is None or spec.kind != "entity":
            continue
        names[spec.key] = spec.label
        key = (_id(row["subject"]), spec.key, _id(row["object"]), "")
        found[key].add(_text(row["article"]) or REFERENCE)
    for row in derived:
        predicate = str(row["predicate"]).rsplit("#", 1)[-1]
        names[predicate] = predicate_label(str(row["predicate"]))
        rule = str(row["rule"]).rsplit("/", 1)[-1]
        found[(_id(row["subject"]), predicate, _id(row["object"]), rule)].add(str(row["article"]))
    return [
        {
            "subject": s,
            "subject_label": labels.get(s),
            "predicate": p,
            "predicate_label": names[p],
            "object": o,
            "object_label": labels.get(o),
            "articles": "; ".join(sorted(articles)),
            "rule": rule or None,
        }
        for (s, p, o, rule), articles in sorted(found.items())
    ]


def _evidence(statements: Any, mentions: Any, labels: dict[str, str]) -> list[dict[str, Any]]:
    from rdflib import Literal

    specs = _keys()
    rows = []
    for row in statements:
        spec = specs.get(str(row["predicate"]))
        obj = row["object"]
        if isinstance(obj, Literal):
            value, value_label = str(obj), None
        elif spec is not None and spec.kind == "concept":
            value, value_label = str(obj).rsplit("#", 1)[-1], None
        else:
            value = _id(obj)
            value_label = labels.get(value)
        subject = _id(row["subject"])
        rows.append(
            {
                "subject": subject,
                "subject_label": labels.get(subject),
                "predicate": spec.key if spec else str(row["predicate"]),
                "object": value,
                "object_label": value_label,
                **_where(row),
            }
        )
    for row in mentions:
        subject = _id(row["entity"])
        if subject not in labels:  # only entities' mentions (articles carry no label)
            continue
        rows.append(
            {
                "subject": subject,
                "subject_label": labels[subject],
                "predicate": None,
                "object": None,
                "object_label": None,
                **_where(row),
            }
        )
    rows.sort(key=lambda r: (r["article"], r["start"] or -1, r["subject"], r["predicate"] or ""))
    return rows


def _where(row: Any) -> dict[str, Any]:
    if row["article"] is None:
        return {"article": REFERENCE, "quote": _text(row["record"]), "start": None, "end": None}
    return {
        "article": str(row["article"]),
        "quote": str(row["quote"]),
        "start": int(row["start"]),
        "end": int(row["end"]),
    }


def _metrics(result: Any, labels: dict[str, str]) -> list[dict[str, Any]]:
    """One row per metric; a field with several values (two qualifiers, 约 and 计划) holds
    them all, sorted and joined with "; "."""
    found: dict[str, dict[str, Any]] = {}
    many: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in sorted(result, key=lambda r: (str(r["metric"]), _text(r["article"]) or "")):
        metric = _id(row["metric"])
        area = _id(row["area"]) if row["area"] is not None else None
        for name, value in (
            ("qualifier", _text(row["qualifier"])),
            ("kind", _text(row["kind"])),
            ("period", _text(row["period"])),
            ("area", area),
            ("area_label", labels.get(area) if area else None),
        ):
            if value is not None:
                many[metric][name].add(value)
        if metric in found:  # a metric named twice keeps its first article's quote
            continue
        value, scaled = row["value"], row["scaled"]
        found[metric] = {
            "id": metric,
            "label": str(row["label"]),
            "indicator": _text(row["indicator"]),
            "value": None if value is None else float(value.toPython()),
            "value_text": _text(value),
            "scale": _text(row["scale"]),
            "scaled_value": None if scaled is None else float(scaled.toPython()),
            "unit": _text(row["unit"]),
            "missing": bool(row["missing"] is not None and row["missing"].toPython()),
            "article": _text(row["article"]),
            "quote": _text(row["quote"]),
        }
    for metric, fields in many.items():
        found[metric].update({name: "; ".join(sorted(v)) for name, v in fields.items()})
    return [found[k] for k in sorted(found)]
