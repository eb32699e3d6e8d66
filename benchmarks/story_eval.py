"""Story clustering on ECB+: B³ precision, recall, F1 and adjusted Rand index
against the gold stories, and how much the result depends on arrival order.

    .venv/bin/python benchmarks/story_eval.py [--split dev|train] [--fit] [--orders 5] [--json OUT]

Articles arrive in date order where dates are known (the `ecbplus` half),
otherwise in file order. ``--fit`` grid-searches the threshold and weights on
train and prints the dev score of the best train setting; settings ship as
``stories.settings.StorySettings`` defaults. ``--orders N`` reruns with N
random arrival orders and prints the spread of B³ F1.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

from storylens.stories.assign import parse_date
from storylens.stories.cluster import StoryClusterer
from storylens.stories.settings import DEFAULT, StorySettings

ECB = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks" / "ecbplus" / "articles.jsonl"


def load(split: str) -> list[dict]:
    rows = [json.loads(line) for line in ECB.open(encoding="utf-8")]
    return [r for r in rows if r["split"] == split]


def b_cubed(gold: dict[str, str], pred: dict[str, int]) -> tuple[float, float, float]:
    by_gold: dict[str, set[str]] = defaultdict(set)
    by_pred: dict[int, set[str]] = defaultdict(set)
    for doc, g in gold.items():
        by_gold[g].add(doc)
        by_pred[pred[doc]].add(doc)
    p = sum(len(by_gold[gold[d]] & by_pred[pred[d]]) / len(by_pred[pred[d]]) for d in gold) / len(gold)
    r = sum(len(by_gold[gold[d]] & by_pred[pred[d]]) / len(by_gold[gold[d]]) for d in gold) / len(gold)
    return 100 * p, 100 * r, 100 * 2 * p * r / (p + r) if p + r else 0.0


def adjusted_rand(gold: dict[str, str], pred: dict[str, int]) -> float:
    docs = list(gold)
    pairs = Counter((gold[d], pred[d]) for d in docs)

    def comb(n: int) -> float:
        return n * (n - 1) / 2

    index = sum(comb(n) for n in pairs.values())
    a = sum(comb(n) for n in Counter(gold[d] for d in docs).values())
    b = sum(comb(n) for n in Counter(pred[d] for d in docs).values())
    expected = a * b / comb(len(docs))
    top = (a + b) / 2
    return (index - expected) / (top - expected) if top != expected else 1.0


def arrival(rows: list[dict]) -> list[dict]:
    dated = sorted((r for r in rows if parse_date(r["date"])), key=lambda r: parse_date(r["date"]))
    return dated + [r for r in rows if not parse_date(r["date"])]


def run(rows: list[dict], settings: StorySettings) -> dict[str, float]:
    clusterer = StoryClusterer(settings)
    pred = {r["id"]: clusterer.add(r["id"], r["title"], r["text"], parse_date(r["date"])) for r in rows}
    gold = {r["id"]: r["story"] for r in rows}
    p, r, f = b_cubed(gold, pred)
    return {"b3_p": p, "b3_r": r, "b3_f1": f, "ari": adjusted_rand(gold, pred), "stories": len(clusterer.stories)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="dev", choices=["dev", "train"])
    ap.add_argument("--fit", action="store_true")
    ap.add_argument("--orders", type=int, default=5)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    settings = DEFAULT
    if args.fit:
        train = arrival(load("train"))
        grid = itertools.product((0.15, 0.2, 0.25, 0.3, 0.35), (1.0, 2.0, 3.0), (1.0, 2.0, 3.0), (1.0, 2.0))
        scored = []
        for th, name_w, num_w, title_w in grid:
            s = replace(DEFAULT, threshold=th, name_weight=name_w, number_weight=num_w, title_weight=title_w)
            scored.append((run(train, s)["b3_f1"], s))
        scored.sort(key=lambda x: -x[0])
        for f1, s in scored[:5]:
            print(
                f"train B3 F1 {f1:.1f}: threshold {s.threshold} names {s.name_weight} numbers {s.number_weight} "
                f"title {s.title_weight}"
            )
        settings = scored[0][1]
    rows = arrival(load(args.split))
    t = time.perf_counter()
    result = run(rows, settings)
    seconds = time.perf_counter() - t
    print(
        f"ECB+ {args.split}: {len(rows)} articles, {len({r['story'] for r in rows})} gold stories, "
        f"{result['stories']} found; B3 P {result['b3_p']:.1f} R {result['b3_r']:.1f} F1 {result['b3_f1']:.1f}; "
        f"ARI {result['ari']:.3f}  ({seconds:.2f} s)"
    )
    rng = random.Random(7)
    f1s = []
    for _ in range(args.orders):
        shuffled = rows[:]
        rng.shuffle(shuffled)
        f1s.append(run(shuffled, settings)["b3_f1"])
    if f1s:
        print(f"random arrival orders ({args.orders}): B3 F1 min {min(f1s):.1f}, max {max(f1s):.1f}")
    if args.json:
        args.json.write_text(json.dumps({**result, "order_f1": f1s}, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
