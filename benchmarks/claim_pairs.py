"""Score the same-claim decision `compare` makes on any file of sentence pairs.

    .venv/bin/python benchmarks/claim_pairs.py --pairs ../shared/benchmarks/mrpc/dev.tsv [--json OUT]
        [--judge default|features|cross-encoder|rule]

The file is in the MRPC layout: tab-separated, a header line, no quoting
(``csv.QUOTE_NONE``), columns ``label, sentence1, sentence2, ...``. Each pair
goes through exactly what ``align_claims`` runs: MiniLM cosines from the
``Embedder``, then ``same_claim.judge_pairs`` with the judge ``Comparer``
loads (``--judge`` swaps in another judge: the feature model, the
cross-encoder when its file is there, or the old fixed rule). Prints accuracy, precision, recall, F1 and n;
``--json`` writes them (percent).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

import numpy as np

from storylens.align.embed import Embedder
from storylens.align.same_claim import CrossEncoderJudge, FeatureJudge, Judge, Pair, RuleJudge, judge_pairs, load_judge
from storylens.align.settings import ClaimSettings


def read_pairs(path: Path) -> tuple[list[tuple[str, str]], np.ndarray]:
    pairs, labels = [], []
    with path.open(encoding="utf-8") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader, None)
        for row in reader:
            if len(row) >= 3 and row[0].strip() in ("0", "1"):
                labels.append(int(row[0]))
                pairs.append((row[1], row[2]))
    return pairs, np.array(labels)


def metrics(gold: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    tp = int(((pred == 1) & (gold == 1)).sum())
    fp = int(((pred == 1) & (gold == 0)).sum())
    fn = int(((pred == 0) & (gold == 1)).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "accuracy": round(100 * float((pred == gold).mean()), 2),
        "precision": round(100 * precision, 2),
        "recall": round(100 * recall, 2),
        "f1": round(100 * f1, 2),
        "n": len(gold),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", type=Path, required=True)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--judge", choices=["default", "features", "cross-encoder", "rule"], default="default")
    args = ap.parse_args()
    pairs, gold = read_pairs(args.pairs)
    if not pairs:
        sys.exit(f"{args.pairs}: no pairs in the MRPC layout")
    makers = {"default": load_judge, "features": FeatureJudge, "cross-encoder": CrossEncoderJudge, "rule": RuleJudge}
    judge: Judge = makers[args.judge]()
    t = time.perf_counter()
    embedder = Embedder()
    va, ta = embedder.encode_with_tokens([a for a, _ in pairs])
    vb, tb = embedder.encode_with_tokens([b for _, b in pairs])
    items = [Pair(a, b, float(va[i] @ vb[i]), ta[i], tb[i]) for i, (a, b) in enumerate(pairs)]
    probs = judge_pairs(judge, items, ClaimSettings().prefilter_cosine)
    seconds = time.perf_counter() - t
    result = metrics(gold, (probs >= judge.threshold).astype(int))
    print(
        f"{args.pairs.name}: judge {judge.name} (threshold {judge.threshold}); n {result['n']}  "
        f"accuracy {result['accuracy']:.1f}  precision {result['precision']:.1f}  "
        f"recall {result['recall']:.1f}  F1 {result['f1']:.1f}  ({seconds:.0f} s)"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
