"""Fit the fact-pair model (align/fact_pairs.py) on ECB+ train.

    .venv/bin/python scripts/train_facts.py [--out PATH]

`compare` runs on each ECB+ train story exactly as a user would run it, so the
model is fitted on the statements, candidate pairs and features it will meet
(coreference-resolved clauses of every sentence, not just the annotated
ones). A scored pair is an item when both statements lie in sentences with
gold event mentions (the sentences ``benchmarks/fact_eval.py`` scores),
positive when their main events share a gold cross-document event chain;
other pairs are unknown and left out. Logistic regression (scikit-learn);
then the average-linkage threshold with the best pairwise F1 on train,
measured as fact_eval measures it. Dev is never read.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from fact_eval import Sentence, _spans_in, fact_sets, gold_sentences, load, pairs_of, prf, storylens_facts
from storylens.align.compare import Comparer
from storylens.align.fact_pairs import FEATURES, HAND, FactModel, default_model_path
from storylens.align.facts import build_facts
from storylens.nlp.pipeline import load_pipeline


def labelled_pairs(sentences: list[Sentence], comparisons: dict) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows and gold labels of the scored pairs whose statements both lie in annotated sentences."""
    by_article: dict[str, list[Sentence]] = {}
    for s in sentences:
        by_article.setdefault(s.article, []).append(s)
    rows, gold = [], []
    for cmp in comparisons.values():
        if cmp is None or cmp.graph.rows is None:
            continue
        events = []
        for c in cmp.graph.claims:
            found = [s for s in by_article.get(c.article_id, ()) if _spans_in(s, [(c.start, c.end)])]
            events.append(found[0].events if found else None)
        for n, (i, j) in enumerate(cmp.graph.probs):
            if events[i] is not None and events[j] is not None:
                rows.append(cmp.graph.rows[n])
                gold.append(bool(events[i] & events[j]))
    return np.array(rows), np.array(gold, dtype=bool)


def refit(comparisons: dict, model: FactModel) -> dict:
    """The comparisons' facts again, with ``model``'s weights and merge threshold."""
    out = {}
    for story, cmp in comparisons.items():
        if cmp is None:
            out[story] = None
            continue
        graph = replace(cmp.graph, probs=dict(zip(cmp.graph.probs, model.probabilities(cmp.graph.rows), strict=True)))
        facts, _ = build_facts(graph, model)
        out[story] = type("Facts", (), {"claims": facts})()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=default_model_path())
    ap.add_argument("--C", type=float, default=1.0)
    args = ap.parse_args()
    from sklearn.linear_model import LogisticRegression

    t0 = time.perf_counter()
    nlp = load_pipeline()
    articles, mentions = load("train")
    sentences = gold_sentences(articles, mentions, nlp)
    pairs = pairs_of(sentences)
    gold_pairs = np.array([bool(sentences[i].events & sentences[j].events) for i, j in pairs])
    # Features do not depend on the weights: any model gives the same rows.
    comparisons = storylens_facts(articles, Comparer(fact_model=HAND))
    rows, gold = labelled_pairs(sentences, comparisons)
    print(
        f"train: {len(sentences)} annotated sentences; {len(rows)} scored statement pairs labelled, "
        f"{gold.sum()} same event"
    )
    lr = LogisticRegression(C=args.C, fit_intercept=False, max_iter=5000).fit(rows, gold)
    weights = tuple(float(w) for w in lr.coef_[0])
    for name, w in zip(FEATURES, weights, strict=True):
        print(f"  {name:18s} {w:+.3f}")
    best = (-1.0, 0.5)
    for t in np.arange(0.1, 0.55, 0.05):
        model = FactModel(weights, merge=round(float(t), 2), reports=0.5, partial=0.25, absent=0.25)
        facts = fact_sets(sentences, refit(comparisons, model))
        f = prf(gold_pairs, np.array([bool(facts[i] & facts[j]) for i, j in pairs]))
        print(f"  merge {t:.2f}: train facts {f}", flush=True)
        if f["f1"] > best[0]:
            best = (f["f1"], round(float(t), 2))
    merge = best[1]
    # A statement in another row still reports the fact at the merge threshold;
    # "does not report" is chosen on dev (benchmarks/fact_eval.py --choose-absent).
    model = FactModel(weights, merge=merge, reports=merge, partial=round(merge / 2, 3), absent=round(merge / 2, 3))
    args.out.write_text(
        model.to_json(
            fitted_on="ECB+ train, statements as compare makes them (scripts/train_facts.py)", train_facts_f1=best[0]
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"saved {args.out}: merge {merge} (train facts F1 {best[0]}); {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
