"""Do two statements report the same event? The probability compare groups facts by.

A logistic model over features of a pair of statements, fitted on ECB+ train
(``scripts/train_facts.py``: a pair is positive when the main events of the two
sentences share a gold cross-document event chain). The weights and the
thresholds chosen with them are data (``align/models/fact_pairs.json``).

The features say what the MRPC-trained same-claim judge cannot: two sentences
about one case (`charged`, `pleaded not guilty`, `convicted`) share nearly all
their words, yet report different events; the main event's word and its
arguments tell them apart.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import numpy as np

from storylens.align.same_claim import names_in

MODEL_FILE = "fact_pairs.json"

FEATURES: tuple[str, ...] = (
    "bias",
    # The two sentence vectors' cosine (the shipped encoder), and TF-IDF cosine over the story's statements.
    "cosine",
    "tfidf",
    # The main event: the same lemma, and the cosine of the two lemmas embedded alone.
    "verb_same",
    "verb_cosine",
    # Heads of the main event's subject, objects and prepositional objects.
    "args_jaccard",
    "names_jaccard",
    "numbers_differ",
    "negation_differs",
    # The MRPC-trained same-claim probability, for pairs whose cosine reaches its prefilter.
    "judge",
    "judged",
    "same_article",
    # Both statements open their articles (among the first two): outlets lead with the story's main event.
    "both_lead",
)

# Statements at these positions of their article (0 = first) count as its lead.
LEAD_STATEMENTS = 2

_NUMBER = re.compile(r"\d[\d,.]*\d|\d")


@dataclass(slots=True)
class Statements:
    """What the pair features read, one entry per statement."""

    texts: list[str]
    articles: list[str]
    vectors: np.ndarray  # L2-normalised sentence vectors
    verbs: list[str]  # the main event's lemma ("" when unknown)
    args: list[frozenset[str]]
    negated: list[bool]
    names: list[frozenset[str]] = field(default_factory=list)
    numbers: list[frozenset[str]] = field(default_factory=list)
    # Position among its article's statements (0 = first); taken from the order given when empty.
    ranks: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.ranks:
            seen: dict[str, int] = {}
            for a in self.articles:
                self.ranks.append(seen.get(a, 0))
                seen[a] = seen.get(a, 0) + 1
        if not self.names:
            self.names = [frozenset(names_in(t)) for t in self.texts]
        if not self.numbers:
            self.numbers = [frozenset(_NUMBER.findall(t)) for t in self.texts]


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def tfidf_matrix(texts: Sequence[str]):
    """Row-normalised TF-IDF of the statements (IDF from these statements: one story)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    try:
        return TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    except ValueError:  # only stop words
        from scipy.sparse import csr_matrix

        return csr_matrix((len(texts), 1))


def feature_rows(
    st: Statements,
    pairs: Sequence[tuple[int, int]],
    tfidf,
    verb_vectors: dict[str, np.ndarray],
    judged: dict[tuple[int, int], float],
) -> np.ndarray:
    """One row of ``FEATURES`` per pair; ``judged`` holds the judge's probability of the pairs it scored."""
    rows = np.zeros((len(pairs), len(FEATURES)), dtype=np.float64)
    if not pairs:
        return rows
    a = np.array([i for i, _ in pairs])
    b = np.array([j for _, j in pairs])
    rows[:, 0] = 1.0
    rows[:, 1] = np.einsum("ij,ij->i", st.vectors[a], st.vectors[b])
    rows[:, 2] = np.asarray(tfidf[a].multiply(tfidf[b]).sum(axis=1)).ravel()
    for k, (i, j) in enumerate(pairs):
        vi, vj = st.verbs[i], st.verbs[j]
        if vi and vj:
            rows[k, 3] = float(vi == vj)
            rows[k, 4] = float(verb_vectors[vi] @ verb_vectors[vj])
        rows[k, 5] = _jaccard(st.args[i], st.args[j])
        rows[k, 6] = _jaccard(st.names[i], st.names[j])
        rows[k, 7] = float(bool(st.numbers[i]) and bool(st.numbers[j]) and not st.numbers[i] & st.numbers[j])
        rows[k, 8] = float(st.negated[i] != st.negated[j])
        rows[k, 11] = float(st.articles[i] == st.articles[j])
        rows[k, 12] = float(st.ranks[i] < LEAD_STATEMENTS and st.ranks[j] < LEAD_STATEMENTS)
    set_judged(rows, pairs, judged)
    return rows


def set_judged(rows: np.ndarray, pairs: Sequence[tuple[int, int]], judged: dict[tuple[int, int], float]) -> None:
    """Write the judge's probability into the rows of the pairs it scored."""
    if not judged:
        return
    judge, flag = FEATURES.index("judge"), FEATURES.index("judged")
    for k, pair in enumerate(pairs):
        if pair in judged:
            rows[k, judge] = judged[pair]
            rows[k, flag] = 1.0


def default_model_path() -> Path:
    return Path(str(files("storylens.align") / "models" / MODEL_FILE))


@dataclass(frozen=True, slots=True)
class FactModel:
    """Weights over ``FEATURES`` and the thresholds chosen with them on ECB+ train
    (``merge``: average-linkage threshold of fact clustering; ``reports`` and
    ``partial``: an article's best statement against a fact) and on ECB+ dev
    (``absent``: below it, an article "does not report" a fact)."""

    weights: tuple[float, ...]
    merge: float
    reports: float
    partial: float
    absent: float
    # Pairs below both floors are never scored: their probability is taken as 0.
    candidate_cosine: float = 0.45
    candidate_tfidf: float = 0.12
    meta: dict = field(default_factory=dict, compare=False)

    def probabilities(self, rows: np.ndarray, judge_ceiling: bool = False) -> np.ndarray:
        """The pairs' probabilities; with ``judge_ceiling``, the highest each could
        reach once judged (rows with the judge's features still unset)."""
        if not len(rows):
            return np.zeros(0)
        weights = np.asarray(self.weights)
        z = rows @ weights
        if judge_ceiling:
            judge, judged = FEATURES.index("judge"), FEATURES.index("judged")
            z = z + max(weights[judge], 0.0) + max(weights[judged], 0.0)
        return 1.0 / (1.0 + np.exp(-z))

    @classmethod
    def load(cls, path: Path | None = None) -> FactModel:
        path = path or default_model_path()
        meta = json.loads(path.read_text(encoding="utf-8"))
        if tuple(meta["features"]) != FEATURES:
            raise ValueError(f"{path} was fitted on other features; rerun scripts/train_facts.py")
        t = meta["thresholds"]
        return cls(
            tuple(float(w) for w in meta["weights"]),
            float(t["merge"]),
            float(t["reports"]),
            float(t["partial"]),
            float(t["absent"]),
            float(meta.get("candidate_cosine", 0.45)),
            float(meta.get("candidate_tfidf", 0.12)),
            meta,
        )

    def to_json(self, **extra) -> str:
        return json.dumps(
            {
                "features": list(FEATURES),
                "weights": [round(w, 5) for w in self.weights],
                "thresholds": {
                    "merge": self.merge,
                    "reports": self.reports,
                    "partial": self.partial,
                    "absent": self.absent,
                },
                "candidate_cosine": self.candidate_cosine,
                "candidate_tfidf": self.candidate_tfidf,
                **extra,
            },
            indent=2,
        )


# Weights a reader would set before any fitting, used when the model file is missing.
HAND = FactModel(
    weights=(-6.0, 3.0, 4.0, 1.5, 1.0, 1.0, 1.0, -1.0, -0.5, 2.0, 0.0, -0.5, 1.0),
    merge=0.5,
    reports=0.5,
    partial=0.3,
    absent=0.3,
)


def load_fact_model() -> FactModel:
    try:
        return FactModel.load()
    except (OSError, ValueError, KeyError):
        import warnings

        warnings.warn("fact-pair model missing or stale: hand weights used", stacklevel=2)
        return HAND


def logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))
