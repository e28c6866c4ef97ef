"""The build cache (``out/.kg/cache``): an incremental build gives the bytes of a clean one,
and an entry that is damaged, edited or of another version is never trusted."""

from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path

import pytest
import yaml

from kg import buildcache as kg_cache
from kg.builder import build
from kg.facts import FactError
from kg.outputs import build_outputs
from tests.conftest import DATA

OUTPUTS = ("kg.ttl", "kg.trig", "kg.html", "void.ttl")


def _corpus(root: Path) -> Path:
    """The seeds plus twelve synthetic articles, with one cross-file label dependency: a
    post in one file whose role (and so its composed label) is defined in another."""
    from bench.generate import generate

    data = root / "data"
    shutil.copytree(DATA, data)
    generated = generate(12, root / "generated")
    for kind in ("articles", "facts"):
        for path in (generated / kind).iterdir():
            shutil.copy(path, data / kind / path.name)
    first, second = _facts(data, "a000000"), _facts(data, "a000001")
    secretary = first["entities"][2]["quote"]  # "…党工委书记…"
    first["entities"].append(
        {"id": "role-shuji", "type": "Role", "label": "书记", "quote": secretary}
    )
    post = next(e for e in second["entities"] if e["type"] == "Post")
    post["role"] = "role-shuji"
    _write(data, "a000000", first)
    _write(data, "a000001", second)
    return data


def _facts(data: Path, name: str) -> dict:
    return yaml.safe_load((data / "facts" / f"{name}.yaml").read_text("utf-8"))


def _write(data: Path, name: str, facts: dict) -> None:
    text = yaml.safe_dump(facts, allow_unicode=True, sort_keys=False)
    (data / "facts" / f"{name}.yaml").write_text(text, "utf-8")


# ---------------------------------------------------------------- edits an annotator makes


def relabel_the_shared_role(data: Path, rng: random.Random) -> None:
    """Changes a label another file's composed post label is made of (that file is not
    touched, so only the labels its cached lines recorded can tell)."""
    facts = _facts(data, "a000000")
    role = next(e for e in facts["entities"] if e["id"] == "role-shuji")
    role["label"] = "工委书记" if role["label"] == "书记" else "书记"
    _write(data, "a000000", facts)


def change_a_number(data: Path, rng: random.Random) -> None:
    """A metric's value in the article and in its fact file, together."""
    names = sorted(p.stem for p in (data / "facts").glob("a*.yaml"))
    name = rng.choice(names)
    facts = _facts(data, name)
    metrics = [e for e in facts["entities"] if e["type"] == "Metric" and "value" in e]
    metric = rng.choice(metrics)
    old = metric["value"]
    new = str(int(float(old)) + 7) if "." not in old else f"{float(old) + 1:.2f}"
    article = data / "articles" / facts["article"]["file"]
    before = metric["quote"]
    after = before.replace(f"{metric['indicator']}{old}", f"{metric['indicator']}{new}", 1)
    article.write_text(article.read_text("utf-8").replace(before, after, 1), "utf-8")
    metric["quote"], metric["value"] = after, new
    _write(data, name, facts)


def touch_an_article(data: Path, rng: random.Random) -> None:
    """The article changes after every quote: offsets stay, its SHA-256 does not."""
    path = rng.choice(sorted((data / "articles").glob("a*.txt")))
    path.write_text(path.read_text("utf-8") + "（本文有删改）\n", "utf-8")


def comment_a_seed(data: Path, rng: random.Random) -> None:
    """A comment line moves every position of a hand-written file, nothing else."""
    path = rng.choice(sorted((data / "facts").glob("00*.yaml")))
    path.write_text(f"# reviewed {rng.randrange(10**6)}\n" + path.read_text("utf-8"), "utf-8")


def share_a_district(data: Path, rng: random.Random) -> None:
    """One article names another's district too: a subject only one graph described is
    now shared (or already was), which the union's counts correct for (kg.stats)."""
    names = sorted(p.stem for p in (data / "facts").glob("a*.yaml"))
    giver, taker = rng.sample(names, 2)
    district = next(e for e in _facts(data, giver)["entities"] if e["type"] == "District")
    facts = _facts(data, taker)
    if any(e["id"] == district["id"] for e in facts["entities"]):
        return
    sentence = f"{district['label']}也派员参加了活动"
    article = data / "articles" / facts["article"]["file"]
    article.write_text(article.read_text("utf-8") + sentence + "。\n", "utf-8")
    facts["entities"].append({**district, "quote": sentence})
    _write(data, taker, facts)


def drop_an_article(data: Path, rng: random.Random) -> None:
    names = sorted(p.stem for p in (data / "facts").glob("a*.yaml"))[2:]  # keep the pair
    if names:
        (data / "facts" / f"{rng.choice(names)}.yaml").unlink()


def add_an_article(data: Path, rng: random.Random) -> None:
    from bench.generate import article

    index = 100 + rng.randrange(10**4)
    text, facts = article(index, rng, 3)
    (data / "articles" / f"a{index:06d}.txt").write_text(text, "utf-8")
    _write(data, f"a{index:06d}", facts)


EDITS = [
    relabel_the_shared_role,
    change_a_number,
    touch_an_article,
    comment_a_seed,
    share_a_district,
    drop_an_article,
    add_an_article,
]


def _outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return _corpus(tmp_path_factory.mktemp("cache"))


@pytest.mark.slow
def test_incremental_builds_after_random_edits_are_byte_identical_to_clean_builds(
    corpus, tmp_path, monkeypatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # void.ttl's time: compared too
    data = tmp_path / "data"
    shutil.copytree(corpus, data)
    out = tmp_path / "out"
    first = build_outputs(data, out)
    assert first.cache is not None and first.cache.hits == 0
    again = build_outputs(data, out)
    files = len(list((data / "facts").glob("*.yaml")))
    assert again.cache.hits == files and again.cache.misses == 0
    rng = random.Random(16)
    order = list(EDITS)
    rng.shuffle(order)
    rounds = [order[at : at + 3] for at in range(0, len(order), 3)]
    rounds[-1].append(change_a_number)  # every edit once, and each round changes a file
    for edits in rounds:
        for edit in edits:
            edit(data, rng)
        incremental = build_outputs(data, out)
        clean = build_outputs(data, tmp_path / "clean", cache=False)
        names = [e.__name__ for e in edits]
        assert _outputs(out) == _outputs(tmp_path / "clean"), names
        assert incremental.counts == clean.counts
        assert 0 < incremental.cache.misses < files, names  # it did reuse, and redo
        assert not incremental.cache.rejected
    cached = build(data, cache=kg_cache.Cache(out / ".kg" / "cache"))
    assert cached.nquads() == build(data).nquads()
    # the counts summed from the graphs' tallies are those of the union's own lines
    from kg.stats import class_counts

    assert incremental.counts == class_counts(cached)


@pytest.mark.slow
def test_the_label_another_file_uses_is_followed(corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    data = tmp_path / "data"
    shutil.copytree(corpus, data)
    out = tmp_path / "out"
    build_outputs(data, out, html=False)
    relabel_the_shared_role(data, random.Random(1))
    build_outputs(data, out, html=False)
    assert "工委书记" in (out / "kg.ttl").read_text("utf-8")
    build_outputs(data, tmp_path / "clean", html=False, cache=False)
    assert _outputs_of(out) == _outputs_of(tmp_path / "clean")


def _outputs_of(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in ("kg.ttl", "kg.trig")}


def _damage(entry: Path, how: str) -> None:
    data = entry.read_bytes()
    header, _, payload = data.partition(b"\n")
    if how == "truncated":
        entry.write_bytes(data[: len(data) // 2])
    elif how == "corrupt":
        flipped = bytearray(payload)
        flipped[len(flipped) // 2] ^= 0x20
        entry.write_bytes(header + b"\n" + bytes(flipped))
    elif how == "hand-edited":
        edited = re.sub(rb'"label":"[^"]*"', b'"label":"edited"', payload, count=1)
        edited = edited if edited != payload else payload.replace(b'"', b"'", 1)
        entry.write_bytes(header + b"\n" + edited)
    elif how == "other-version":
        fields = json.loads(header)
        fields["fingerprint"] = "0" * 64
        entry.write_bytes(json.dumps(fields).encode() + b"\n" + payload)
    elif how == "malformed":  # a sound header over a payload of the wrong shape
        bad = json.dumps({"file": {"article": 1}, "lines": 2}).encode()
        fields = json.loads(header)
        fields["bytes"] = len(bad)
        import hashlib

        fields["sha256"] = hashlib.sha256(bad).hexdigest()
        entry.write_bytes(json.dumps(fields).encode() + b"\n" + bad)
    elif how == "blob-outside":  # a sound header, a blob placed past the end (or none)
        import hashlib

        text, _, blobs = payload.partition(b"\n")
        moved = re.sub(rb'"kg-blob":\[\d+,', b'"kg-blob":[999999999,', text, count=1)
        if moved == text:  # an entry without blobs (a shape result): one that names one
            moved = json.dumps({"lines": {"kg-blob": [999999999, 4]}}).encode()
        bad = moved + b"\n" + blobs
        fields = json.loads(header)
        fields["bytes"] = len(bad)
        fields["sha256"] = hashlib.sha256(bad).hexdigest()
        entry.write_bytes(json.dumps(fields).encode() + b"\n" + bad)
    elif how == "garbage":
        entry.write_bytes(b"\x00\xff not a cache entry")
    else:
        raise AssertionError(how)


DAMAGE = [
    "truncated",
    "corrupt",
    "hand-edited",
    "other-version",
    "malformed",
    "blob-outside",
    "garbage",
]


@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_entry_is_ignored_and_rebuilt(how, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    out = tmp_path / "out"
    build_outputs(data, out)
    clean = _outputs(out)
    entries = sorted((out / ".kg" / "cache").glob("*.json"))
    files = [e for e in entries if not e.name.startswith(("shapes-", "blocks-"))]
    shapes = [e for e in entries if e.name.startswith("shapes-")]
    blocks = [e for e in entries if e.name.startswith("blocks-")]  # the table's, derived
    assert len(files) == 5 and shapes and len(blocks) == 2
    damaged = [files[0], files[3], shapes[0], blocks[0]]
    for entry in damaged:
        _damage(entry, how)
    done = build_outputs(data, out)
    assert sorted(done.cache.rejected) == sorted(e.name for e in damaged)
    assert done.cache.hits == 3 and done.cache.misses == 2
    assert _outputs(out) == clean
    again = build_outputs(data, out)  # rebuilt: whole again
    assert not again.cache.rejected and again.cache.hits == 5


def test_the_fingerprint_follows_the_shapes_and_the_code(tmp_path, monkeypatch):
    from kg import ontology

    before = kg_cache.fingerprint.__wrapped__()
    assert kg_cache.fingerprint.__wrapped__() == before
    copy = tmp_path / "ontology"
    shutil.copytree(Path(str(ontology.resource_dir("ontology"))), copy)
    shapes = copy / "shapes.ttl"
    shapes.write_text(shapes.read_text("utf-8") + "\n# stricter\n", "utf-8")
    monkeypatch.setattr(ontology, "resource_dir", lambda name: copy)
    assert kg_cache.fingerprint.__wrapped__() != before


def test_no_cache_writes_no_cache(tmp_path):
    out = tmp_path / "out"
    build_outputs(DATA, out, cache=False)
    assert not (out / ".kg" / "cache").exists()
    build_outputs(DATA, out)
    assert len(list((out / ".kg" / "cache").glob("*.json"))) >= 5


# ---------------------------------------------------------------- every problem at once


def test_one_run_reports_yaml_quote_id_and_shape_problems_together(tmp_path, capsys):
    from tests.test_cli import run

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    facts = data / "facts"

    def edit(name: str, old: str, new: str) -> None:
        path = facts / name
        text = path.read_text("utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), "utf-8")

    edit("000.yaml", "entities:\n", "entities:\n  - id: [unclosed\n")
    quote = re.search(r"quote: (\S+)", (facts / "001.yaml").read_text("utf-8"))[1]
    edit("001.yaml", f"quote: {quote}", "quote: 这句话不在文章里")
    edit("002.yaml", "postIn: ", "postIn: no-such-place  # ")
    scale = re.search(r"scale: (\S+)", (facts / "004.yaml").read_text("utf-8"))
    if scale:
        edit("004.yaml", scale[0], "scale: 千万")
    else:
        edit("004.yaml", "    unit: ", "    scale: 千万\n    unit: ")
    code, _, err = run(["build", "--data", str(data), "--out", str(tmp_path / "out")], capsys)
    assert code == 1
    lines = err.strip().splitlines()
    shown = "\n".join(lines)
    assert re.search(r"facts/000\.yaml:\d+:\d+: invalid YAML", shown), shown
    assert re.search(r"facts/001\.yaml:\d+:\d+: quote not found", shown), shown
    assert re.search(r"facts/002\.yaml:\d+:\d+: 'no-such-place' is not defined", shown), shown
    assert re.search(
        r"facts/004\.yaml:\d+:\d+: metric '[^']+': 'scale' value \"千万\" is not one of the "
        r"allowed values \(kg:scale is one Chinese scale word",
        shown,
    ), shown
    assert all(re.match(r"error: \S+:\d+:\d+: ", line) for line in lines), shown
    assert not (tmp_path / "out").exists()
    with pytest.raises(FactError) as caught:
        build(data)
    assert str(caught.value) == "\n".join(line.removeprefix("error: ") for line in lines)
