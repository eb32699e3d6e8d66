"""Compare a stored story from its stored spaCy parses against parsing it again.

Ingests the four seed articles into a temporary store, places them in a story,
then compares that story warm, alternating with and without the stored parses,
best of ``--repeat`` each, in one process. Also times storing a parse
(``nlp.docs.doc_to_bytes``) per article, against spaCy's ``Doc.to_bytes`` with the
coreference span groups kept, and prints the stored size per 300 words.

    .venv/bin/python benchmarks/bench_stored_compare.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
FILES = ("000_22b479502551e41f", "002_5cef337bd50d8477", "003_5822e0c420de686d", "004_4b51eeb0038c61dd")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from storylens.align.compare import Comparer
    from storylens.store.db import Store
    from storylens.store.ingest import ingest
    from storylens.stories.assign import assign_stories

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        for name in FILES:
            shutil.copy(SEEDS / f"{name}.txt", folder / f"{name}.txt")
        store = Store(Path(tmp) / "s.duckdb")
        ingest([folder], store)
        assign_stories(store)
        (story,) = {s for (s,) in store.con.execute("SELECT DISTINCT story FROM stories").fetchall()}
        articles = store.story_articles(f"s{story}")
        parses = store.parses(a.id for a in articles)
        store.close()
    comparer = Comparer()
    comparer.compare(articles)
    best = {"parsed again": float("inf"), "stored parse": float("inf")}
    for _ in range(args.repeat):
        for name, given in (("parsed again", None), ("stored parse", parses)):
            t = time.perf_counter()
            comparer.compare(articles, parses=given)
            best[name] = min(best[name], time.perf_counter() - t)
    words = sum(len(a.text.split()) for a in articles)
    from storylens.nlp.docs import doc_to_bytes

    docs = [p.doc for p in comparer.resolver.parse(articles)]  # resolved: span groups set
    timed = {}
    for name, dump in (
        ("doc_to_bytes", doc_to_bytes),
        ("with span groups", lambda d: d.to_bytes(exclude=["user_data", "tensor"])),
    ):
        t = time.perf_counter()
        for _ in range(10):
            for d in docs:
                dump(d)
        timed[name] = (time.perf_counter() - t) / (10 * len(docs)) * 1000
    print(
        f"storing a parse: {timed['doc_to_bytes']:.1f} ms an article, against {timed['with span groups']:.1f} ms "
        f"with the span groups kept; {sum(map(len, parses.values())) / words * 300:,.0f} bytes per 300 words"
    )
    print(
        f"{len(articles)} seed articles ({words} words), warm, best of {args.repeat}: "
        f"parsed again {best['parsed again']:.2f} s, stored parse {best['stored parse']:.2f} s "
        f"({best['parsed again'] / best['stored parse']:.2f}x); stored parses {sum(map(len, parses.values())):,} bytes"
    )


if __name__ == "__main__":
    main()
