"""Claims: sentences in the writer's voice, aligned across outlets.

A claim is a sentence whose words are mostly not a direct quote. It is matched
on its resolved text (so "he" reads as the person), which the embedding model
and a lexical score compare. Every pair of claims is scored up to
``EXACT_LIMIT`` claims (a matrix product; cheap next to embedding them); beyond
that, candidate pairs come from random-hyperplane LSH over the embeddings, so
the work grows with the number of claims times the (small) bucket size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz
from spacy.tokens import Doc, Span

from storylens.coref.lexicon import SPEECH_VERBS
from storylens.model import Claim, Cluster, Resolution  # noqa: F401 - Cluster is used in annotations
from storylens.nlp.quotes import QuoteIndex, find_quotes
from storylens.textedit import OffsetMap

MAX_QUOTED_SHARE = 0.5
MIN_WORDS = 5
# Weighted score above which two claims from different outlets state the same thing.
SAME_CLAIM = 0.72
EMBED_WEIGHT = 0.75
# Up to this many claims every pair is scored (blocked matrix products, well under a
# second); beyond it random-hyperplane LSH keeps the work near-linear.
EXACT_LIMIT = 20_000
EXACT_BLOCK = 1024
LSH_BITS = 10
LSH_TABLES = 8
_NUMBER = re.compile(r"\b\d[\d,.]*\b")


@dataclass(slots=True)
class ClaimGroup:
    id: str
    claims: list[Claim] = field(default_factory=list)

    @property
    def articles(self) -> list[str]:
        return sorted({c.article_id for c in self.claims})

    @property
    def text(self) -> str:
        return max(self.claims, key=lambda c: len(c.resolved)).resolved


def extract_claims(res: Resolution, doc: Doc) -> list[Claim]:
    text = res.article.text
    quotes = QuoteIndex(find_quotes(text))
    omap = OffsetMap(res.edits)
    cluster_at = {m.start: c for c in res.clusters for m in c.mentions}
    out = []
    for sent in doc.sents:
        for start, end in _clauses(sent, text):
            if len(text[start:end].split()) < MIN_WORDS or not _has_verb(sent, start, end):
                continue  # too short, or a heading or caption that asserts nothing
            quoted = sum(
                min(end, r.end) - max(start, r.start) for r in quotes.regions if r.start < end and start < r.end
            )
            if quoted > MAX_QUOTED_SHARE * (end - start):
                continue
            resolved = res.resolved[omap.to_target(start) : omap.to_target(end)]
            out.append(Claim(res.article.id, start, end, text[start:end], resolved, _reported_by(sent, cluster_at)))
    return out


def _has_verb(sent: Span, start: int, end: int) -> bool:
    return any(t.pos_ in ("VERB", "AUX") for t in sent if start <= t.idx < end)


def _clauses(sent: Span, text: str) -> list[tuple[int, int]]:
    """Split `X was fired ... and Y has come under fire ...` into its two claims:
    a conjoined verb with a subject of its own starts a new one."""
    cuts = []
    main = {sent.root.i} | {t.i for t in sent.root.conjuncts}
    for tok in sent:
        if (
            tok.dep_ == "conj"
            and tok.head.i in main
            and tok.pos_ in ("VERB", "AUX")
            and any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)
            and not any(c.dep_ == "mark" for c in tok.children)
            and tok.left_edge.pos_ not in ("SCONJ", "ADP")
            and tok.left_edge.lower_ not in ("that", "whether", "which", "who")
        ):
            left = tok.left_edge
            cc = left.nbor(-1) if left.i > sent.start else None
            if cc is not None and cc.dep_ == "cc":
                cuts.append((cc.idx, left.idx))
    spans, start = [], sent.start_char
    for cut_end, next_start in sorted(cuts):
        spans.append((start, cut_end))
        start = next_start
    spans.append((start, sent.end_char))
    out = []
    for a, b in spans:
        # spaCy sentences can straddle a closing quote mark and a paragraph break.
        for piece_start, piece_end in _paragraph_pieces(text, a, b):
            while piece_end > piece_start and text[piece_end - 1] in " \n,;":
                piece_end -= 1
            while piece_start < piece_end and (text[piece_start].isspace() or text[piece_start] in '”"’'):
                piece_start += 1
            if piece_start < piece_end:
                out.append((piece_start, piece_end))
    return out


def _paragraph_pieces(text: str, a: int, b: int) -> list[tuple[int, int]]:
    pieces, start = [], a
    while (cut := text.find("\n", start, b)) != -1:
        pieces.append((start, cut))
        start = cut + 1
    pieces.append((start, b))
    return pieces


def _reported_by(sent, cluster_at) -> str | None:
    """Indirect speech (`Peskov said that ...`): the claim is attributed to the subject."""
    root = sent.root
    if root.lemma_.lower() not in SPEECH_VERBS:
        return None
    subj = next((c for c in root.children if c.dep_ == "nsubj"), None)
    if subj is None:
        return None
    cluster = cluster_at.get(subj.left_edge.idx) or cluster_at.get(subj.idx)
    return (cluster.canonical if cluster and cluster.canonical else None) or subj.text


def candidate_pairs(vectors: np.ndarray, min_cosine: float, seed: int = 13) -> set[tuple[int, int]]:
    """Pairs that may reach ``min_cosine``: every such pair up to ``EXACT_LIMIT``
    claims (one matrix product per block), LSH buckets beyond it."""
    n = len(vectors)
    if n < 2:
        return set()
    if n <= EXACT_LIMIT:
        pairs: set[tuple[int, int]] = set()
        for start in range(0, n, EXACT_BLOCK):
            sims = vectors[start : start + EXACT_BLOCK] @ vectors.T
            for a, b in zip(*np.nonzero(sims >= min_cosine), strict=True):
                i, j = start + int(a), int(b)
                if i < j:
                    pairs.add((i, j))
        return pairs
    rng = np.random.default_rng(seed)
    lsh_pairs: set[tuple[int, int]] = set()
    weights = 1 << np.arange(LSH_BITS)
    for _ in range(LSH_TABLES):
        planes = rng.standard_normal((vectors.shape[1], LSH_BITS)).astype(np.float32)
        keys = ((vectors @ planes) > 0).astype(np.int64) @ weights
        buckets: dict[int, list[int]] = {}
        for i, k in enumerate(keys.tolist()):
            buckets.setdefault(k, []).append(i)
        for members in buckets.values():
            for a in range(len(members)):
                for b in range(a + 1, len(members)):
                    lsh_pairs.add((members[a], members[b]))
    return lsh_pairs


def lexical_similarity(a: str, b: str) -> float:
    return fuzz.token_set_ratio(a.lower(), b.lower()) / 100


def align_claims(claims: list[Claim], vectors: np.ndarray) -> list[ClaimGroup]:
    """Each group holds at most one claim per article; strongest matches join first."""
    scored = []
    # The lexical score is at most 1, so a pair below this cosine cannot reach SAME_CLAIM.
    min_cosine = (SAME_CLAIM - (1 - EMBED_WEIGHT)) / EMBED_WEIGHT
    for i, j in candidate_pairs(vectors, min_cosine):
        a, b = claims[i], claims[j]
        if a.article_id == b.article_id:
            continue
        score = EMBED_WEIGHT * float(vectors[i] @ vectors[j]) + (1 - EMBED_WEIGHT) * lexical_similarity(
            a.resolved, b.resolved
        )
        if score >= SAME_CLAIM:
            scored.append((score, i, j))
    scored.sort(reverse=True)
    group_of = list(range(len(claims)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(claims))}
    for _, i, j in scored:
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        if {claims[k].article_id for k in members[gi]} & {claims[k].article_id for k in members[gj]}:
            continue
        for k in members[gj]:
            group_of[k] = gi
        members[gi].extend(members.pop(gj))
    groups = [ClaimGroup("", [claims[k] for k in sorted(ks)]) for ks in members.values()]
    groups.sort(key=lambda g: (-len(g.articles), g.claims[0].article_id, g.claims[0].start))
    for n, g in enumerate(groups):
        g.id = f"c{n}"
    return groups


def number_conflicts(groups: list[ClaimGroup]) -> list[dict]:
    """Aligned claims that state different numbers: a conflict a reader should check."""
    out = []
    for g in groups:
        if len(g.claims) < 2:
            continue
        values = {c.article_id: sorted(set(_NUMBER.findall(c.text))) for c in g.claims}
        distinct = {tuple(v) for v in values.values() if v}
        if len(distinct) > 1:
            out.append({"claim": g.id, "values": values})
    return out
