"""Incremental story clustering: new articles join existing stories or start new
ones; stories already stored never move or merge.

Articles are TF-IDF vectors in which the words that tell two events of the
same kind apart weigh most: names (capitalised words), numbers and years, the
named entities of the article's coreference clusters (weighted by how often
each is mentioned), besides content words. Document frequencies grow as
articles arrive, so vectors use the IDF of the moment.

New articles are grouped by complete-linkage agglomerative clustering on the
cosine: a group stands only if every pair in it reaches the threshold, which
keeps two events of one kind (two arrests of one team's players) from chaining
together the way a running centroid lets them. Groups whose mean pair score
(``pair_score``: the log-odds that two articles report one event, from their
cosine by kind of term and whether each one's main person is named in the
other) is high then join (average linkage over the groups, ``join_groups``):
one event's coverage that complete linkage left in two tight groups. Existing
stories take part as fixed groups, represented by their most recent members,
and never merge with each other: complete linkage reads an article's least
cosine with those members (as if they had arrived with it), the join their
mean score, a story weighing as many units as members. The new articles go in
date-ordered blocks, and each block sees only the few stories an inverted
index of story terms proposes, so the work per article stays near constant as
the archive grows. Two dated articles more than ``max_days`` apart never share
a story.
"""

from __future__ import annotations

import math
import re
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from storylens.stories.pair_score import Units, main_actors, scores, sparse_rows, units
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


# Coreference cluster types that name a participant, place or thing of an event.
ENTITY_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "EVENT"})

Entity = tuple[str, str, int]  # (canonical name, type, mentions)


def entity_terms(entities: Iterable[Entity], settings: StorySettings = DEFAULT) -> Counter[str]:
    counts: Counter[str] = Counter()
    for name, kind, mentions in entities:
        if name and kind in ENTITY_TYPES:
            counts["e:" + name.lower()] += settings.entity_weight * mentions
    return counts


@dataclass(slots=True)
class Item:
    article_id: str
    counts: Counter[str]
    when: date | None
    actors: tuple[str | None, ...] = ()
    # As a stored story's member: its vector, and the archive size whose IDF it used.
    vector: dict[str, float] | None = None
    vector_docs: int = 0


@dataclass(slots=True)
class Story:
    id: int
    counts: Counter[str] = field(default_factory=Counter)
    articles: list[str] = field(default_factory=list)
    first: date | None = None
    last: date | None = None
    # The latest members: what a new article must agree with.
    recent: deque[Item] = field(default_factory=deque)
    # The centroid's strongest terms and weights when the story last changed: what finds it.
    top: dict[str, float] = field(default_factory=dict)


class StoryClusterer:
    """Add articles (``add_batch``, or ``add`` for one); ``stories`` holds the grouping so far."""

    def __init__(self, settings: StorySettings = DEFAULT) -> None:
        self.settings = settings
        self.stories: list[Story] = []
        self.df: Counter[str] = Counter()
        self.n_docs = 0
        self._index: dict[str, set[int]] = {}

    def _idf(self, term: str) -> float:
        return math.log((1 + self.n_docs) / (1 + self.df[term])) + 1.0

    def _vector(self, counts: Counter[str]) -> dict[str, float]:
        # Weights below 1 would give a negative log-count; no term is that faint.
        vec = {t: (1 + math.log(c)) * self._idf(t) for t, c in counts.items() if c >= 1}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {t: v / norm for t, v in vec.items()}

    def _member_vector(self, item: Item) -> dict[str, float]:
        """A stored member's vector, weighed again once the archive has grown by
        ``member_refresh`` since: every block weighing every candidate story's
        members anew would cost most of a dense archive's clustering time."""
        if item.vector is None or self.n_docs > item.vector_docs * (1 + self.settings.member_refresh):
            item.vector, item.vector_docs = self._vector(item.counts), self.n_docs
        return item.vector

    def _top_terms(self, vec: dict[str, float]) -> list[str]:
        return [t for t, _ in sorted(vec.items(), key=lambda kv: -kv[1])[: self.settings.index_terms]]

    def _item(
        self, article_id: str, title: str | None, text: str, when: date | None, entities: Iterable[Entity]
    ) -> Item:
        entities = list(entities)
        counts = terms(title, text, self.settings) + entity_terms(entities, self.settings)
        self.n_docs += 1
        self.df.update(counts.keys())
        return Item(article_id, counts, when, main_actors(entities))

    def add(
        self, article_id: str, title: str | None, text: str, when: date | None = None, entities: Iterable[Entity] = ()
    ) -> int:
        """Place one article; returns its story id."""
        return self.add_batch([(article_id, title, text, when, entities)])[0]

    def add_batch(self, articles: Sequence[tuple[str, str | None, str, date | None, Iterable[Entity]]]) -> list[int]:
        """Place new articles; returns their story ids in the order given."""
        items = [self._item(*a) for a in articles]
        order = sorted(range(len(items)), key=lambda i: (items[i].when is None, items[i].when or date.min, i))
        placed: dict[int, int] = {}
        size = self.settings.block_size
        for start in range(0, len(order), size):
            block = order[start : start + size]
            for i, sid in zip(block, self._place_block([items[i] for i in block]), strict=True):
                placed[i] = sid
        return [placed[i] for i in range(len(items))]

    def restore(
        self,
        article_id: str,
        title: str | None,
        text: str,
        when: date | None,
        story: int,
        entities: Iterable[Entity] = (),
    ) -> None:
        """Put an article back into the story it was given before (rebuilding the
        state from a store), without deciding anything."""
        item = self._item(article_id, title, text, when, entities)
        while len(self.stories) <= story:
            self.stories.append(Story(len(self.stories)))
        self._join(self.stories[story], item)

    def finish_restore(self) -> None:
        """Index the restored stories once, with the IDF of the whole store."""
        for story in self.stories:
            self._reindex(story)

    def _candidates(self, vectors: list[dict[str, float]], block: list[Item]) -> list[Story]:
        """The stories each article's strongest terms point to, at most
        ``story_candidates`` per article, nearest (strongest centroid terms) first."""
        common = max(self.settings.index_min_df, self.settings.index_max_share * self.n_docs)
        found: list[set[int]] = []
        for vec in vectors:
            # A term in a large share of the archive points everywhere: it finds no story.
            terms_ = [t for t in self._top_terms(vec) if self.df[t] <= common]
            found.append(set().union(*(self._index.get(t, ()) for t in terms_)))
        union = sorted(set().union(*found))
        column = {sid: c for c, sid in enumerate(union)}
        pointed = np.zeros((len(union), len(block)), dtype=bool)
        for a, sids in enumerate(found):
            pointed[[column[sid] for sid in sids], a] = True
        pointed &= ~_too_far([self.stories[sid] for sid in union], block, self.settings.max_days)
        keep = pointed.any(axis=1)
        union = [sid for sid, k in zip(union, keep, strict=True) if k]
        if not union:
            return []
        pointed = pointed[keep]
        # Centroids are read through their strongest terms, weighed when each story last
        # changed: recomputing every candidate's whole centroid per block would cost the most.
        centroids, articles = sparse_rows([self.stories[sid].top for sid in union], vectors)
        sims = (centroids @ articles.T).toarray()  # stories x articles
        sims[~pointed] = -np.inf
        top = min(self.settings.story_candidates, len(union))
        best = np.argpartition(-sims, top - 1, axis=0)[:top]
        chosen = {
            union[c]
            for c, a in zip(best.ravel(), np.tile(np.arange(len(block)), top), strict=True)
            if sims[c, a] >= self.settings.candidate_cosine
        }
        return [self.stories[sid] for sid in sorted(chosen)]

    def _place_block(self, block: list[Item]) -> list[int]:
        vectors = [self._vector(item.counts) for item in block]
        stories = self._candidates(vectors, block)
        members = [list(story.recent) for story in stories]
        sims, mean = _similarities(
            vectors,
            [item.actors for item in block],
            [[self._member_vector(m) for m in ms] for ms in members],
            [[m.actors for m in ms] for ms in members],
            self.settings,
        )
        k, n = len(stories), len(block)
        days = _days(block)
        # Dated units too far apart never share a story (comparisons with NaN, undated, are False).
        far = np.zeros((k + n, k + n), dtype=bool)
        far[k:, k:] = np.abs(days[:, None] - days[None, :]) > self.settings.max_days
        far[:k, k:] = _too_far(stories, block, self.settings.max_days)
        far[k:, :k] = far[:k, k:].T
        sims[far] = -np.inf
        mean[far] = -np.inf
        groups = complete_linkage(sims, self.settings.threshold)
        if self.settings.join_threshold is not None:
            # A stored story counts as the members it was judged by, as if they had arrived in this block.
            weights = np.array([len(m) or 1 for m in members] + [1] * n, dtype=float)
            groups = join_groups(mean, groups, self.settings.join_threshold, weights)
        result = [0] * n
        for group in groups:
            new = sorted(u for u in group if u >= k)
            if not new:
                continue
            existing = [u for u in group if u < k]
            story = stories[existing[0]] if existing else None
            for u in new:
                if story is None:
                    story = Story(len(self.stories))
                    self.stories.append(story)
                self._join(story, block[u - k])
                result[u - k] = story.id
            assert story is not None
            self._reindex(story)
        return result

    def _join(self, story: Story, item: Item) -> None:
        story.counts.update(item.counts)
        story.articles.append(item.article_id)
        story.recent.append(item)
        while len(story.recent) > self.settings.story_members:
            story.recent.popleft()
        if item.when is not None:
            story.first = min(story.first or item.when, item.when)
            story.last = max(story.last or item.when, item.when)

    def _reindex(self, story: Story) -> None:
        vec = self._vector(story.counts)
        story.top = {t: vec[t] for t in self._top_terms(vec)}
        for t in story.top:
            self._index.setdefault(t, set()).add(story.id)


def _days(items: Sequence[Item]) -> np.ndarray:
    return np.array([item.when.toordinal() if item.when else np.nan for item in items])


def _too_far(stories: Sequence[Story], items: Sequence[Item], max_days: int) -> np.ndarray:
    """(stories, items): True where both are dated and the item falls more than
    ``max_days`` outside the story's dates."""
    first = np.array([s.first.toordinal() if s.first else np.nan for s in stories]).reshape(-1, 1)
    last = np.array([s.last.toordinal() if s.last else np.nan for s in stories]).reshape(-1, 1)
    days = _days(items)[None, :]
    return np.maximum(first - days, days - last) > max_days


def pair_units(
    articles: Sequence[tuple[str, str | None, str, date | None, Iterable[Entity]]], settings: StorySettings = DEFAULT
) -> Units:
    """The articles as ``pair_score`` units, under the IDF of these articles
    alone: what fitting or inspecting the pair model reads."""
    clusterer = StoryClusterer(settings)
    items = [clusterer._item(*a) for a in articles]
    return units([clusterer._vector(i.counts) for i in items], [i.actors for i in items])


def _similarities(
    vectors: list[dict[str, float]],
    actors: list[tuple[str | None, ...]],
    members: list[list[dict[str, float]]],
    member_actors: list[list[tuple[str | None, ...]]],
    settings: StorySettings = DEFAULT,
) -> tuple[np.ndarray, np.ndarray]:
    """Pair scores (``pair_score.scores``) between units: the candidate stories
    first, then the articles. Returns two matrices that differ only between a
    story and an article: in the first that cell is the article's least score
    with the story's recent members (complete linkage treats a stored story as
    the group it is), in the second their mean (what average linkage over groups
    reads). Two stories never join."""
    flat = [m for ms in members for m in ms]
    every = units(vectors + flat, actors + [a for acts in member_actors for a in acts])
    n, k = len(vectors), len(members)
    art = every.rows(0, n)
    least = np.full((k + n, k + n), -np.inf)
    mean = least.copy()
    least[k:, k:], mean[k:, k:] = scores(art, art, settings.pair)
    if flat:
        cosines, odds = scores(every.rows(n, n + len(flat)), art, settings.pair)
        pos = 0
        for s, ms in enumerate(members):
            if ms:
                least[s, k:] = least[k:, s] = cosines[pos : pos + len(ms)].min(axis=0)
                mean[s, k:] = mean[k:, s] = odds[pos : pos + len(ms)].mean(axis=0)
            pos += len(ms)
    np.fill_diagonal(least, -np.inf)
    np.fill_diagonal(mean, -np.inf)
    return least, mean


def _agglomerate(score: np.ndarray, threshold: float, merged_row: Callable[[int, int], np.ndarray]) -> list[list[int]]:
    """Greedy agglomeration on a square score matrix (changed in place): join the
    best-scoring pair while it reaches ``threshold``. ``merged_row(i, j)`` gives the
    joined group's scores against every other (read before ``score`` changes).
    Returns the groups as lists of row indices."""
    n = len(score)
    groups: dict[int, list[int]] = {i: [i] for i in range(n)}
    if n < 2:
        return list(groups.values())
    best = score.argmax(axis=1)
    best_score = score[np.arange(n), best]
    while True:
        i = int(best_score.argmax())
        if best_score[i] < threshold:
            break
        j = int(best[i])
        if j < i:
            i, j = j, i
        # i keeps the joined group, so an existing story (a low index) stays its head.
        row = merged_row(i, j)
        score[i, :] = row
        score[:, i] = row
        score[i, i] = -np.inf
        score[j, :] = -np.inf
        score[:, j] = -np.inf
        groups[i].extend(groups.pop(j))
        best_score[j] = -np.inf
        for r in {i, *np.flatnonzero((best == i) | (best == j)).tolist()} - {j}:
            if r in groups:
                best[r] = int(score[r].argmax())
                best_score[r] = score[r, best[r]]
        # A joined group may score higher than a row's best so far (average linkage).
        better = score[:, i] > best_score
        best[better] = i
        best_score[better] = score[better, i]
    return list(groups.values())


def complete_linkage(sims: np.ndarray, threshold: float) -> list[list[int]]:
    """Agglomerative clustering on a similarity matrix: repeatedly merge the two most
    similar groups, a group's similarity to another being its least similar pair,
    until none reaches ``threshold``. Returns the groups (unit indices)."""
    score = sims.copy()
    return _agglomerate(score, threshold, lambda i, j: np.minimum(score[i], score[j]))


def join_groups(
    sims: np.ndarray, groups: list[list[int]], threshold: float, weights: np.ndarray | None = None
) -> list[list[int]]:
    """Average linkage over groups: repeatedly join the two groups with the highest
    mean pairwise similarity while it reaches ``threshold``, each unit counting
    ``weights[unit]`` times (1 by default). Groups with any pair at -inf (dates too
    far apart, two stored stories) never join."""
    g = len(groups)
    if g < 2:
        return groups
    member = np.zeros((len(sims), g))
    for k, group in enumerate(groups):
        member[group, k] = 1.0 if weights is None else weights[group]
    blocked = np.isneginf(sims)
    total = member.T @ np.where(blocked, 0.0, sims) @ member
    bad = (member > 0).T.astype(float) @ blocked.astype(float) @ (member > 0).astype(float)
    size = member.sum(axis=0)

    def row(i: int) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):  # joined-away groups have size 0
            out = total[i] / (size[i] * size)
        out[(bad[i] > 0) | (size == 0)] = -np.inf
        out[i] = -np.inf
        return out

    def merged(i: int, j: int) -> np.ndarray:
        for m in (total, bad):
            m[i] += m[j]
            m[:, i] = m[i]
        size[i] += size[j]
        size[j] = 0
        return row(i)

    score = np.vstack([row(i) for i in range(g)])
    return [[u for k in ks for u in groups[k]] for ks in _agglomerate(score, threshold, merged)]
