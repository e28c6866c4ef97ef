"""The word lists of ``ontology/extract/``: what the extraction rules know, kept as data.

Every rule module reads its vocabulary from :func:`lexicon` (read once, on first use, from a
checkout or an installed wheel alike); extending the extractor is mostly editing those YAML
files, not code.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml

from kg.ontology import resource_dir

__all__ = ["Classes", "Lexicon", "classes", "lexicon", "longest_first", "read_words"]


def longest_first(words: Iterable[str]) -> tuple[str, ...]:
    """Alternatives for a regex or a scan must be tried longest first (党工委 before 党委)."""
    return tuple(sorted({str(w) for w in words}, key=lambda w: (-len(w), w)))


@dataclass(frozen=True)
class Lexicon:
    """The vocabularies, each named as in its YAML file (see the comments there)."""

    organs: dict[str, bool | str]
    positions: dict[str, bool | str]
    level_organs: frozenset[str]
    bylines: frozenset[str]
    village_prefixed_organs: frozenset[str]
    prefix_by_place: dict[str, str]
    bare_words: dict[str, str]
    level_titles: dict[str, tuple[str, str]]
    collectives: dict[str, str]
    descriptions: tuple[str, ...]
    followers: tuple[str, ...]
    surnames: frozenset[str]
    compound_surnames: frozenset[str]
    surname_readings: dict[str, str]
    strong_suffixes: tuple[str, ...]
    weak_suffixes: tuple[str, ...]
    not_enterprise_before: tuple[str, ...]
    industry_words: tuple[str, ...]
    not_names: frozenset[str]
    common_word_frequency: int
    numbered_units: tuple[str, ...]
    list_connectors: tuple[str, ...]
    org_suffixes: dict[str, bool]
    weak_org_suffixes: tuple[str, ...]
    generic_org_stems: frozenset[str]
    generic_org_prefixes: tuple[str, ...]
    community_kinds: frozenset[str]
    place_verbs: frozenset[str]
    function_words: frozenset[str]
    branch_suffixes: tuple[str, ...]
    object_verbs: frozenset[str]
    heads: tuple[str, ...]
    team_heads: tuple[str, ...]
    means: tuple[str, ...]
    generic_prefixes: tuple[str, ...]
    list_tails: tuple[str, ...]
    lead_verbs: tuple[str, ...]
    serve_verbs: tuple[str, ...]
    lead_after: tuple[str, ...]
    setup_verbs: tuple[str, ...]
    head_verbs: tuple[str, ...]
    take_part_after: tuple[str, ...]
    triggers: tuple[str, ...]
    fillers: tuple[str, ...]
    quoted_heads: tuple[str, ...]
    context_heads: tuple[str, ...]
    not_initiatives: frozenset[str]
    quote_marks: tuple[tuple[str, str], ...]
    count_fillers: tuple[str, ...]
    manner_quotes: tuple[re.Pattern[str], ...]
    document_triggers: tuple[str, ...]
    project_verbs: frozenset[str]
    meeting_heads: tuple[str, ...]
    agent_heads: tuple[str, ...]


@dataclass(frozen=True)
class Classes:
    """What the rules need to know of the ontology's classes (from :mod:`kg.schema`):
    the entity classes in display order, and the division level of each area class."""

    order: tuple[str, ...]
    levels: dict[str, str]

    def at_level(self, *levels: str) -> frozenset[str]:
        """The area classes of these division levels (``"district"``, ``"township"``...)."""
        return frozenset(name for name, level in self.levels.items() if level in levels)


@functools.cache
def classes() -> Classes:
    """:mod:`kg.schema`'s answer, kept in :mod:`kg.cache` under the ontology files' content
    (reading the ontology with rdflib costs a third of a second, more than all the
    extractor's other start-up)."""
    from kg import cache

    folder = resource_dir("ontology")
    sources = [(folder / name).read_text("utf-8") for name in ("kg.ttl", "classes.ttl")]

    def make() -> tuple[list[str], dict[str, str]]:
        from kg import schema

        return list(schema.entity_classes()), dict(schema.division_levels())

    order, levels = cache.marshalled(f"classes-{cache.key('1', *sources)}.marshal", make)
    return Classes(tuple(order), dict(levels))


@functools.cache
def read_words(name: str) -> dict[str, Any]:
    """One YAML file of ``ontology/extract/``, read once (libyaml's parser where installed)."""
    folder = resource_dir("ontology") / "extract"
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load((folder / name).read_text("utf-8"), Loader=loader)


@functools.cache
def lexicon() -> Lexicon:
    """Read the vocabularies once."""
    titles, names = read_words("titles.yaml"), read_words("names.yaml")
    orgs, inits = read_words("organizations.yaml"), read_words("initiatives.yaml")
    return Lexicon(
        organs=dict(titles["organs"]),
        positions=dict(titles["positions"]),
        level_organs=frozenset(titles["level_organs"]),
        bylines=frozenset(titles["bylines"]),
        village_prefixed_organs=frozenset(titles["village_prefixed_organs"]),
        prefix_by_place=dict(titles["prefix_by_place"]),
        bare_words=dict(titles["bare_words"]),
        level_titles={k: (v[0], v[1]) for k, v in titles["level_titles"].items()},
        collectives=dict(titles["collectives"]),
        descriptions=longest_first(titles["descriptions"]),
        followers=longest_first(names["followers"]),
        surnames=frozenset(names["surnames"]),
        compound_surnames=frozenset(names["compound_surnames"]),
        surname_readings=dict(names["surname_readings"]),
        strong_suffixes=longest_first(orgs["strong_suffixes"]),
        weak_suffixes=longest_first(orgs["weak_suffixes"]),
        not_enterprise_before=longest_first(orgs["not_enterprise_before"]),
        industry_words=longest_first(orgs["industry_words"]),
        not_names=frozenset(orgs["not_names"]),
        common_word_frequency=int(orgs["common_word_frequency"]),
        numbered_units=longest_first(orgs["numbered_units"]),
        list_connectors=longest_first(orgs["list_connectors"]),
        org_suffixes={k: bool(v) for k, v in orgs["organization_suffixes"].items()},
        weak_org_suffixes=longest_first(orgs["weak_organization_suffixes"]),
        generic_org_stems=frozenset(orgs["generic_org_stems"]),
        generic_org_prefixes=longest_first(orgs["generic_org_prefixes"]),
        community_kinds=frozenset(orgs["community_kinds"]),
        place_verbs=frozenset(orgs["place_verbs"]),
        function_words=frozenset(orgs["function_words"]),
        branch_suffixes=longest_first(orgs["branch_suffixes"]),
        object_verbs=frozenset(orgs["object_verbs"]),
        heads=longest_first(inits["heads"]),
        team_heads=longest_first(inits["team_heads"]),
        means=longest_first(inits["means"]),
        generic_prefixes=longest_first(inits["generic_prefixes"]),
        list_tails=longest_first(inits["list_tails"]),
        lead_verbs=longest_first(inits["lead_verbs"]),
        serve_verbs=longest_first(inits["serve_verbs"]),
        lead_after=longest_first(inits["lead_after"]),
        setup_verbs=longest_first(inits["setup_verbs"]),
        head_verbs=longest_first(inits["head_verbs"]),
        take_part_after=longest_first(inits["take_part_after"]),
        triggers=longest_first(inits["triggers"]),
        fillers=longest_first(inits["fillers"]),
        quoted_heads=longest_first(inits["quoted_heads"]),
        context_heads=longest_first(inits["context_heads"]),
        not_initiatives=frozenset(inits["not_initiatives"]),
        quote_marks=tuple((pair[0], pair[1]) for pair in inits["quotes"]),
        count_fillers=longest_first(inits["count_fillers"]),
        manner_quotes=tuple(re.compile(p) for p in inits["manner_quotes"]),
        document_triggers=longest_first(inits["document_triggers"]),
        project_verbs=frozenset(inits["project_verbs"]),
        meeting_heads=longest_first(inits["meeting_heads"]),
        agent_heads=longest_first(inits["agent_heads"]),
    )
