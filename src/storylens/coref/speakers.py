"""Who speaks each direct quote: the subject of a speech verb next to it."""

from __future__ import annotations

from spacy.tokens import Doc

from storylens.coref.lexicon import SPEECH_VERBS
from storylens.coref.mentions import M
from storylens.nlp.quotes import QuoteIndex

_STOP = frozenset(".!?")


def _after_window(doc: Doc, start: int, stop: int, quotes: QuoteIndex) -> range:
    """Tokens after a quote up to the end of its attribution: the first sentence end
    or paragraph break outside a quote."""
    i = start
    while i < stop:
        tok = doc[i]
        if "\n" in tok.text or (tok.text in _STOP and quotes.region_of(tok.idx) == -1):
            break
        i += 1
    return range(start, i)


def _before_window(doc: Doc, start: int, end: int) -> range:
    """Tokens before a quote back to its sentence start, not across a paragraph break."""
    i = end
    while i > start and "\n" not in doc[i - 1].text:
        i -= 1
    return range(i, end)


def _subject_mention(doc: Doc, tokens: range, quotes: QuoteIndex, by_head: dict[int, M]) -> M | None:
    for i in tokens:
        tok = doc[i]
        if tok.lemma_.lower() not in SPEECH_VERBS or tok.pos_ not in ("VERB", "AUX"):
            continue
        if quotes.region_of(tok.idx) != -1:
            continue
        for child in tok.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child.i in by_head:
                return by_head[child.i]
    return None


def attribute_speakers(doc: Doc, quotes: QuoteIndex, mentions: list[M]) -> list[int | None]:
    """For each top-level quote, the index of the mention naming its speaker."""
    by_head: dict[int, M] = {}
    for m in mentions:
        if m.quote == -1:
            by_head.setdefault(m.head, m)
    tok_at = {t.idx: t.i for t in doc}
    speakers: list[int | None] = []
    for qi, region in enumerate(quotes.regions):
        first = _token_at(doc, tok_at, region.start)
        last = _token_at(doc, tok_at, max(region.start, region.end - 1))
        stop = doc[last].sent.end
        if qi + 1 < len(quotes.regions):
            stop = min(stop, _token_at(doc, tok_at, quotes.regions[qi + 1].start))
        found = _subject_mention(doc, _after_window(doc, last + 1, stop, quotes), quotes, by_head)
        if found is None and first > 0:
            before = _before_window(doc, doc[first - 1].sent.start, first)
            found = _subject_mention(doc, before, quotes, by_head)
        if found is None and speakers and qi > 0:
            prev = quotes.regions[qi - 1]
            between = doc.text[prev.end : region.start]
            if between.count("\n\n") <= 1 and len(between) < 400:
                speakers.append(speakers[-1])  # the speaker carries on
                continue
        speakers.append(found.idx if found else None)
    return speakers


def _token_at(doc: Doc, tok_at: dict[int, int], offset: int) -> int:
    while offset > 0 and offset not in tok_at:
        offset -= 1
    return tok_at.get(offset, 0)
