"""Definite descriptions and repeated names that share a head word with an
earlier cluster (`the bridge` after `the Bay Bridge`, `the company` after `the
company's shares`).

Two ways to decide, behind one pass:
- the strict head match of Lee et al. (2013): same head word, every content
  word already used for the antecedent; exact but blind to context, and on
  OntoGUM dev about half of its links join mentions the annotators kept apart;
- a learned ranker (``ranker.py``, trained by ``scripts/train_coref.py``) over
  the same candidates, weighing word overlap, distance, head frequency, entity
  type and the similarity of the two phrases' context vectors.

Constraints stay hard: an antecedent must come first, must not contain the
mention, must agree in number and be compatible (gender, person/non-person).
"""

from __future__ import annotations

import math

import numpy as np
from wordfreq import zipf_frequency

from storylens.coref.context import Candidate, Context, Observer, Scorer
from storylens.coref.mentions import M
from storylens.coref.ranker import LinearRanker, default_model_path
from storylens.nlp.vocab import QUANTITY_LABELS

MODEL_FILE = "description_ranker.json"

FEATURES: tuple[str, ...] = (
    "bias",
    "strict",  # every content word of the mention already used for the cluster
    "new_words",  # content words the cluster has not used, up to 3
    "new_share",
    "cluster_has_name",
    "mention_is_name",
    "mention_definite",
    "log_sent_dist",
    "same_sent",
    "log_cluster_size",
    "head_zipf",  # common heads (`year`, `people`) are often generic
    "plural",
    "in_quote",
    "has_possessor",
    "log_length",
    "label_match",
    "quantity",
    "head_propn",
    "context_similarity",  # cosine of the two phrases' mean tok2vec rows
    "cluster_anaphoric",  # the cluster has a name or a definite description
    "recency_rank",
)


def shipped_ranker() -> LinearRanker | None:
    """The trained description ranker shipped in the package, or None (the strict rule applies)."""
    return LinearRanker.load(default_model_path(MODEL_FILE), FEATURES)


def link_descriptions(ctx: Context, scorer: Scorer | None = None, observer: Observer | None = None) -> None:
    """Join each description that opens a cluster to the best earlier cluster
    with its head word: the top-ranked candidate scoring above 0 when
    ``scorer`` is given, else the first candidate the strict rule accepts."""
    by_head: dict[str, list[int]] = {}
    for m in ctx.ms:
        if m.pron is not None:
            continue
        head = ctx.doc[m.head].lemma_.lower()
        if (m.kind == "name" or m.definite) and ctx.first_mention(m) is m:
            cands = candidates(ctx, m, by_head.get(head, []))
            if observer is not None and cands:
                observer(ctx, m, cands)
            best = _choose(cands, scorer)
            if best is not None:
                ctx.cl.union(best.root, m.idx)
        by_head.setdefault(head, []).append(m.idx)


def strict_rule(rows: list[list[float]]) -> list[float]:
    """The strict head-match rule as a scorer: the most recent strict candidate wins."""
    strict = FEATURES.index("strict")
    first = next((i for i, row in enumerate(rows) if row[strict]), None)
    return [1.0 if i == first else -1.0 for i in range(len(rows))]


def _choose(cands: list[Candidate], scorer: Scorer | None) -> Candidate | None:
    if not cands:
        return None
    scores = (scorer or strict_rule)([c.features for c in cands])
    k = max(range(len(cands)), key=scores.__getitem__)
    return cands[k] if scores[k] > 0 else None


def candidates(ctx: Context, m: M, same_head: list[int]) -> list[Candidate]:
    """Earlier clusters holding a mention with ``m``'s head, most recent first."""
    words = ctx.content_words(m)
    seen: set[int] = set()
    out: list[Candidate] = []
    for i in reversed(same_head):
        root = ctx.cl.find(i)
        if root in seen:
            continue
        seen.add(root)
        ante = [a for a in ctx.cl.mentions_of(root) if a.start < m.start]
        if (
            not ante
            or any(a.ext_start <= m.start and m.end <= a.ext_end for a in ante)  # i-within-i
            or any(a.number != m.number for a in ante if a.kind != "pronoun")
            or not ctx.cl.compatible(root, m.idx)
        ):
            continue
        last = max(ante, key=lambda a: a.start)
        out.append(Candidate(root, last, _features(ctx, m, ante, last, words, len(out))))
        if len(out) == ctx.settings.description_candidates:
            break
    return out


def _features(ctx: Context, m: M, ante: list[M], last: M, words: set[str], rank: int) -> list[float]:
    head = ctx.doc[m.head]
    new = words - {w for a in ante for w in ctx.content_words(a)}
    f = {
        "bias": 1.0,
        "strict": float(bool(words) and not new),
        "new_words": float(min(len(new), 3)),
        "new_share": len(new) / max(len(words), 1),
        "cluster_has_name": float(any(a.kind == "name" for a in ante)),
        "mention_is_name": float(m.kind == "name"),
        "mention_definite": float(m.definite),
        "log_sent_dist": math.log1p(m.sent - last.sent),
        "same_sent": float(m.sent == last.sent),
        "log_cluster_size": math.log1p(len(ante)),
        "head_zipf": zipf_frequency(head.lemma_.lower(), "en") / 8,
        "plural": float(m.number == "pl"),
        "in_quote": float(m.quote != -1),
        "has_possessor": float(ctx.has_possessor(m)),
        "log_length": math.log1p(m.end_tok - m.start_tok),
        "label_match": float(bool(m.label) and any(a.label == m.label for a in ante)),
        "quantity": float(head.ent_type_ in QUANTITY_LABELS),
        "head_propn": float(head.pos_ == "PROPN"),
        "context_similarity": _similarity(ctx, m, last),
        "cluster_anaphoric": float(any(a.definite or a.kind == "name" for a in ante)),
        "recency_rank": float(rank),
    }
    return [f[name] for name in FEATURES]


def _similarity(ctx: Context, a: M, b: M) -> float:
    """The small English pipeline has no static word vectors; its tok2vec rows
    carry each token's context instead."""
    tensor = ctx.doc.tensor
    if tensor is None or not len(tensor) or a.end_tok <= a.start_tok or b.end_tok <= b.start_tok:
        return 0.0
    u = tensor[a.start_tok : a.end_tok].mean(0)
    v = tensor[b.start_tok : b.end_tok].mean(0)
    norm = float(np.linalg.norm(u) * np.linalg.norm(v))
    return float(u @ v) / norm if norm else 0.0
