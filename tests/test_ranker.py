"""The learned pronoun ranker: its training objective and its file format."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from storylens.coref.pronouns import FEATURES, MODEL_FILE, hand_scorer
from storylens.coref.ranker import LinearRanker, default_model_path
from storylens.coref.training import Example, fit, loss_and_grad


def test_gradient_matches_finite_differences() -> None:
    rng = np.random.default_rng(0)
    d = len(FEATURES)
    examples = [
        Example(rng.normal(size=(3, d)), np.array([1.0, 0.0, 0.0]), False),
        Example(rng.normal(size=(2, d)), np.array([0.0, 0.0]), True),
        Example(rng.normal(size=(4, d)), np.array([0.0, 1.0, 1.0, 0.0]), False),
    ]
    w = rng.normal(size=d) * 0.1
    _, grad = loss_and_grad(w, examples, l2=0.01)
    eps = 1e-6
    for i in range(0, d, 7):
        step = np.zeros(d)
        step[i] = eps
        numeric = (loss_and_grad(w + step, examples, 0.01)[0] - loss_and_grad(w - step, examples, 0.01)[0]) / (2 * eps)
        assert abs(numeric - grad[i]) < 1e-5


def test_fit_learns_to_prefer_the_gold_candidate() -> None:
    d = len(FEATURES)
    subject = FEATURES.index("cand_nsubj")
    examples = []
    for _ in range(30):
        x = np.zeros((2, d))
        x[:, FEATURES.index("bias")] = 1.0
        x[0, subject] = 1.0
        examples.append(Example(x, np.array([1.0, 0.0]), False))
    ranker = fit(examples, 0.001, FEATURES)
    assert ranker.weights["cand_nsubj"] > 1.0


def test_round_trip(tmp_path: Path) -> None:
    ranker = LinearRanker(
        {"bias": 0.5, "cand_nsubj": 2.0, "not_a_feature_any_more": 9.0}, meta={"l2": 0.1}, features=FEATURES
    )
    path = tmp_path / "r.json"
    ranker.save(path)
    loaded = LinearRanker.load(path, FEATURES)
    assert loaded is not None and loaded.meta["l2"] == 0.1
    row = [0.0] * len(FEATURES)
    row[FEATURES.index("bias")] = 1.0
    row[FEATURES.index("cand_nsubj")] = 1.0
    assert loaded([row]) == [2.5]
    assert LinearRanker.load(tmp_path / "missing.json", FEATURES) is None


def test_shipped_model_covers_the_features() -> None:
    ranker = LinearRanker.load(default_model_path(MODEL_FILE), FEATURES)
    assert ranker is not None, "the trained ranker should ship with the package (make train-coref)"
    assert set(ranker.weights) == set(FEATURES)
    assert default_model_path(MODEL_FILE).stat().st_size < 64_000


def test_hand_scorer_prefers_a_recent_subject() -> None:
    near, far = [0.0] * len(FEATURES), [0.0] * len(FEATURES)
    for row in (near, far):
        row[FEATURES.index("bias")] = 1.0
        row[FEATURES.index("cand_nsubj")] = 1.0
    far[FEATURES.index("sent_dist")] = 3.0
    assert hand_scorer([near])[0] > hand_scorer([far])[0]
