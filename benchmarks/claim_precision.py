"""How often does claim alignment pair claims that cannot be the same?

Claims from different, unrelated OntoGUM documents never state the same thing,
so every cross-document pair the same-claim judge accepts is a false alignment.
Prints their number and rate for several probability thresholds around the
judge's own and the highest-scoring pairs, so a change can be judged without
the seed story (which is kept for checking, not tuning).

    .venv/bin/python benchmarks/claim_precision.py [--articles 40]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_compare import articles
from storylens.align.claims import extract_claims
from storylens.align.embed import Embedder
from storylens.align.same_claim import Pair, judge_pairs, load_judge
from storylens.align.settings import ClaimSettings
from storylens.coref.resolver import Resolver

PREFILTER = ClaimSettings().prefilter_cosine


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=40)
    args = ap.parse_args()
    resolver, embedder, judge = Resolver(), Embedder(), load_judge()
    thresholds = sorted({0.3, 0.5, 0.7, 0.9, judge.threshold})
    batch = articles(args.articles)
    docs = resolver.nlp.pipe([a.text for a in batch])
    claims = [c for a, d in zip(batch, docs, strict=True) for c in extract_claims(resolver.resolve_doc(a, d), d)]
    vectors, tokens = embedder.encode_with_tokens([c.resolved for c in claims])
    sims = vectors @ vectors.T
    pairs, candidates = 0, []
    for i in range(len(claims)):
        for j in range(i + 1, len(claims)):
            if claims[i].article_id == claims[j].article_id:
                continue
            pairs += 1
            if sims[i, j] >= PREFILTER:
                candidates.append((i, j))
    items = [
        Pair(claims[i].resolved, claims[j].resolved, float(sims[i, j]), tokens[i], tokens[j]) for i, j in candidates
    ]
    probs = judge_pairs(judge, items, PREFILTER)
    scored = [(float(p), i, j) for p, (i, j) in zip(probs, candidates, strict=True)]
    print(f"{len(batch)} unrelated documents, {len(claims)} claims, {pairs:,} cross-document pairs")
    print(f"{'threshold':>9} {'false pairs':>11} {'rate':>9}")
    print(f"judge: {judge.name}; {len(candidates)} pairs above the cosine prefilter {PREFILTER}")
    for t in thresholds:
        k = sum(1 for s, _, _ in scored if s >= t)
        mark = "  <- shipped" if t == judge.threshold else ""
        print(f"{t:>9.2f} {k:>11} {k / pairs:>9.1e}{mark}")
    print("highest-scoring pairs:")
    for s, i, j in sorted(scored, reverse=True)[:5]:
        print(f"  {s:.3f}  {claims[i].resolved[:70]!r} ~ {claims[j].resolved[:70]!r}")


if __name__ == "__main__":
    main()
