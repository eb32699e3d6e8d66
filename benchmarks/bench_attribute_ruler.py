"""The attribute ruler: spaCy's token-by-token Matcher against storylens's
column-wise match (``nlp/attribute_rules.py``), in one run.

Texts: the 5 bench_compare articles (OntoGUM documents cut to ~800 words) and
the first 200 ECB+ articles. Each text is parsed once without the ruler (and
the lemmatizer and NER after it); then both rulers' ``match`` run on the same
parses, best of ``--repeat``, and the matches are compared. Also printed: the
whole parse of the 5 articles with each pipeline (``nlp.pipe``, best of
``--repeat``).

    .venv/bin/python benchmarks/bench_attribute_ruler.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
ECB = HERE.parent.parent / "shared" / "benchmarks" / "ecbplus" / "articles.jsonl"


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    import spacy

    from bench_compare import articles
    from storylens.nlp.pipeline import DEFAULT_MODEL, fresh_pipeline

    stock = spacy.load(DEFAULT_MODEL)
    ours = fresh_pipeline()
    spacy_ruler, array_ruler = stock.get_pipe("attribute_ruler"), ours.get_pipe("attribute_ruler")
    five = [a.text for a in articles(5)]
    with ECB.open(encoding="utf-8") as f:
        ecb = [json.loads(line)["text"] for _, line in zip(range(200), f, strict=False)]
    print(
        f"{len(spacy_ruler.patterns)} patterns; {type(array_ruler).__name__} leaves "
        f"{len(array_ruler._rest)} to a Matcher"
    )
    print(f"{'texts':>22} {'tokens':>7} {'Matcher s':>10} {'arrays s':>9} {'ratio':>6}  same matches")
    for name, texts in (("5 bench_compare", five), ("200 ECB+", ecb)):
        with stock.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
            docs = list(stock.pipe(texts))
        slow = best(lambda docs=docs: [spacy_ruler.match(d) for d in docs], args.repeat)
        fast = best(lambda docs=docs: [array_ruler.match(d) for d in docs], args.repeat)
        same = all(sorted(set(spacy_ruler.match(d))) == array_ruler.match(d) for d in docs)
        tokens = sum(len(d) for d in docs)
        print(f"{name:>22} {tokens:7d} {slow:10.3f} {fast:9.3f} {fast / slow:6.2f}  {same}")
    whole_stock = best(lambda: list(stock.pipe(five)), args.repeat)
    whole_ours = best(lambda: list(ours.pipe(five)), args.repeat)
    print(
        f"whole parse of the 5 articles: spaCy's pipeline {whole_stock:.3f} s, storylens's {whole_ours:.3f} s "
        f"({whole_ours / whole_stock:.2f}x)"
    )


if __name__ == "__main__":
    main()
