"""Fitting the antecedent rankers: the softmax mention-ranking objective with a
"no antecedent" option scored 0, and an L-BFGS fit. ``scripts/train_coref.py``
collects the examples and chooses settings on dev; this module is the maths.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from storylens.coref.ranker import LinearRanker


@dataclass(slots=True)
class Example:
    x: np.ndarray  # candidates x features
    gold: np.ndarray  # 1 where the candidate is a right antecedent
    null_gold: bool  # true when no candidate is right: leaving the mention alone is


def loss_and_grad(
    w: np.ndarray, examples: list[Example], l2: float, prior: np.ndarray | None = None
) -> tuple[float, np.ndarray]:
    """Mean negative log-likelihood plus l2 * |w - prior|^2 (the prior: hand weights)."""
    total, grad = 0.0, np.zeros_like(w)
    for ex in examples:
        s = ex.x @ w
        top = max(0.0, float(s.max()))
        e = np.exp(s - top)
        z = e.sum() + np.exp(-top)
        gold_e = e * ex.gold
        z_gold = gold_e.sum() + (np.exp(-top) if ex.null_gold else 0.0)
        total -= np.log(z_gold) - np.log(z)
        grad += ex.x.T @ (e / z - gold_e / z_gold)
    reg = w - (prior if prior is not None else 0.0)
    n = len(examples)
    return total / n + l2 * float(reg @ reg), grad / n + 2 * l2 * reg


def fit(examples: list[Example], l2: float, features: tuple[str, ...], prior: np.ndarray | None = None) -> LinearRanker:
    """Weights pulled towards ``prior`` (zero by default) where the data says little."""
    from scipy.optimize import minimize  # a development dependency: training only

    w0 = prior.copy() if prior is not None else np.zeros(len(features))
    res = minimize(loss_and_grad, w0, args=(examples, l2, prior), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    return LinearRanker(
        {name: round(float(v), 5) for name, v in zip(features, res.x, strict=True)},
        meta={"l2": l2, "train_loss": round(float(res.fun), 4)},
        features=features,
    )
