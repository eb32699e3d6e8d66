"""What every coreference pass reads and writes: the parse, the mentions, the
quotes and their speakers, and the clusters built so far; and the types the
learned rankers share (a candidate's features, a scorer, an observer)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Doc

from storylens.coref.clusters import Clusters
from storylens.coref.mentions import M
from storylens.coref.settings import DEFAULT, CorefSettings
from storylens.quotes.regions import QuoteIndex

# Words that say nothing about which entity a phrase names.
_STOP = frozenset({"the", "a", "an", "this", "that", "these", "those", "said", "'s", "’s", "of"})


@dataclass(slots=True)
class Context:
    doc: Doc
    ms: list[M]
    quotes: QuoteIndex
    # Per top-level quote: the index of the mention naming its speaker.
    speakers: list[int | None]
    # Per top-level quote: (subject, object) mention indices of speech verbs around it.
    exchanges: list[list[tuple[int, int]]]
    cl: Clusters
    settings: CorefSettings = DEFAULT
    text: str = ""  # ``doc.text``, which spaCy rebuilds from the tokens on every access
    # Per top-level quote: the token of the cue naming its speaker (`said`), or None.
    cues: list[int | None] = field(default_factory=list)
    _sent_starts: list[int] = field(default_factory=list)

    def sentence_start(self, token: int) -> int:
        """The first token of ``token``'s sentence (``Token.sent`` walks the doc on every call)."""
        if not self._sent_starts:
            starts = [0] * len(self.doc)
            for sent in self.doc.sents:
                starts[sent.start : sent.end] = [sent.start] * (sent.end - sent.start)
            self._sent_starts = starts
        return self._sent_starts[token]

    def addressee(self, quote: int) -> int | None:
        """The cluster the quote's speaker is talking to, if an exchange names one."""
        speaker = self.speakers[quote]
        if speaker is None:
            return None
        for subj, obj in self.exchanges[quote]:
            if self.cl.same(subj, speaker):
                return self.cl.find(obj)
            if self.cl.same(obj, speaker):
                return self.cl.find(subj)
        return None

    def first_mention(self, m: M) -> M:
        return min(self.cl.mentions_of(m.idx), key=lambda x: x.start)

    def has_possessor(self, m: M) -> bool:
        return any(c.dep_ == "poss" for c in self.doc[m.head].children)

    def content_words(self, m: M) -> set[str]:
        return {t.lower_ for t in self.doc[m.start_tok : m.end_tok] if not t.is_punct and t.lower_ not in _STOP}

    def by_head(self) -> dict[int, list[M]]:
        out: dict[int, list[M]] = {}
        for m in self.ms:
            out.setdefault(m.head, []).append(m)
        return out


@dataclass(slots=True)
class Candidate:
    """One possible antecedent cluster (``root``) of a mention, by its nearest mention."""

    root: int
    mention: M
    features: list[float]


# Scores each candidate's feature row; above 0 links (a "no antecedent" option scores 0).
Scorer = Callable[[list[list[float]]], list[float]]
# Called with each mention and its candidates before the choice; used to collect training data.
Observer = Callable[[Context, M, list[Candidate]], None]
