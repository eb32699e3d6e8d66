"""Fit the fact-pair model (align/fact_pairs.py) on ECB+ train.

    .venv/bin/python scripts/train_facts.py [--out PATH] [--dev]

Items are pairs of annotated sentences of one ECB+ train story (the sentences
``benchmarks/fact_eval.py`` scores), positive when their main events share a
gold cross-document event chain. Each sentence is parsed alone; its main
event, arguments and negation are read as compare reads a claim's, and it is
embedded by compare's encoder. Only the pairs compare would score (its
candidate floors) are fitted on. Logistic regression (scikit-learn); then the
average-linkage threshold that gives the best pairwise F1 over train stories,
clustering every annotated sentence of each story. ``--dev`` also prints the
same clustering on dev, to choose with; dev is never fitted on.

A variant fitted on compare's own statements of the train stories (every
clause, coreference-resolved) scored lower on dev (44.8 at its train-chosen
threshold against 48.1), so the shipped model is this one.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from fact_eval import gold_sentences, load, prf
from storylens.align.claims import _main_verb, event_args
from storylens.align.embed import Embedder
from storylens.align.fact_pairs import FEATURES, FactModel, Statements, default_model_path, feature_rows, tfidf_matrix
from storylens.align.facts import average_linkage
from storylens.align.same_claim import Pair, judge_pairs, load_judge
from storylens.align.settings import ClaimSettings
from storylens.nlp.pipeline import load_pipeline


def story_inputs(sentences, nlp, embedder, judge, settings, model):
    """Per story: its sentence indices, pairs, feature rows, gold labels and all positive cross-article pairs."""
    docs = list(nlp.pipe([s.text for s in sentences], batch_size=64))
    vectors, tokens = embedder.encode_with_tokens([s.text for s in sentences])
    verbs, args, negated = [], [], []
    for doc in docs:
        event = _main_verb(doc[:])  # as compare reads a claim's main verb
        verbs.append(event.lemma_.lower())
        args.append(frozenset(event_args(event)))
        negated.append(any(c.dep_ == "neg" for c in event.children))
    lemmas = sorted({v for v in verbs if v})
    verb_vectors = dict(zip(lemmas, embedder.encode(lemmas), strict=True))
    by_story = defaultdict(list)
    for i, s in enumerate(sentences):
        by_story[s.story].append(i)
    out = []
    for _, idx in sorted(by_story.items()):
        st = Statements(
            texts=[sentences[i].text for i in idx],
            articles=[sentences[i].article for i in idx],
            vectors=vectors[idx],
            verbs=[verbs[i] for i in idx],
            args=[args[i] for i in idx],
            negated=[negated[i] for i in idx],
        )
        tfidf = tfidf_matrix(st.texts)
        tf = (tfidf @ tfidf.T).toarray()
        cos = st.vectors @ st.vectors.T
        pairs = [
            (a, b)
            for a in range(len(idx))
            for b in range(a + 1, len(idx))
            if cos[a, b] >= model.candidate_cosine or tf[a, b] >= model.candidate_tfidf
        ]
        to_judge = [(a, b) for a, b in pairs if cos[a, b] >= settings.prefilter_cosine]
        probs = judge_pairs(
            judge,
            [Pair(st.texts[a], st.texts[b], float(cos[a, b]), tokens[idx[a]], tokens[idx[b]]) for a, b in to_judge],
            settings.prefilter_cosine,
        )
        judged = {p: float(x) for p, x in zip(to_judge, probs, strict=True)}
        rows = feature_rows(st, pairs, tfidf, verb_vectors, judged)
        gold = np.array([bool(sentences[idx[a]].events & sentences[idx[b]].events) for a, b in pairs], dtype=bool)
        all_gold = sum(
            bool(sentences[idx[a]].events & sentences[idx[b]].events)
            for a in range(len(idx))
            for b in range(a + 1, len(idx))
            if sentences[idx[a]].article != sentences[idx[b]].article
        )
        out.append((idx, pairs, rows, gold, all_gold))
    return out


def clustered_f1(sentences, stories, probs_of, threshold) -> dict:
    tp = fp = fn = 0
    for (idx, pairs, _, _, all_gold), probs in zip(stories, probs_of, strict=True):
        groups = average_linkage(len(idx), dict(zip(pairs, probs, strict=True)), threshold)
        group = {k: g for g, ks in enumerate(groups) for k in ks}
        cross = [
            (a, b)
            for a in range(len(idx))
            for b in range(a + 1, len(idx))
            if sentences[idx[a]].article != sentences[idx[b]].article and group[a] == group[b]
        ]
        predicted = sum(bool(sentences[idx[a]].events & sentences[idx[b]].events) for a, b in cross)
        tp += predicted
        fp += len(cross) - predicted
        fn += all_gold - predicted
    p = tp / max(tp + fp, 1)
    r = tp / max(tp + fn, 1)
    return {"p": round(100 * p, 1), "r": round(100 * r, 1), "f1": round(200 * p * r / max(p + r, 1e-9), 1)}


def probabilities(stories, weights) -> list[np.ndarray]:
    return [1 / (1 + np.exp(-(s[2] @ np.array(weights)))) if len(s[2]) else np.zeros(0) for s in stories]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=default_model_path())
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--dev", action="store_true", help="also print the clustered F1 of ECB+ dev (to choose with)")
    args = ap.parse_args()
    from sklearn.linear_model import LogisticRegression

    t0 = time.perf_counter()
    nlp, embedder, judge, settings = load_pipeline(), Embedder(), load_judge(), ClaimSettings()
    articles, mentions = load("train")
    sentences = gold_sentences(articles, mentions, nlp)
    floors = FactModel((0.0,) * len(FEATURES), 0.5, 0.5, 0.3, 0.3)
    stories = story_inputs(sentences, nlp, embedder, judge, settings, floors)
    rows = np.concatenate([s[2] for s in stories])
    gold = np.concatenate([s[3] for s in stories])
    print(f"train: {len(sentences)} sentences, {len(rows)} candidate pairs, {int(gold.sum())} positive")
    lr = LogisticRegression(C=args.C, fit_intercept=False, max_iter=2000).fit(rows, gold)
    weights = tuple(float(w) for w in lr.coef_[0])
    for name, w in zip(FEATURES, weights, strict=True):
        print(f"  {name:18s} {w:+.3f}")
    probs_of = probabilities(stories, weights)
    print("train pairs, probability >= 0.5:", prf(gold, np.concatenate(probs_of) >= 0.5))
    best = (-1.0, 0.5)
    for t in np.arange(0.15, 0.8, 0.05):
        f = clustered_f1(sentences, stories, probs_of, float(t))
        print(f"  merge {t:.2f}: clustered train {f}")
        if f["f1"] > best[0]:
            best = (f["f1"], round(float(t), 2))
    merge = best[1]
    if args.dev:
        dev_articles, dev_mentions = load("dev")
        dev_sentences = gold_sentences(dev_articles, dev_mentions, nlp)
        dev_stories = story_inputs(dev_sentences, nlp, embedder, judge, settings, floors)
        dev_probs = probabilities(dev_stories, weights)
        for t in np.arange(0.1, 0.5, 0.05):
            print(f"  merge {t:.2f}: clustered dev {clustered_f1(dev_sentences, dev_stories, dev_probs, float(t))}")
    # A statement in another row still reports the fact at the merge threshold;
    # "does not report" is chosen on dev (benchmarks/fact_eval.py --choose-absent).
    model = FactModel(weights, merge=merge, reports=merge, partial=round(merge / 2, 3), absent=round(merge / 2, 3))
    args.out.write_text(
        model.to_json(
            fitted_on="ECB+ train (scripts/train_facts.py)",
            train_clustered_f1=best[0],
            encoder=embedder.name,
            judge=judge.name,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"saved {args.out}: merge {merge} (train clustered F1 {best[0]}); {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
