"""Where should the cosine prefilter sit for the shipped sentence encoder?

Pairs below ``ClaimSettings.prefilter_cosine`` are never judged, so it trades
same-claim pairs lost for cross-encoder work saved. For each threshold this
prints the share of MRPC train's same-claim pairs kept (what the setting is
chosen by), MRPC dev accuracy / F1 of the shipped decision with it (reported,
not chosen on), and how many cross-article claim pairs of 20 unrelated
bench_compare articles reach it, with the shipped encoder and with the full
MiniLM-L6 (the cross-encoder's load on text that shares nothing). It also
prints the tokens the main-clause search embeds on the 5 bench_compare
articles for several ``core_search_share`` values.

    .venv/bin/python benchmarks/prefilter_sweep.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "scripts"))

THRESHOLDS = (0.5, 0.54, 0.56, 0.58, 0.6, 0.62, 0.65)
MRPC = HERE.parent.parent / "shared" / "benchmarks" / "mrpc"


def main() -> None:
    from train_claims import read_pairs, scores

    from bench_compare import articles
    from encoder_candidate import encode, load_encoder
    from storylens.align.claims import extract_claims
    from storylens.align.embed import Embedder
    from storylens.align.same_claim import Pair, load_judge
    from storylens.align.settings import DEFAULT
    from storylens.coref.resolver import Resolver

    embedder = Embedder()
    judge = load_judge()
    print(f"encoder: {embedder.name}; judge: {judge.name}; shipped prefilter {DEFAULT.claims.prefilter_cosine}")
    ta, tb, ty = read_pairs(MRPC / "train.tsv")
    da, db, dy = read_pairs(MRPC / "dev.tsv")
    train_cos = (embedder.encode(ta) * embedder.encode(tb)).sum(1)
    va, xa = embedder.encode_with_tokens(da)
    vb, xb = embedder.encode_with_tokens(db)
    dev = [Pair(a, b, float(va[i] @ vb[i]), xa[i], xb[i]) for i, (a, b) in enumerate(zip(da, db, strict=True))]
    dev_cos = np.array([p.cosine for p in dev])
    accepted = judge.probabilities(dev) >= judge.threshold

    claims = []
    owners: list[int] = []
    for k, parsed in enumerate(Resolver().parse(articles(20))):
        assert parsed.resolution is not None and parsed.doc is not None
        mine = extract_claims(parsed.resolution, parsed.doc, DEFAULT.claims)
        claims += mine
        owners += [k] * len(mine)
    owner = np.array(owners)
    cross = owner[:, None] < owner[None, :]
    texts = [c.resolved for c in claims]
    shipped_v = embedder.encode(texts)
    full_bert, tokenizer = load_encoder(None)
    full_v = encode(full_bert, tokenizer, texts)[0]
    shipped, full = (shipped_v @ shipped_v.T)[cross], (full_v @ full_v.T)[cross]
    print(f"20 articles: {len(texts)} claims, {int(cross.sum())} cross-article pairs")
    print("prefilter  train same-claim kept  dev acc / F1  pairs (shipped)  pairs (MiniLM-L6)")
    for t in THRESHOLDS:
        kept = 100 * float((train_cos[ty == 1] >= t).mean())
        acc, f1 = scores(dy, (accepted & (dev_cos >= t)).astype(int))
        n_shipped, n_full = int((shipped >= t).sum()), int((full >= t).sum())
        print(f"{t:9.2f} {kept:21.1f} {acc:8.1f} / {f1:4.1f} {n_shipped:16d} {n_full:18d}")

    five = [c for c, o in zip(claims, owners, strict=True) if o < 5]

    def tokens(items: list[str]) -> int:
        return sum(len(ids) for ids in tokenizer(items)["input_ids"]) if items else 0

    print(f"5 articles: {len(five)} claims, {tokens([c.resolved for c in five])} tokens")
    for share in (0.5, 0.6, 0.7, 0.8, 1.01):
        cores = [c.core for c in five if c.core and len(c.core) < share * len(c.resolved)]
        print(f"  core_search_share {share:.2f}: {len(cores)} main clauses, {tokens(cores)} tokens")


if __name__ == "__main__":
    main()
