"""The main job: build ``data/`` and write the graph's files into ``out/`` as one unit.

``kg build`` is this module: load and check the fact files, build the triples, check the
SHACL shapes while Turtle, TriG and the viewer are rendered, and publish the files
together (:func:`kg.publish.build_outputs`): a reader of ``out/`` sees all files of the
new build or all of the old one. Nothing is published unless the shapes hold.
"""

from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg import publish
from kg.buildcache import Cache, Stats
from kg.facts import Progress

VIEWER_MAX_ENTITIES = 20_000
"""The viewer draws 10 k nodes in about 2 s (bench/README.md); far beyond that a browser
struggles and a map of everything is unreadable anyway."""


@dataclass
class Outputs:
    """What a run of :func:`build_outputs` wrote, and what it wants the user to know."""

    files: list[tuple[Path, int]] = field(default_factory=list)
    """Each output (as ``out/NAME``) and its size in bytes."""
    counts: dict[str, int] = field(default_factory=dict)
    """Entities per class, facts, evidence, articles, triples (:func:`kg.stats.class_counts`)."""
    store: Path | None = None
    triples: int = 0
    notes: list[str] = field(default_factory=list)
    warnings: list[Any] = field(default_factory=list)
    """What the fact files say that is allowed but probably wrong (:class:`kg.facts.Problem`)."""
    cache: Stats | None = None
    """What the build cache did (``None`` with ``cache=False``)."""


def build_outputs(
    data: Path,
    out: Path,
    *,
    html: bool | None = None,
    shapes: bool = True,
    store: Path | None = None,
    progress: Progress | None = None,
    cache: bool = True,
) -> Outputs:
    """Build ``data`` and publish ``kg.ttl``, ``kg.trig``, ``void.ttl`` (the dataset's
    VoID/DCAT description) and ``kg.html`` into ``out``.

    ``html=None`` writes the viewer when the graph has at most
    :data:`VIEWER_MAX_ENTITIES` entities. ``store`` also writes an on-disk Oxigraph store
    there (:func:`kg.store.write_store`). ``cache`` keeps what each fact file gave in
    ``out/.kg/cache/`` (:mod:`kg.buildcache`) so that the next build redoes only what
    changed; the outputs are the same bytes either way. Raises the loader's, the shapes'
    or :class:`kg.publish.OutputError`; then nothing in ``out`` has changed.
    """
    tick = progress or (lambda step, done, total: None)
    found = Cache(out / publish.PRIVATE / "cache") if cache else None
    # The cache is saved after the outputs are in place (or the failed build's staging is
    # gone), still under out/'s lock: on a nearly full disk the outputs come first.
    after = found.save if found is not None else None
    with publish.build_outputs(out, after=after) as staging:  # one build of out/ at a time
        try:
            return _build(data, out, staging, found, html, shapes, store, progress, tick)
        finally:
            gc.unfreeze()  # what _loading froze is the collector's again


@contextlib.contextmanager
def _loading() -> Iterator[None]:
    """Load the corpus with Python's cycle collector paused, then freeze what it made.

    Loading makes a million-odd long-lived objects (records, the cache's entries) and no
    cyclic garbage; the collector walked them all again at every full collection, which
    was a third of a warm build at a million triples (bench/README.md, "Warm path").
    Frozen (``gc.freeze``), they are not walked for the rest of the build, while the
    collector still frees the cycles the later steps leave (tracebacks and frames of the
    SPARQL parser's exceptions: with no collection at all the peak rose by a third).
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was:
            gc.enable()


def _build(
    data: Path,
    out: Path,
    staging: Path,
    cache: Cache | None,
    html: bool | None,
    shapes: bool,
    store: Path | None,
    progress: Progress | None,
    tick: Progress,
) -> Outputs:
    from kg import export
    from kg.builder import build_corpus, check_build_shapes, load_checked
    from kg.stats import class_counts, shared_subjects, union_tally

    with _loading():
        corpus = load_checked(data, progress, cache=cache, shapes=shapes)
    result = build_corpus(corpus, progress, cache=cache)
    done = Outputs(warnings=result.corpus.warnings, cache=cache.stats if cache else None)
    ordered = _ordered(result, cache)
    with ThreadPoolExecutor(max_workers=1) as pool:
        # rudof releases the GIL: the shapes are checked while the files are rendered.
        checked = pool.submit(check_build_shapes, result, cache) if shapes else None
        # Turtle and TriG from each graph's blocks: those of unchanged graphs are the
        # cache's, so an edit rewrites only its own graph's (kg.export.Blocks).
        tick("writing kg.ttl", 0, 1)
        known = cache.blocks(result) if cache is not None else {}
        blocks = export.build_blocks(result, known)
        if cache is not None:
            cache.remember_blocks(result, blocks, known)
        shared = shared_subjects(export.subject_lists(blocks))
        for name, fmt in (("kg.ttl", "turtle"), ("kg.trig", "trig")):
            tick(f"writing {name}", 0, 1)
            with publish.atomic_open(staging / name) as handle:
                export.write_from_blocks(result, fmt, handle, blocks, ordered, shared)
        # The counts of the union from each graph's (kg.stats.Tally): an unchanged
        # article's are the cache's, so no pass over the whole union's lines.
        union = union_tally({graph: b.tally for graph, b in blocks.items()}, shared, ordered)
        del blocks, known  # held no longer than the two files need them
        done.triples = union.triples
        # The VoID/DCAT description of the files above (kg.dataset): one more file of the unit.
        from kg.dataset import describe

        dumps = {name: staging / name for name in ("kg.ttl", "kg.trig")}
        publish.write_bytes(staging / "void.ttl", describe(result, dumps, union=union))
        done.counts = class_counts(result, union)
        entities = sum(n for name, n in done.counts.items() if name[:1].isupper())
        if html is None:
            html = entities <= VIEWER_MAX_ENTITIES
            if not html:
                done.notes.append(
                    f"no kg.html: {entities:,} entities are too many for one map; draw one "
                    "subdistrict with 'kg viz --subdistrict NAME' (or pass --html)"
                )
        if html:
            from kg.viz import render

            tick("rendering kg.html", 0, 1)
            publish.write_bytes(staging / "kg.html", render(result.graph, None).encode("utf-8"))
        if checked is not None:
            tick("checking SHACL shapes", 0, 1)
            checked.result()
        if store is not None:
            from kg.store import write_store

            tick(f"loading the store {store}", 0, 1)
            done.store = write_store(result, store)
        done.files = [(out / p.name, p.stat().st_size) for p in sorted(staging.iterdir())]
    return done


def _ordered(result: Any, cache: Cache | None) -> Callable[[str], list[str]]:
    """Graph -> its lines sorted: those the cache read back are sorted already, the
    others are sorted when first asked for (only graphs with a shared subject are)."""
    known = cache.ordered if cache is not None else {}

    @functools.cache
    def ordered(graph: str) -> list[str]:
        found = known.get(graph)
        return found if found is not None else sorted(result.graphs[graph])

    return ordered
