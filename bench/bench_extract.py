"""Speed of ``kg extract``: start-up, articles per second after it, and how the time grows
with an article's length, each measured in one run (these machines are noisy: the figures
are CPU seconds of the process that does the work, and ratios within the run).

    python bench/bench_extract.py              # writes bench/results-extract.json
    python bench/bench_extract.py --big 1000000

* start-up: a fresh ``python`` that imports :mod:`kg.extract` and drafts a one-line article
  (dictionaries and tables loaded once, from the cache of :mod:`kg.cache`), against a
  fresh ``python`` that does nothing; also the ``kg extract`` command on that article, and
  the first start ever (the cache made anew in an empty folder).
* rate: the five seed articles, each made a new text by a line of its own (so no cache of a
  previous text helps), drafted round after round in one process after the start-up; the
  best and the median round (other work on the machine slows some rounds down).
* length: one long article made of the seeds and the corpus articles, each copy made
  distinct, at about 100 KB and at ``--big`` characters: seconds per character at both,
  and their ratio (1.0 is linear).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TINY = "东湖街道：简讯\n东湖街道党工委书记林晓峰说，街道共有企业205家。\n"
CHILD = """
import resource, sys, time
t = time.process_time()
{body}
print(time.process_time() - t, resource.getrusage(resource.RUSAGE_SELF).ru_utime
      + resource.getrusage(resource.RUSAGE_SELF).ru_stime)
"""


def child(body: str, env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the whole process) of a fresh python running body."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD.format(body=body)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
    )
    wall = time.perf_counter() - start
    return wall, float(done.stdout.split()[-1])


def startup(repeat: int) -> dict[str, float]:
    draft = f"from kg.extract import extract_text\nextract_text({TINY!r}, 'x.txt', 'x')"
    runs = [child(draft) for _ in range(repeat)]
    empty = [child("pass") for _ in range(repeat)]
    with tempfile.TemporaryDirectory() as folder:
        article = Path(folder) / "901_tiny.txt"
        article.write_text(TINY, "utf-8")
        kg = Path(sys.executable).parent / "kg"
        cli = []
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run([str(kg), "extract", str(article)], capture_output=True, check=True)
            cli.append(time.perf_counter() - start)
        fresh = dict(os.environ, KG_CACHE_DIR=str(Path(folder) / "cache"))
        first = child(draft, fresh)
    best = min(runs, key=lambda r: r[1])
    nothing = min(empty, key=lambda r: r[1])
    return {
        "python_doing_nothing_cpu": round(nothing[1], 3),
        "import_and_first_draft_cpu": round(best[1], 3),
        "import_and_first_draft_wall": round(best[0], 3),
        "startup_cpu": round(best[1] - nothing[1], 3),
        "kg_extract_command_wall": round(min(cli), 3),
        "first_start_ever_cpu (cache made)": round(first[1], 3),
    }


def rate(rounds: int) -> dict[str, float]:
    from kg import text
    from kg.extract import extract_text, ids, tokens

    def forget() -> None:
        """What the extractor remembers of earlier texts (names it read, slugs it made) is
        forgotten before each article: the rate is that of articles with all-new names."""
        tokens._detail.cache_clear()
        ids.slug.cache_clear()

    seeds = [text.read_article(p) for p in sorted((ROOT / "data" / "articles").glob("*.txt"))]
    extract_text(TINY, "x.txt", "x")
    rounds_cpu, rounds_wall = [], []
    for n in range(rounds):
        c, w = time.process_time(), time.perf_counter()
        for i, raw in enumerate(seeds):
            forget()
            extract_text(f"{raw}\n（本文第{n}轮第{i}篇）\n", f"{i:03d}.txt", f"{i:03d}")
        rounds_cpu.append(time.process_time() - c)
        rounds_wall.append(time.perf_counter() - w)
    size = sum(map(len, seeds)) / len(seeds)
    return {
        "articles": rounds * len(seeds),
        "mean_article_chars": round(size),
        "articles_per_cpu_second_best_round": round(len(seeds) / min(rounds_cpu), 1),
        "articles_per_cpu_second_median_round": round(
            len(seeds) / statistics.median(rounds_cpu), 1
        ),
        "articles_per_wall_second_best_round": round(len(seeds) / min(rounds_wall), 1),
    }


def length(big: int) -> dict[str, float]:
    from kg import text
    from kg.extract import extract_text

    folders = [
        ROOT / "data" / "articles",
        *sorted((ROOT / "tests" / "extract_corpus").glob("*/articles")),
    ]
    pieces = [text.read_article(p) for f in folders for p in sorted(f.glob("*.txt"))]

    def article(chars: int) -> str:
        out, n = [], 0
        while sum(map(len, out)) < chars:
            out.append(f"{pieces[n % len(pieces)]}\n（第{n}篇）\n")
            n += 1
        return "".join(out)[:chars]

    per_char = {}
    for size in (100_000, big):
        raw = article(size)
        start = time.process_time()
        extract_text(raw, "big.txt", "big")
        per_char[size] = (time.process_time() - start) / len(raw)
    return {
        "chars": [100_000, big],
        "cpu_seconds": [round(per_char[s] * s, 2) for s in (100_000, big)],
        "microseconds_per_char": [round(per_char[s] * 1e6, 1) for s in (100_000, big)],
        "ratio_big_to_small_per_char": round(per_char[big] / per_char[100_000], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--big", type=int, default=1_000_000)
    args = parser.parse_args()
    results = {
        "machine": f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start",
        "startup": startup(args.repeat),
        "rate": rate(args.rounds),
        "length": length(args.big),
    }
    out = ROOT / "bench" / "results-extract.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
