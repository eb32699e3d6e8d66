"""Do two claims from different outlets state the same thing? One decision
(``Judge.same``), used by `compare` and scored by `benchmarks/claim_pairs.py`
on MRPC-style pairs.

Judges share one interface:

- ``FeatureJudge`` (shipped): gradient-boosted trees over the bi-encoder
  cosine, lexical signals (token-set and token-sort ratios, word and bigram
  Jaccard, length ratio, agreement of numbers, capitalised names and negation)
  and a word-by-word alignment of the two sentences' MiniLM token vectors,
  fitted on MRPC train by ``scripts/train_claims.py``.
- ``CrossEncoderJudge`` (shipped): the MiniLM cross-encoder of
  ``claim_encoder.py``, all six layers fine-tuned on MRPC train for one epoch.
- ``EnsembleJudge``: what ``load_judge`` gives when both ship, the mean of the
  two probabilities against the mean of their train-chosen thresholds.
- ``RuleJudge``: the fixed rule compare used before (0.75 x cosine + 0.25 x
  token-set >= 0.72), the fallback when the model file is missing.

Either way a pair is judged only when its bi-encoder cosine reaches
``ClaimSettings.prefilter_cosine``, which keeps 98 % of MRPC train's same-claim pairs.
"""

from __future__ import annotations

import json
import pickle
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files
from itertools import pairwise
from pathlib import Path
from typing import Protocol

import numpy as np
from rapidfuzz import fuzz

from storylens.align.settings import ClaimSettings
from storylens.errors import ModelMissingError

MODEL_FILE = "same_claim.json"  # settings and threshold; the trees are in same_claim.pkl
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
    # Word-by-word alignment of the two sentences' contextual MiniLM token vectors:
    # how well each word of one finds a counterpart in the other.
    "align_mean_ab",
    "align_mean_ba",
    "align_mean_min",
    "align_unmatched_50",
    "align_unmatched_70",
    "align_worst3",
)


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text.replace("’", "'"))]


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def names_in(text: str) -> set[str]:
    """Capitalised words not at a sentence start: a rough stand-in for named entities."""
    out = set()
    tokens = text.split()
    for i, tok in enumerate(tokens):
        word = tok.strip(".,;:!?\"'()[]“”‘’")
        if i > 0 and word[:1].isupper() and not tokens[i - 1].endswith((".", "!", "?")):
            out.add(word.lower())
    return out


def alignment_features(ta: np.ndarray | None, tb: np.ndarray | None) -> dict[str, float]:
    """From L2-normalised token vectors (rows): mean best match each way, the
    weaker side, the share of words without a match above 0.5 and 0.7 (on the
    side with more such words), and the mean of the three worst matches."""
    if ta is None or tb is None or not len(ta) or not len(tb):
        return dict.fromkeys(FEATURES[14:], 0.0)
    sims = ta @ tb.T
    ab, ba = sims.max(1), sims.max(0)
    return {
        "align_mean_ab": float(ab.mean()),
        "align_mean_ba": float(ba.mean()),
        "align_mean_min": float(min(ab.mean(), ba.mean())),
        "align_unmatched_50": float(max((ab < 0.5).mean(), (ba < 0.5).mean())),
        "align_unmatched_70": float(max((ab < 0.7).mean(), (ba < 0.7).mean())),
        "align_worst3": float(min(np.sort(ab)[:3].mean(), np.sort(ba)[:3].mean())),
    }


def pair_features(
    a: str, b: str, cosine: float, ta: np.ndarray | None = None, tb: np.ndarray | None = None
) -> list[float]:
    wa, wb = _words(a), _words(b)
    sa, sb = set(wa), set(wb)
    ca, cb = sa - _STOP, sb - _STOP
    ba = {f"{x} {y}" for x, y in pairwise(wa)}
    bb = {f"{x} {y}" for x, y in pairwise(wb)}
    na, nb = set(_NUMBER.findall(a)), set(_NUMBER.findall(b))
    ma, mb = names_in(a), names_in(b)
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
        **alignment_features(ta, tb),
    }
    return [values[name] for name in FEATURES]


@dataclass(frozen=True, slots=True)
class Pair:
    """Two claims to judge: their texts, the cosine of their sentence vectors and,
    when known, their token vectors (``Embedder.encode_with_tokens``)."""

    a: str
    b: str
    cosine: float
    ta: np.ndarray | None = None
    tb: np.ndarray | None = None


class Judge(Protocol):
    name: str
    threshold: float

    def probabilities(self, pairs: Sequence[Pair]) -> np.ndarray: ...


def default_model_path() -> Path:
    return Path(str(files("storylens.align") / "models" / MODEL_FILE))


class RuleJudge:
    """What compare used before a model was learned: 0.75 x cosine + 0.25 x
    token-set ratio >= 0.72, as a score in [0, 1] with that threshold."""

    name = "fixed rule"
    threshold = 0.72

    def probabilities(self, pairs: Sequence[Pair]) -> np.ndarray:
        return np.array([0.75 * p.cosine + 0.25 * fuzz.token_set_ratio(p.a.lower(), p.b.lower()) / 100 for p in pairs])


class FeatureJudge:
    """Gradient-boosted trees (scikit-learn's HistGradientBoostingClassifier) over
    ``FEATURES``, fitted on MRPC train by ``scripts/train_claims.py``."""

    name = "feature model"

    def __init__(self, path: Path | None = None) -> None:
        path = path or default_model_path()
        meta = json.loads(path.read_text(encoding="utf-8"))
        if tuple(meta["features"]) != FEATURES:
            raise ModelMissingError(f"{path} was trained on other features; rerun scripts/train_claims.py")
        import sklearn

        from storylens.align.sentence_encoder import encoder_id

        embeds_with = encoder_id()
        if meta.get("encoder") != embeds_with:
            raise ModelMissingError(
                f"{path} was fitted on vectors of {meta.get('encoder', 'another encoder')}, "
                f"compare embeds with {embeds_with}; rerun scripts/train_claims.py"
            )
        if meta["sklearn"] != sklearn.__version__:
            raise ModelMissingError(
                f"{path} was saved with scikit-learn {meta['sklearn']}, this is {sklearn.__version__}; "
                "run `make install` or scripts/train_claims.py"
            )
        # The pickle is the package's own file, written by scripts/train_claims.py.
        with path.with_suffix(".pkl").open("rb") as f:
            self.model = pickle.load(f)
        self.threshold = float(meta["threshold"])
        self.meta = meta

    def probabilities(self, pairs: Sequence[Pair]) -> np.ndarray:
        if not pairs:
            return np.zeros(0)
        rows = np.array([pair_features(p.a, p.b, p.cosine, p.ta, p.tb) for p in pairs])
        return self.model.predict_proba(rows)[:, 1]


class CrossEncoderJudge:
    """The fine-tuned MiniLM cross-encoder (``claim_encoder.py``) as a judge."""

    name = "MiniLM cross-encoder"

    def __init__(self, path: Path | None = None) -> None:
        from storylens.align.claim_encoder import ClaimEncoder
        from storylens.align.claim_encoder import default_model_path as encoder_path

        path = path or encoder_path()
        self.encoder = ClaimEncoder(path)
        self.threshold = float(json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["threshold"])

    def probabilities(self, pairs: Sequence[Pair]) -> np.ndarray:
        return self.encoder.probabilities([(p.a, p.b) for p in pairs])


class EnsembleJudge:
    """The mean of several judges' probabilities, against the mean of their
    thresholds (each chosen on MRPC train): equal weights, nothing tuned on dev."""

    def __init__(self, judges: Sequence[Judge]) -> None:
        self.judges = list(judges)
        self.name = " + ".join(j.name for j in self.judges)
        self.threshold = round(float(np.mean([j.threshold for j in self.judges])), 3)

    def probabilities(self, pairs: Sequence[Pair]) -> np.ndarray:
        if not pairs:
            return np.zeros(0)
        return np.mean([j.probabilities(pairs) for j in self.judges], axis=0)


def load_judge() -> Judge:
    """The cross-encoder and the feature model together when both ship; whichever
    loads alone otherwise; the fixed rule, with a warning, when neither does."""
    judges: list[Judge] = []
    problems = []
    for make in (CrossEncoderJudge, FeatureJudge):
        try:
            judges.append(make())
        except (OSError, ModelMissingError) as e:
            problems.append(str(e))
    if problems:
        warnings.warn("same-claim model missing: " + "; ".join(problems), stacklevel=2)
    if not judges:
        return RuleJudge()
    return judges[0] if len(judges) == 1 else EnsembleJudge(judges)


def judge_pairs(judge: Judge, pairs: Sequence[Pair], prefilter: float = ClaimSettings().prefilter_cosine) -> np.ndarray:
    """The same-claim probability of each pair; 0 for pairs below the cosine prefilter.
    This is the one decision: ``probability >= judge.threshold`` means the same claim."""
    out = np.zeros(len(pairs), dtype=np.float64)
    keep = [i for i, p in enumerate(pairs) if p.cosine >= prefilter]
    if keep:
        out[keep] = judge.probabilities([pairs[i] for i in keep])
    return out
