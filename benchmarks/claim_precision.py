"""How often does claim alignment pair claims that cannot be the same?

Claims from different, unrelated OntoGUM documents never state the same thing,
so every cross-document pair that reaches ``SAME_CLAIM`` is a false alignment.
Prints their number and rate for several thresholds around the shipped one and
the highest-scoring pairs, so a threshold change can be judged without the
seed story (which is kept for checking, not tuning).

    .venv/bin/python benchmarks/claim_precision.py [--articles 40]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_compare import articles
from storylens.align.claims import extract_claims, lexical_similarity
from storylens.align.embed import Embedder
from storylens.align.settings import ClaimSettings
from storylens.coref.resolver import Resolver

SAME_CLAIM = ClaimSettings().same_claim
EMBED_WEIGHT = ClaimSettings().embed_weight
THRESHOLDS = (0.6, 0.65, 0.7, SAME_CLAIM, 0.75, 0.8)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=40)
    args = ap.parse_args()
    resolver, embedder = Resolver(), Embedder()
    batch = articles(args.articles)
    docs = resolver.nlp.pipe([a.text for a in batch])
    claims = [c for a, d in zip(batch, docs, strict=True) for c in extract_claims(resolver.resolve_doc(a, d), d)]
    vectors = embedder.encode([c.resolved for c in claims])
    sims = vectors @ vectors.T
    floor = (min(THRESHOLDS) - (1 - EMBED_WEIGHT)) / EMBED_WEIGHT  # below it no pair reaches any threshold
    pairs, scored = 0, []
    for i in range(len(claims)):
        for j in range(i + 1, len(claims)):
            if claims[i].article_id == claims[j].article_id:
                continue
            pairs += 1
            if sims[i, j] >= floor:
                lexical = lexical_similarity(claims[i].resolved, claims[j].resolved)
                scored.append((EMBED_WEIGHT * float(sims[i, j]) + (1 - EMBED_WEIGHT) * lexical, i, j))
    print(f"{len(batch)} unrelated documents, {len(claims)} claims, {pairs:,} cross-document pairs")
    print(f"{'threshold':>9} {'false pairs':>11} {'rate':>9}")
    for t in THRESHOLDS:
        k = sum(1 for s, _, _ in scored if s >= t)
        mark = "  <- shipped" if t == SAME_CLAIM else ""
        print(f"{t:>9.2f} {k:>11} {k / pairs:>9.1e}{mark}")
    print("highest-scoring pairs:")
    for s, i, j in sorted(scored, reverse=True)[:5]:
        print(f"  {s:.3f}  {claims[i].resolved[:70]!r} ~ {claims[j].resolved[:70]!r}")


if __name__ == "__main__":
    main()
