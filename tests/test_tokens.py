"""kg.extract.tokens cuts exactly as jieba.posseg with the same user dictionary (same words,
same tags), on the seed articles and on text made to stress it; kg.cache rebuilds what it
keeps when it is missing or damaged."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest

from kg import cache
from kg.extract import tokens
from kg.ontology import resource_dir
from kg.text import normalize, read_article

DATA = Path(__file__).resolve().parent.parent / "data"
SEEDS = sorted((DATA / "articles").glob("*.txt"))


@pytest.fixture(scope="module")
def jieba_posseg():
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    userdict = (resource_dir("ontology") / "extract" / "userdict.txt").read_text("utf-8")
    tokenizer.load_userdict(io.StringIO(userdict))
    return jieba.posseg.POSTokenizer(tokenizer)


STRESS = [
    "",
    "锦南街道党工委书记雷新钱带领宁波正和电器科技有限公司复工。",
    "ABC公司2020年3月2日16:39发布\r\n第1批 123家、45.6%，G20峰会；e-mail: a_b@c.d",
    "青禾街街党工委书记周敏、副书记欧阳晓明，县委常委、街道党工委书记李明华走访。",
    "一二三四五六七八九十百千万亿零〇两    \t全角１２３家ＡＢＣ",
    "鳳鳴街道黨工委書記周敏：復工復產跑出加速度",
    "的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的",
    "犇骉羴猋淼焱垚鑫森晶品磊矗靐龘",  # rare characters the model reads
]


@pytest.mark.parametrize("hmm", [True, False])
def test_same_words_and_tags_as_jieba_on_the_seeds(jieba_posseg, hmm: bool) -> None:
    for path in SEEDS:
        text = normalize(read_article(path)).text
        expected = [(p.word, p.flag) for p in jieba_posseg.cut(text, HMM=hmm)]
        assert [(t.word, t.flag) for t in tokens.cut(text, hmm)] == expected, path.name


@pytest.mark.parametrize("text", STRESS)
@pytest.mark.parametrize("hmm", [True, False])
def test_same_words_and_tags_as_jieba_on_odd_text(jieba_posseg, text: str, hmm: bool) -> None:
    expected = [(p.word, p.flag) for p in jieba_posseg.cut(text, HMM=hmm)]
    got = tokens.cut(text, hmm, offset=7)
    assert [(t.word, t.flag) for t in got] == expected
    assert [(t.start, t.end) for t in got] == [
        (7 + sum(len(w) for w, _ in expected[:i]), 7 + sum(len(w) for w, _ in expected[: i + 1]))
        for i in range(len(expected))
    ]


def test_frequencies_are_jiebas(jieba_posseg) -> None:
    freq = jieba_posseg.tokenizer.FREQ
    for word in ["的", "街道", "党工委", "有限公司", "雷新钱", "犇骉", "社区书记"]:
        assert tokens.frequency(word) == (freq.get(word) or 0), word


def test_cache_entry_is_made_again_when_missing_or_damaged(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    made = []

    def make() -> tuple[int, str]:
        made.append(1)
        return (42, "街道")

    assert cache.marshalled("thing-1.marshal", make) == (42, "街道")
    assert cache.marshalled("thing-1.marshal", make) == (42, "街道") and len(made) == 1
    (tmp_path / "thing-1.marshal").write_bytes(b"\x00garbage")
    assert cache.marshalled("thing-1.marshal", make) == (42, "街道") and len(made) == 2
    assert cache.marshalled("thing-2.marshal", make) == (42, "街道")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thing-2.marshal"]  # old one gone


def test_an_unwritable_cache_folder_still_works(tmp_path, monkeypatch) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    monkeypatch.setenv("KG_CACHE_DIR", str(blocked / "cache"))
    assert cache.marshalled("thing-1.marshal", lambda: [1, 2]) == [1, 2]
