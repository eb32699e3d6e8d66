"""Learned antecedent rankers: a linear score over a feature tuple.

Trained by ``scripts/train_coref.py`` as mention-ranking models: for each
pronoun (``pronouns.FEATURES``) or definite description
(``descriptions.FEATURES``), a softmax over its candidates and a "no
antecedent" option scored 0, so a candidate is taken only when its score is
above 0. The weights ship as JSON inside the package (``models/*.json``), a few
kilobytes each.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any


def default_model_path(name: str) -> Path:
    """Where the package keeps the model file ``name``."""
    return Path(str(files("storylens.coref") / "models" / name))


@dataclass(slots=True)
class LinearRanker:
    weights: dict[str, float]
    meta: dict[str, Any] = field(default_factory=dict)
    features: tuple[str, ...] = ()
    _w: list[float] = field(init=False, repr=False, default_factory=list)

    def __post_init__(self) -> None:
        self._w = [self.weights.get(name, 0.0) for name in self.features]

    def __call__(self, rows: list[list[float]]) -> list[float]:
        w = self._w
        return [sum(a * b for a, b in zip(w, row, strict=True)) for row in rows]

    def save(self, path: Path) -> None:
        data = {"features": list(self.features), "weights": self.weights, "meta": self.meta}
        path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path, features: tuple[str, ...]) -> LinearRanker | None:
        """The ranker saved at ``path``, or None when there is none (the rules apply)."""
        if not path.exists():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        weights = {k: float(v) for k, v in data["weights"].items()}
        return cls(weights=weights, meta=data.get("meta", {}), features=features)
