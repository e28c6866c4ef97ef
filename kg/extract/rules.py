"""The rules of ``kg extract``, in the order they run.

Each rule is a function of the article's :class:`~kg.extract.context.Context`. The first
ones find names and claim their characters (:class:`~kg.extract.claims.Claims`): an
enterprise name may begin with a place, so enterprises are found before places are claimed;
communities, initiatives and organizations then read only what is left. The later ones turn
the names into the draft's entities and state what the text says about them.
"""

from __future__ import annotations

from collections.abc import Callable

from kg.extract import enterprises, initiatives, metrics, organizations, people, places
from kg.extract.context import Context

__all__ = ["RULES", "Rule"]

Rule = Callable[[Context], None]


def named(ctx: Context) -> None:
    """The entities of the communities, enterprises, organizations and initiatives found,
    in text order; a short form written after its full name is one of its altLabels."""
    found = ctx.communities + ctx.enterprises + ctx.organizations + ctx.initiatives
    for m in sorted(found, key=lambda m: (m.start, m.end)):
        e = ctx.builder.entity(m)
        shown = ctx.doc.shown[m.start : m.end]
        if m.alt is not None and shown != e.label and shown not in e.alt_labels:
            e.alt_labels.append(shown)  # 市监所 of 市场监督管理所, written after it


RULES: tuple[Rule, ...] = (
    # names, each claiming its characters
    places.find,  # division names (candidates, not claimed yet)
    enterprises.find,  # an enterprise name may begin with a place
    places.claim,  # the places outside enterprise names
    places.communities,
    initiatives.find,
    initiatives.aliases,
    organizations.find,
    enterprises.aliases,
    # entities and what the text says about them
    places.entities,
    named,
    places.locate,
    enterprises.add_aliases,
    initiatives.organizers,
    people.find,
    initiatives.links,
    metrics.find,
)
