"""Facts: a story's statements clustered by the event they report.

Every statement of every article takes part (an article may state a fact in its
headline, its lead and its body: all join one fact). Pairs are scored by the
fact-pair model (``fact_pairs.py``) and joined by average linkage, so a fact
holds statements that agree with one another on the whole, not a chain of
look-alikes. A statement that is mostly a direct quotation helps join and
supports verdicts, but a fact needs at least one statement in the writer's
voice to be listed.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from storylens.align.claims import ClaimGroup, candidate_pairs
from storylens.align.fact_pairs import FactModel, Statements, feature_rows, set_judged, tfidf_matrix
from storylens.align.same_claim import Judge, Pair, judge_pairs
from storylens.align.settings import ClaimSettings
from storylens.model import Claim

Encoder = Callable[[list[str]], tuple[np.ndarray, list[np.ndarray]]]


@dataclass(slots=True)
class FactGraph:
    """Every scored pair of statements (indices into ``claims``) and its probability."""

    claims: list[Claim]
    probs: dict[tuple[int, int], float]
    # The scored pairs' feature rows (``fact_pairs.FEATURES``), kept for refitting (scripts/train_facts.py).
    rows: np.ndarray | None = None
    # Built on first use: verdicts, labels and the invariant check all read them.
    _neighbours: list[dict[int, float]] | None = field(default=None, init=False, repr=False)
    _position: dict[int, int] | None = field(default=None, init=False, repr=False)

    def linked(self, threshold: float) -> set[tuple[int, int]]:
        """The pairs scored at ``threshold`` or above."""
        return {pair for pair, p in self.probs.items() if p >= threshold}

    def neighbours(self) -> list[dict[int, float]]:
        """Per statement, the probability of each statement it was scored with."""
        if self._neighbours is None:
            out: list[dict[int, float]] = [{} for _ in self.claims]
            for (i, j), p in self.probs.items():
                out[i][j] = p
                out[j][i] = p
            self._neighbours = out
        return self._neighbours

    def position(self, claim: Claim) -> int:
        """The index of ``claim`` (this very object) in ``claims``."""
        if self._position is None:
            self._position = {id(c): k for k, c in enumerate(self.claims)}
        return self._position[id(claim)]


def statements(claims: Sequence[Claim], vectors: np.ndarray, encode: Encoder) -> tuple[Statements, dict]:
    """The pair model's inputs, and the main events' lemma vectors (embedded alone, once each)."""
    verbs = [c.verb for c in claims]
    lemmas = sorted({v for v in verbs if v})
    verb_vectors = dict(zip(lemmas, encode(lemmas)[0], strict=True)) if lemmas else {}
    st = Statements(
        texts=[c.resolved or c.text for c in claims],
        articles=[c.article_id for c in claims],
        vectors=vectors,
        verbs=verbs,
        args=[frozenset(c.args) for c in claims],
        negated=[c.negated for c in claims],
    )
    return st, verb_vectors


def candidates(st: Statements, tfidf, model: FactModel, settings: ClaimSettings) -> list[tuple[int, int]]:
    """Pairs close in meaning or in words; every other pair's probability is taken as 0."""
    found = set(candidate_pairs(st.vectors, model.candidate_cosine, settings))
    product = (tfidf @ tfidf.T).tocoo()
    keep = product.data >= model.candidate_tfidf
    found.update((int(i), int(j)) for i, j in zip(product.row[keep], product.col[keep], strict=True) if i < j)
    return sorted(found)


def score_pairs(
    claims: list[Claim],
    vectors: np.ndarray,
    tokens: list[np.ndarray] | None,
    judge: Judge,
    model: FactModel,
    encode: Encoder,
    settings: ClaimSettings,
) -> FactGraph:
    st, verb_vectors = statements(claims, vectors, encode)
    tfidf = tfidf_matrix(st.texts)
    pairs = candidates(st, tfidf, model, settings)
    # The judge (a cross-encoder: most of compare's time) runs only on pairs its
    # probability could lift to the lowest threshold a decision uses.
    rows = feature_rows(st, pairs, tfidf, verb_vectors, {})
    ceiling = model.probabilities(rows, judge_ceiling=True)
    floor = min(model.merge, model.reports, model.partial, model.absent)
    to_judge = [
        (i, j)
        for (i, j), top in zip(pairs, ceiling, strict=True)
        if top >= floor and float(vectors[i] @ vectors[j]) >= settings.prefilter_cosine
    ]
    probs = judge_pairs(
        judge,
        [
            Pair(
                st.texts[i],
                st.texts[j],
                float(vectors[i] @ vectors[j]),
                tokens[i] if tokens else None,
                tokens[j] if tokens else None,
            )
            for i, j in to_judge
        ],
        settings.prefilter_cosine,
    )
    set_judged(rows, pairs, {pair: float(p) for pair, p in zip(to_judge, probs, strict=True)})
    scores = model.probabilities(rows)
    return FactGraph(claims, {pair: float(p) for pair, p in zip(pairs, scores, strict=True)}, rows)


def average_linkage(n: int, probs: dict[tuple[int, int], float], threshold: float) -> list[list[int]]:
    """Groups of 0..n-1 joined while the mean probability between two groups
    (unscored pairs count 0) reaches ``threshold``; the closest pair of groups first."""
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    sums: dict[int, dict[int, float]] = {i: {} for i in range(n)}
    for (i, j), p in probs.items():
        if i != j and p > 0:
            sums[i][j] = sums[i].get(j, 0.0) + p
            sums[j][i] = sums[j].get(i, 0.0) + p
    heap = [(-p, i, j) for (i, j), p in probs.items() if i != j and p >= threshold]
    heapq.heapify(heap)
    version = dict.fromkeys(range(n), 0)
    # A heap entry is current while both groups are at the versions it was pushed at (0, 0 for the first ones).
    stamps: dict[tuple[int, int], tuple[int, int]] = {}
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in members or b not in members:
            continue
        if stamps.get((a, b), (0, 0)) != (version[a], version[b]):
            continue
        mean = sums[a].get(b, 0.0) / (len(members[a]) * len(members[b]))
        if abs(mean + neg) > 1e-12 or mean < threshold:
            continue
        if len(members[a]) < len(members[b]):
            a, b = b, a
        members[a].extend(members.pop(b))
        for k, s in sums.pop(b).items():
            if k == a:
                continue
            sums[a][k] = sums[a].get(k, 0.0) + s
            sums[k][a] = sums[k].get(a, 0.0) + s
            sums[k].pop(b, None)
        sums[a].pop(b, None)
        version[a] += 1
        for k, s in sums[a].items():
            mean = s / (len(members[a]) * len(members[k]))
            if mean >= threshold:
                x, y = (a, k) if a < k else (k, a)
                stamps[(x, y)] = (version[x], version[y])
                heapq.heappush(heap, (-mean, x, y))
    return [sorted(m) for m in members.values()]


def build_facts(graph: FactGraph, model: FactModel) -> tuple[list[ClaimGroup], dict[int, ClaimGroup]]:
    """The facts, most-reported first (then by where they first appear), each
    with one statement in the writer's voice at least; and the group of every
    statement by ``id``, quotation-only groups included, which partial support
    is linked through."""
    claims = graph.claims
    groups, group_of = [], {}
    for ks in average_linkage(len(claims), graph.probs, model.merge):
        group = ClaimGroup("", [claims[k] for k in ks])
        group_of.update((id(claims[k]), group) for k in ks)
        if not all(claims[k].quoted for k in ks):
            groups.append(group)
    groups.sort(key=lambda g: (-len(g.articles), min((c.article_id, c.start) for c in g.claims)))
    for n, g in enumerate(groups):
        g.id = f"c{n}"
    return groups, group_of
