"""Write a synthetic corpus shaped like the seeds: articles and fact files that build.

Each article reports on one subdistrict: its secretary (a post), a few initiatives with
organizers, leaders and served enterprises, and metrics in the seeds' mix (counts, 亿元
amounts, percentages, approximate and missing values). Every fact's quote is a sentence
of the generated article, so the corpus goes through the real loader, quote location and
all. Names are Chinese, built from syllable tables; ids are deterministic per seed.

    python bench/generate.py --articles 1000 --out bench/corpus/1k
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import yaml

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国新钱雪锋峰甜卫东海波宁晨"
PLACE = "锦湖仓阜张南北东西新安宁和平光明长春阳康福兴华文德泰永丰源清江山河桥林"
INITIATIVE_KINDS = [
    "工作专班",
    "服务队",
    "议事亭",
    "联络员制度",
    "楼长制",
    "工作站",
    "临时党支部",
    "网格化管理",
]
COMPANY_KINDS = [
    "食品有限公司",
    "科技有限公司",
    "光电科技有限公司",
    "大厦",
    "大酒店",
    "机械有限公司",
]
INDICATORS = [
    ("规上工业企业", "家"),
    ("复工复产率", "%"),
    ("规模工业总产值", "元"),
    ("党员志愿者", "名"),
    ("排查出租房", "户"),
    ("发放口罩", "个"),
]


def name(rng: random.Random, table: str, length: int) -> str:
    return "".join(rng.choice(table) for _ in range(length))


def article(index: int, rng: random.Random, districts: int) -> tuple[str, dict]:
    """One article's text and its fact file."""
    a = f"a{index:06d}"
    sd_label = name(rng, PLACE, 2) + "街道"
    district = rng.randrange(districts)
    district_label = name(random.Random(district), PLACE, 2) + "区"
    sd, dist = f"sd-{index}", f"district-{district}"
    secretary = rng.choice(SURNAMES) + name(rng, GIVEN, 2)
    sentences = [
        f"{district_label}{sd_label}:全力推进复工复产（第{index}号报道）",
        f"{sd_label}党工委书记{secretary}介绍了近期工作",
    ]
    entities: list[dict] = [
        {
            "id": dist,
            "type": "District",
            "label": district_label,
            "quote": district_label + sd_label,
        },
        {
            "id": sd,
            "type": "Subdistrict",
            "label": sd_label,
            "quote": district_label + sd_label,
            "partOf": dist,
        },
        {
            "id": "role-dangongwei-shuji",
            "type": "Role",
            "label": "党工委书记",
            "quote": sentences[1],
        },
        {
            "id": f"post-{index}",
            "type": "Post",
            "quote": sentences[1],
            "postIn": sd,
            "role": "role-dangongwei-shuji",
        },
        {
            "id": f"p-{index}",
            "type": "Official",
            "label": secretary,
            "quote": sentences[1],
            "holds": f"post-{index}",
        },
    ]
    for j in range(rng.randint(2, 4)):
        label = f"{name(rng, PLACE, 2)}{rng.choice(INITIATIVE_KINDS)}{index}-{j}"
        company = f"{name(rng, PLACE, 2)}{rng.choice(COMPANY_KINDS)}{index}-{j}"
        sentence = f"{sd_label}成立{label},由{secretary}牵头,服务{company}等企业"
        sentences.append(sentence)
        entities += [
            {
                "id": f"i-{index}-{j}",
                "type": "Initiative",
                "label": label,
                "quote": sentence,
                "organizedBy": sd,
                "serves": f"c-{index}-{j}",
            },
            {
                "id": f"c-{index}-{j}",
                "type": "Enterprise",
                "label": company,
                "quote": sentence,
                "locatedIn": sd,
            },
        ]
        entities[4].setdefault("leads", []).append(f"i-{index}-{j}")
    for k in range(rng.randint(3, 6)):
        indicator, unit = rng.choice(INDICATORS)
        entity = {
            "id": f"m-{index}-{k}",
            "type": "Metric",
            "indicator": indicator,
            "refArea": sd,
            "refPeriod": "截至目前",
        }
        if rng.random() < 0.05:
            sentence = f"截至目前,{sd_label}{indicator}{unit}（第{k}项）"
            entity["valueMissing"] = True
        else:
            value = (
                f"{rng.randint(1, 99)}.{rng.randint(10, 99)}"
                if unit in "%元"
                else str(rng.randint(1, 5000))
            )
            scale = "亿" if unit == "元" else ""
            more = "余" if rng.random() < 0.3 and unit not in "%元" else ""
            sentence = f"截至目前,{sd_label}{indicator}{value}{more}{scale}{unit}（第{k}项）"
            entity["value"] = value
            if scale:
                entity["scale"] = scale
            if more:
                entity["qualifier"] = "more-than"
        entity["unit"] = unit
        entity["quote"] = sentence
        sentences.append(sentence)
        entities.append(entity)
    text = "\n".join(sentences) + "\n"
    facts = {"article": {"id": a, "file": f"{a}.txt", "title": sentences[0]}, "entities": entities}
    return text, facts


def generate(articles: int, out: Path, seed: int = 1) -> Path:
    """Write ``articles`` articles and fact files under ``out/{articles,facts}``."""
    rng = random.Random(seed)
    (out / "articles").mkdir(parents=True, exist_ok=True)
    (out / "facts").mkdir(parents=True, exist_ok=True)
    districts = max(1, articles // 20)
    for index in range(articles):
        text, facts = article(index, rng, districts)
        aid = facts["article"]["id"]
        (out / "articles" / f"{aid}.txt").write_text(text, encoding="utf-8")
        (out / "facts" / f"{aid}.yaml").write_text(
            yaml.safe_dump(facts, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--out", type=Path, default=Path("bench/corpus/100"))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(generate(args.articles, args.out, args.seed))


if __name__ == "__main__":
    main()
