"""Do two claims from different outlets state the same thing? One decision
(``Judge.same``), used by `compare` and scored by `benchmarks/claim_pairs.py`
on MRPC-style pairs.

Two judges share the interface:

- ``CrossEncoderJudge`` (the default): the MiniLM cross-encoder of
  ``claim_encoder.py``, fine-tuned on MRPC train, reads both sentences at once.
- ``FeatureJudge``: a logistic model over the bi-encoder cosine and lexical
  signals (token-set and token-sort ratios, word and bigram Jaccard, length
  ratio, agreement of numbers, capitalised names and negation), fitted on MRPC
  train by ``scripts/train_claims.py``; it is the fallback when the
  cross-encoder's file is missing, and ``fixed_rule()`` (0.75 x cosine + 0.25
  x token-set >= 0.72, what compare used before) when its own is.

Either way a pair is judged only when its bi-encoder cosine reaches
``PREFILTER_COSINE``, which keeps 99 % of MRPC train's same-claim pairs.
"""

from __future__ import annotations

import json
import math
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from itertools import pairwise
from pathlib import Path
from typing import Protocol

import numpy as np
from rapidfuzz import fuzz

MODEL_FILE = "same_claim.json"
# 99.0 % of MRPC train's positive pairs have a MiniLM cosine of at least 0.5.
PREFILTER_COSINE = 0.5
_WORD = re.compile(r"[\w']+")
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_NEGATION = frozenset({"not", "no", "never", "n't", "nobody", "nothing", "none", "neither", "nor", "without"})
_STOP = frozenset(
    {
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "and",
        "or",
        "but",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "by",
        "with",
        "as",
        "that",
        "this",
        "it",
        "its",
        "from",
        "has",
        "have",
        "had",
        "will",
        "would",
        "said",
        "says",
        "say",
        "he",
        "she",
        "they",
        "his",
        "her",
        "their",
    }
)

FEATURES: tuple[str, ...] = (
    "bias",
    "cosine",
    "token_set",
    "token_sort",
    "word_jaccard",
    "content_jaccard",
    "bigram_jaccard",
    "length_ratio",
    "numbers_equal",
    "numbers_differ",
    "names_jaccard",
    "names_only_one_side",
    "negation_differs",
    "cosine_x_token_set",
)


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text.replace("’", "'"))]


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def _names(text: str) -> set[str]:
    """Capitalised words not at a sentence start: a rough stand-in for named entities."""
    out = set()
    tokens = text.split()
    for i, tok in enumerate(tokens):
        word = tok.strip(".,;:!?\"'()[]“”‘’")
        if i > 0 and word[:1].isupper() and not tokens[i - 1].endswith((".", "!", "?")):
            out.add(word.lower())
    return out


def pair_features(a: str, b: str, cosine: float) -> list[float]:
    wa, wb = _words(a), _words(b)
    sa, sb = set(wa), set(wb)
    ca, cb = sa - _STOP, sb - _STOP
    ba = {f"{x} {y}" for x, y in pairwise(wa)}
    bb = {f"{x} {y}" for x, y in pairwise(wb)}
    na, nb = set(_NUMBER.findall(a)), set(_NUMBER.findall(b))
    ma, mb = _names(a), _names(b)
    token_set = fuzz.token_set_ratio(a.lower(), b.lower()) / 100
    values = {
        "bias": 1.0,
        "cosine": cosine,
        "token_set": token_set,
        "token_sort": fuzz.token_sort_ratio(a.lower(), b.lower()) / 100,
        "word_jaccard": _jaccard(sa, sb),
        "content_jaccard": _jaccard(ca, cb),
        "bigram_jaccard": _jaccard(ba, bb),
        "length_ratio": min(len(wa), len(wb)) / max(len(wa), len(wb), 1),
        "numbers_equal": float(bool(na) and na == nb),
        "numbers_differ": float(bool(na) and bool(nb) and na != nb),
        "names_jaccard": _jaccard(ma, mb),
        "names_only_one_side": len(ma ^ mb) / max(len(ma | mb), 1),
        "negation_differs": float(bool(sa & _NEGATION) != bool(sb & _NEGATION)),
        "cosine_x_token_set": cosine * token_set,
    }
    return [values[name] for name in FEATURES]


def default_model_path() -> Path:
    return Path(str(files("storylens.align") / "models" / MODEL_FILE))


@dataclass(slots=True)
class SameClaim:
    """``probability`` of "same claim" for a pair; ``same`` when it reaches ``threshold``."""

    weights: dict[str, float]
    threshold: float = 0.5
    meta: dict = field(default_factory=dict)
    # Pairs whose cosine is below this never reach the threshold on train: skip scoring them.
    min_cosine: float = 0.0

    def probability(self, a: str, b: str, cosine: float) -> float:
        z = sum(self.weights.get(n, 0.0) * v for n, v in zip(FEATURES, pair_features(a, b, cosine), strict=True))
        return 1 / (1 + math.exp(-z))

    def same(self, a: str, b: str, cosine: float) -> bool:
        return self.probability(a, b, cosine) >= self.threshold

    def save(self, path: Path) -> None:
        data = {
            "features": list(FEATURES),
            "weights": self.weights,
            "threshold": self.threshold,
            "min_cosine": self.min_cosine,
            "meta": self.meta,
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path | None = None) -> SameClaim:
        path = path or default_model_path()
        if not path.exists():
            warnings.warn(
                f"{path} is missing: claims are matched by the fixed rule 0.75 x cosine + 0.25 x token-set >= 0.72",
                stacklevel=2,
            )
            return fixed_rule()
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            {k: float(v) for k, v in data["weights"].items()},
            float(data["threshold"]),
            data.get("meta", {}),
            float(data.get("min_cosine", 0.0)),
        )


def fixed_rule() -> SameClaim:
    """The rule compare used before the learned model, as the same kind of object:
    0.75 cosine + 0.25 token-set >= 0.72, written as a logistic score with a steep slope."""
    k = 60.0
    weights = {"bias": -0.72 * k, "cosine": 0.75 * k, "token_set": 0.25 * k}
    return SameClaim(weights, 0.5, {"source": "fixed rule"}, min_cosine=(0.72 - 0.25) / 0.75)


class FeatureJudge:
    """The logistic feature model as a judge."""

    name = "feature model"

    def __init__(self, model: SameClaim | None = None) -> None:
        self.model = model or SameClaim.load()
        self.threshold = self.model.threshold

    def probabilities(self, pairs: Sequence[tuple[str, str]], cosines: Sequence[float]) -> np.ndarray:
        return np.array([self.model.probability(a, b, c) for (a, b), c in zip(pairs, cosines, strict=True)])


class CrossEncoderJudge:
    """The fine-tuned MiniLM cross-encoder as a judge."""

    name = "MiniLM cross-encoder"

    def __init__(self, path: Path | None = None) -> None:
        from storylens.align.claim_encoder import ClaimEncoder, default_model_path

        path = path or default_model_path()
        self.encoder = ClaimEncoder(path)
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        self.threshold = float(meta["threshold"])

    def probabilities(self, pairs: Sequence[tuple[str, str]], cosines: Sequence[float]) -> np.ndarray:
        return self.encoder.probabilities(pairs)


class Judge(Protocol):
    name: str
    threshold: float

    def probabilities(self, pairs: Sequence[tuple[str, str]], cosines: Sequence[float]) -> np.ndarray: ...


def load_judge() -> Judge:
    """The cross-encoder when its file ships, else the feature model (with a warning)."""
    from storylens.align.claim_encoder import default_model_path

    if default_model_path().exists():
        return CrossEncoderJudge()
    warnings.warn("the claim cross-encoder is missing: claims are matched by the feature model", stacklevel=2)
    return FeatureJudge()


def judge_pairs(
    judge: Judge, pairs: Sequence[tuple[str, str]], cosines: Sequence[float], prefilter: float = PREFILTER_COSINE
) -> np.ndarray:
    """The same-claim probability of each pair; 0 for pairs below the cosine prefilter.
    This is the one decision: ``probability >= judge.threshold`` means the same claim."""
    out = np.zeros(len(pairs), dtype=np.float32)
    keep = [i for i, c in enumerate(cosines) if c >= prefilter]
    if keep:
        out[keep] = judge.probabilities([pairs[i] for i in keep], [cosines[i] for i in keep])
    return out
