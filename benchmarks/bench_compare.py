"""How fast is compare, and how does it grow with the number of articles?

Prints, warm (models loaded, one run discarded) and on one core (torch and
spaCy single-threaded): the time to compare 5 articles of about 800 words,
then the curve for 5, 20 and 100 articles with the number of claims, the time
per claim and the time divided by n·log2(n) claims, so growth beyond n log n
shows as a rising last column. Articles: OntoGUM documents cut to ~800 words
(real prose; not one story, which only makes alignment find fewer matches).
The last lines split the 5-article case into the spaCy parse and the claim
embeddings, in batches of ``--batch``, and set the embedding against a floor:
the floating-point work the encoder must do for those claims (counted from
their word pieces and the model's shape) divided by the fastest one-core
matrix product torch runs on this machine.

    .venv/bin/python benchmarks/bench_compare.py [--sizes 5 20 100] [--batch 8]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from storylens.align import embed
from storylens.align.claims import extract_claims
from storylens.align.compare import Comparer
from storylens.align.embed import Embedder
from storylens.clean import clean_text
from storylens.model import Article

from corpus import ontogum_texts

WORDS = 800


def articles(n: int) -> list[Article]:
    docs = ontogum_texts()
    out = []
    for i in range(n):
        doc_id, text = docs[i % len(docs)]
        words = text.split(" ")
        text = " ".join(words[:WORDS])
        if i >= len(docs):
            text = f"Copy {i // len(docs)}. {text}"
        out.append(Article(id=f"{doc_id}-{i}", raw=text, text=clean_text(text).text, outlet=f"outlet{i}"))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[5, 20, 100])
    ap.add_argument("--batch", type=int, default=embed.BATCH, help="sentences per embedding batch")
    args = ap.parse_args()
    embed.BATCH = args.batch
    t = time.perf_counter()
    comparer = Comparer(embedder=Embedder(threads=1))
    print(f"models loaded in {time.perf_counter() - t:.1f} s (one core)")
    comparer.compare(articles(5))  # warm-up
    print(f"{'articles':>8} {'words':>7} {'claims':>7} {'seconds':>8} {'ms/claim':>9} {'us/(n log n)':>13}")
    for n in args.sizes:
        batch = articles(n)
        t = time.perf_counter()
        result = comparer.compare(batch)
        s = time.perf_counter() - t
        claims = sum(len(g.claims) for g in result.claims)
        words = sum(len(a.text.split()) for a in batch)
        nlogn = claims * math.log2(max(claims, 2))
        print(f"{n:>8} {words:>7} {claims:>7} {s:>8.2f} {1000 * s / claims:>9.2f} {1e6 * s / nlogn:>13.1f}")
    stages(comparer, articles(5), args.batch)


def stages(comparer: Comparer, batch: list[Article], batch_size: int) -> None:
    """Where the time of the 5-article comparison goes: the parse and the claim embeddings."""
    t = time.perf_counter()
    docs = list(comparer.resolver.nlp.pipe([a.text for a in batch], batch_size=8))
    parse = time.perf_counter() - t
    claims = [
        c for a, d in zip(batch, docs, strict=True) for c in extract_claims(comparer.resolver.resolve_doc(a, d), d)
    ]
    texts = [c.resolved for c in claims]
    t = time.perf_counter()
    comparer.embedder.encode(texts)
    embedding = time.perf_counter() - t
    print(
        f"5 articles: spaCy parse {parse:.2f} s, "
        f"embedding {len(claims)} claims {embedding:.2f} s (batches of {batch_size})"
    )
    flops = encoder_flops(comparer.embedder, list(dict.fromkeys(texts)))
    rate = gemm_rate()
    floor = flops / rate
    print(
        f"embedding floor: {flops / 1e9:.1f} GFLOP at {rate / 1e9:.1f} GFLOP/s (one-core fp32 matrix product) "
        f"= {floor:.2f} s; measured {embedding:.2f} s ({floor / embedding:.0%} of peak); "
        f"parse + floor = {parse + floor:.2f} s"
    )


def encoder_flops(embedder: Embedder, texts: list[str]) -> float:
    """Multiply-adds x 2 of the transformer layers over each text's word pieces
    (padding not counted): the linear layers, then attention scores and mixing."""
    model = embedder.model
    config = model[0].auto_model.config
    h, inner, layers = config.hidden_size, config.intermediate_size, config.num_hidden_layers
    lengths = [len(ids) for ids in model.tokenizer(texts)["input_ids"]]
    linear = 2 * (4 * h * h + 2 * h * inner)
    return layers * sum(n * linear + 4 * n * n * h for n in lengths)


def gemm_rate() -> float:
    """The best FLOP/s of one-core fp32 matrix products shaped like the encoder's."""
    import torch

    best = 0.0
    for m, k, n in ((256, 384, 1536), (256, 1536, 384), (2048, 2048, 2048)):
        a, b = torch.randn(m, k), torch.randn(k, n)
        a @ b
        reps = max(3, int(5e9 / (2 * m * k * n)))
        t = time.perf_counter()
        for _ in range(reps):
            a @ b
        best = max(best, 2 * m * k * n * reps / (time.perf_counter() - t))
    return best


if __name__ == "__main__":
    main()
