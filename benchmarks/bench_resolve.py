"""How fast is resolve, and what does coreference add to a bare spaCy parse?

Prints articles/second, words/second, peak memory, and the ratio of
(parse + coreference + rendering) to the parse alone, on the same texts in the
same run. Texts: the four seed articles and OntoGUM documents (real prose,
108 documents), cleaned first.

    .venv/bin/python benchmarks/bench_resolve.py [--limit N] [--workers N]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from storylens.clean import clean_text, load_article
from storylens.clean.sources import collect
from storylens.coref.resolver import Resolver
from storylens.engine.local import resolve_articles
from storylens.model import Article

from corpus import ontogum_texts, seed_paths


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=0, help="use only the first N OntoGUM documents")
    ap.add_argument("--repeat", type=int, default=3, help="timed repetitions; the best is reported")
    ap.add_argument("--workers", type=int, default=0, help="also time `resolve --workers N` on the files")
    args = ap.parse_args()

    articles = [load_article(p) for p in seed_paths()]
    docs = ontogum_texts()
    if args.limit:
        docs = docs[: args.limit]
    for doc_id, text in docs:
        articles.append(Article(id=doc_id, raw=text, text=clean_text(text).text))
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)

    t0 = time.perf_counter()
    resolver = Resolver()
    load_s = time.perf_counter() - t0
    nlp = resolver.nlp
    list(nlp.pipe(texts[:4]))  # warm up

    parse_s, coref_s = float("inf"), float("inf")
    for _ in range(args.repeat):
        t = time.perf_counter()
        parsed = list(nlp.pipe(texts, batch_size=16))
        parse_s = min(parse_s, time.perf_counter() - t)
        t = time.perf_counter()
        for article, doc in zip(articles, parsed, strict=True):
            resolver.resolve_doc(article, doc)
        coref_s = min(coref_s, time.perf_counter() - t)
    t = time.perf_counter()
    n = sum(1 for _ in resolver.resolve_many(articles, batch_size=16))
    e2e_s = time.perf_counter() - t

    print(f"articles: {len(articles)}  words: {words}  pipeline load: {load_s:.2f} s")
    rate = f"{len(texts) / parse_s:7.1f} articles/s  {words / parse_s:8.0f} words/s"
    print(f"bare spaCy parse (nlp.pipe):        {parse_s:7.2f} s  {rate}")
    print(f"coreference + rendering only:       {coref_s:7.2f} s")
    print(
        f"resolve end to end (resolve_many):  {e2e_s:7.2f} s  {n / e2e_s:7.1f} articles/s  {words / e2e_s:8.0f} words/s"
    )
    print(f"overhead of coreference on parse:   {100 * coref_s / parse_s:6.1f} %   (budget 25 %)")
    print(f"ratio resolve / parse:              {(parse_s + coref_s) / parse_s:6.3f}")
    print(f"peak memory (max RSS):              {peak_mb():6.0f} MB")

    if args.workers:
        folder = Path(tempfile.mkdtemp(prefix="storylens-bench-"))
        for doc_id, text in docs:
            (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        articles = collect([folder]).articles
        for w in (1, args.workers):
            t = time.perf_counter()
            done = sum(1 for o in resolve_articles(articles, workers=w, batch_size=8) if o.resolution)
            s = time.perf_counter() - t
            print(
                f"resolve_articles workers={w}: {done} files in {s:.2f} s ({done / s:.1f} files/s, "
                "incl. pipeline loads)"
            )


if __name__ == "__main__":
    main()
