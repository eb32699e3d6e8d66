"""Story clustering settings, overridable from Python; the pair weights and
linkage thresholds are fitted on ECB+ train (`benchmarks/story_eval.py --fit`),
checked on dev."""

from __future__ import annotations

from dataclasses import dataclass, field

from storylens.stories.pair_score import PairWeights


@dataclass(frozen=True, slots=True)
class StorySettings:
    # How alike two articles are: log-odds that they report one event (pair_score.py).
    pair: PairWeights = field(default_factory=PairWeights)
    # Complete linkage: every pair of new articles in a story has at least this
    # TF-IDF cosine, and so has a new article with each recent member of a
    # stored story it joins.
    threshold: float = 0.1
    # Then groups whose mean pairwise score (log-odds) reaches this join (average
    # linkage over the complete-linkage groups): one event's articles that
    # complete linkage left in two tight groups. None turns it off.
    join_threshold: float | None = -1.5
    # A stored story is a candidate for an article when the article's TF-IDF
    # cosine with the story's strongest centroid terms reaches this.
    candidate_cosine: float = 0.05
    # Names, numbers and the headline and lead tell two events of one kind apart.
    name_weight: float = 3.0
    number_weight: float = 3.0
    title_weight: float = 1.0
    lead_weight: float = 1.0
    lead_words: int = 60
    # Each mention of a named entity (from the article's coreference clusters) adds this.
    entity_weight: float = 3.0
    # Only the start of a long article counts.
    max_chars: int = 6000
    # A story is found through its strongest terms.
    index_terms: int = 30
    # ... except terms found in more than this share of the archive (and in more
    # than index_min_df articles): they would point to every story.
    index_max_share: float = 0.05
    index_min_df: int = 200
    # Two dated articles further apart than this belong to different stories.
    # ECB+ train scores higher with wider gates (90.1 at 30 days, 91.7 at 90,
    # 92.3 at 365: its stories take in follow-ups months later, and it has few
    # stories a month), but in a dense archive stories that share one person
    # then merge across months (100k synthetic articles, bench_ingest.py
    # --cluster-max-days: B3 F1 94.9 at 30 days, 86.7 at 90, 75.8 at 365).
    max_days: int = 30
    # New articles are clustered in date-ordered blocks of this many, so the work
    # per article does not grow with the archive.
    block_size: int = 1000
    # A new article is checked against a story's most recent members, at most this many,
    # among the few stories whose centroids are nearest.
    story_members: int = 25
    # A member's TF-IDF vector is weighed again once the archive has grown by this share since.
    member_refresh: float = 0.1
    story_candidates: int = 5


DEFAULT = StorySettings()
