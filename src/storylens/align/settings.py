"""Comparison settings, overridable from Python:
``Comparer(settings=CompareSettings(claims=ClaimSettings(min_words=6)))``."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ClaimSettings:
    # Claims shorter than this many words, or mostly quoted, are left out.
    min_words: int = 5
    max_quoted_share: float = 0.5
    # Mostly quoted sentences are kept as statements (flagged ``quoted``): evidence
    # that an outlet reports a fact, though never the only statement of one.
    keep_quoted: bool = True
    # Pairs below this embedding cosine are never judged: 98.0 % of MRPC train's
    # same-claim pairs are above it with the shipped (1-layer distilled) encoder,
    # whose cosines run higher than MiniLM-L6's: at 0.58 (98.8 %), 20 unrelated
    # articles sent 295 pairs to the cross-encoder instead of 102 here and
    # MiniLM-L6's 0 (benchmarks/prefilter_sweep.py). The judge in same_claim.py decides the rest.
    prefilter_cosine: float = 0.62
    # Partial support is searched by main-clause vectors only for main clauses
    # shorter than this share of their sentence (in characters). On the 5
    # bench_compare articles that embeds 832 more tokens beside the claims' 5,057,
    # against 2,048 for every main clause.
    core_search_share: float = 0.6
    # Up to exact_limit claims every pair is scored (blocked matrix products of
    # exact_block rows); beyond it random-hyperplane LSH keeps the work near-linear.
    exact_limit: int = 20_000
    exact_block: int = 1024
    lsh_bits: int = 10
    lsh_tables: int = 8


@dataclass(frozen=True, slots=True)
class QuoteGroupSettings:
    # Quote segments shorter than this many words are not grouped.
    min_words: int = 3
    # rapidfuzz scores for "the same words, give or take" and for a shorter segment
    # contained in a longer one (only for segments of contained_min_words or more).
    same: int = 88
    contained: int = 92
    contained_min_words: int = 5
    # A word pair in more segments than this is too common to suggest a match.
    max_bucket: int = 50
    # Two transcripts of one spoken sentence: at least this many words, and this
    # share of the shorter found in order in the longer.
    transcript_min_words: int = 8
    transcript_coverage: float = 0.75


@dataclass(frozen=True, slots=True)
class CompareSettings:
    claims: ClaimSettings = field(default_factory=ClaimSettings)
    quotes: QuoteGroupSettings = field(default_factory=QuoteGroupSettings)
    # An outlet omits a claim when more than half of the other outlets, and at
    # least this many, report it.
    omitted_min_outlets: int = 2
    # Framing: the prior's weight as a multiple of the story's word count, and
    # how many terms to show per outlet.
    framing_prior_scale: float = 10.0
    framing_top: int = 10
    # Articles per spaCy batch. One lets each article's claims be embedded while
    # the next is parsed; larger batches parse a little faster but overlap less.
    parse_batch: int = 1


DEFAULT = CompareSettings()
