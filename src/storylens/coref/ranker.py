"""The learned pronoun-antecedent ranker: a linear score over ``pronouns.FEATURES``.

Trained by ``scripts/train_coref.py`` as a mention-ranking model: for each
pronoun, a softmax over its candidates and a "no antecedent" option scored 0,
so a candidate is taken only when its score is above 0. The weights ship as
JSON inside the package (``models/pronoun_ranker.json``), a few kilobytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from storylens.coref.pronouns import FEATURES

MODEL_FILE = "pronoun_ranker.json"


def default_model_path() -> Path:
    return Path(str(files("storylens.coref") / "models" / MODEL_FILE))


@dataclass(slots=True)
class LinearRanker:
    weights: dict[str, float]
    meta: dict[str, Any] = field(default_factory=dict)
    _w: list[float] = field(init=False, repr=False, default_factory=list)

    def __post_init__(self) -> None:
        self._w = [self.weights.get(name, 0.0) for name in FEATURES]

    def __call__(self, rows: list[list[float]]) -> list[float]:
        w = self._w
        return [sum(a * b for a, b in zip(w, row, strict=True)) for row in rows]

    def save(self, path: Path) -> None:
        data = {"features": list(FEATURES), "weights": self.weights, "meta": self.meta}
        path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path | None = None) -> LinearRanker | None:
        """The shipped ranker, or None when there is none (the hand weights apply)."""
        path = path or default_model_path()
        if not path.exists():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(weights={k: float(v) for k, v in data["weights"].items()}, meta=data.get("meta", {}))
