"""Streaming story clustering: each article joins the most similar existing story
or starts a new one, so articles added later never re-cluster the archive.

Similarity is the cosine of TF-IDF vectors in which the words that tell two
events of the same kind apart weigh most: names (capitalised words: people,
places), numbers and years, besides content words. A story is the sum of its
articles' term counts; document frequencies grow as articles arrive, so a
story's vector is computed with the IDF of the moment. An inverted index from
each story's strongest terms to the story keeps the candidates few, so the
work per article stays near constant as the archive grows. Two dated articles
more than ``max_days`` apart never share a story.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from storylens.stories.settings import DEFAULT, StorySettings

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]+|\d[\d,.]*")
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
# Function words, reporting verbs and calendar words: shared by every story.
_STOPWORDS_TEXT = """
a about above after again against all also am an and any are as at be because been before being below between both
but by can could did do does doing down during each few for from further had has have having he her here hers herself
him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or
other our ours ourselves out over own same she should so some such than that the their theirs them themselves then
there these they this those through to too under until up very was we were what when where which while who whom why
will with would you your yours yourself yourselves said says say told according new one two year years last first
people monday tuesday wednesday thursday friday saturday sunday
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


def terms(title: str | None, text: str, settings: StorySettings = DEFAULT) -> Counter[str]:
    """Weighted term counts of an article: the title and lead count more, and
    names, numbers and years more than common words."""
    counts: Counter[str] = Counter()
    body = text[: settings.max_chars]
    lead_end = len(" ".join(body.split()[: settings.lead_words]))
    for part, weight in ((title or "", settings.title_weight), (body[:lead_end], settings.lead_weight), (body, 1.0)):
        words = _TOKEN.findall(part)
        for i, w in enumerate(words):
            low = w.lower().strip("'’-.,")
            if len(low) < 2 or low in STOPWORDS:
                continue
            if low[0].isdigit():
                key, boost = (
                    ("y:" + low, settings.number_weight) if _YEAR.match(low) else ("n:" + low, settings.number_weight)
                )
            elif w[0].isupper() and i > 0:
                key, boost = low, settings.name_weight
            else:
                key, boost = low, 1.0
            counts[key] += weight * boost
    return counts


@dataclass(slots=True)
class Story:
    id: int
    counts: Counter[str] = field(default_factory=Counter)
    articles: list[str] = field(default_factory=list)
    first: date | None = None
    last: date | None = None


class StoryClusterer:
    """Add articles one by one (``add``); ``stories`` holds the grouping so far."""

    def __init__(self, settings: StorySettings = DEFAULT) -> None:
        self.settings = settings
        self.stories: list[Story] = []
        self.df: Counter[str] = Counter()
        self.n_docs = 0
        self._index: dict[str, set[int]] = {}

    def _idf(self, term: str) -> float:
        return math.log((1 + self.n_docs) / (1 + self.df[term])) + 1.0

    def _vector(self, counts: Counter[str]) -> dict[str, float]:
        vec = {t: (1 + math.log(c)) * self._idf(t) for t, c in counts.items() if c > 0}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {t: v / norm for t, v in vec.items()}

    def _top_terms(self, vec: dict[str, float]) -> list[str]:
        return [t for t, _ in sorted(vec.items(), key=lambda kv: -kv[1])[: self.settings.index_terms]]

    def _compatible(self, story: Story, when: date | None) -> bool:
        if when is None or story.first is None or story.last is None:
            return True
        gap = max((story.first - when).days, (when - story.last).days, 0)
        return gap <= self.settings.max_days

    def add(self, article_id: str, title: str | None, text: str, when: date | None = None) -> int:
        """Place one article; returns its story id."""
        return self._place(article_id, title, text, when, None)

    def restore(self, article_id: str, title: str | None, text: str, when: date | None, story: int) -> None:
        """Put an article back into the story it was given before (rebuilding the
        state from a store), without deciding anything."""
        self._place(article_id, title, text, when, story)

    def _place(self, article_id: str, title: str | None, text: str, when: date | None, story: int | None) -> int:
        counts = terms(title, text, self.settings)
        self.n_docs += 1
        self.df.update(counts.keys())
        if story is not None:
            while len(self.stories) <= story:
                self.stories.append(Story(len(self.stories)))
            return self._join(self.stories[story], article_id, counts, when)
        vec = self._vector(counts)
        candidates: set[int] = set()
        for t in self._top_terms(vec):
            candidates |= self._index.get(t, set())
        best, best_sim = None, self.settings.threshold
        for sid in candidates:
            story = self.stories[sid]
            if not self._compatible(story, when):
                continue
            svec = self._vector(story.counts)
            sim = sum(v * svec.get(t, 0.0) for t, v in vec.items())
            if sim >= best_sim:
                best, best_sim = story, sim
        if best is None:
            best = Story(len(self.stories))
            self.stories.append(best)
        return self._join(best, article_id, counts, when)

    def _join(self, best: Story, article_id: str, counts: Counter[str], when: date | None) -> int:
        best.counts.update(counts)
        best.articles.append(article_id)
        if when is not None:
            best.first = min(best.first or when, when)
            best.last = max(best.last or when, when)
        for t in self._top_terms(self._vector(best.counts)):
            self._index.setdefault(t, set()).add(best.id)
        return best.id

    def add_many(self, items: Iterable[tuple[str, str | None, str, date | None]]) -> list[int]:
        return [self.add(*item) for item in items]
