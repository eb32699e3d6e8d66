"""Story clustering settings, overridable from Python; chosen on ECB+ train
(`benchmarks/story_eval.py --fit`), checked on dev."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StorySettings:
    # An article joins a story whose TF-IDF cosine reaches this; else it starts one.
    threshold: float = 0.2
    # Names, numbers and the headline and lead tell two events of one kind apart.
    name_weight: float = 3.0
    number_weight: float = 3.0
    title_weight: float = 1.0
    lead_weight: float = 1.0
    lead_words: int = 60
    # Only the start of a long article counts.
    max_chars: int = 6000
    # A story is found through its strongest terms.
    index_terms: int = 30
    # Two dated articles further apart than this belong to different stories.
    max_days: int = 30


DEFAULT = StorySettings()
