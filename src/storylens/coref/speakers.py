"""Who speaks each direct quote: the subject of a speech verb next to it."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

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


def _speech_verbs(doc: Doc, tokens: range, quotes: QuoteIndex) -> list[Token]:
    return [
        doc[i]
        for i in tokens
        if doc[i].lemma_.lower() in SPEECH_VERBS
        and doc[i].pos_ in ("VERB", "AUX")
        and quotes.region_of(doc[i].idx) == -1
    ]


def _argument(verb: Token, deps: tuple[str, ...], by_head: dict[int, M]) -> M | None:
    for child in verb.children:
        if child.dep_ in deps and child.i in by_head:
            return by_head[child.i]
    return None


def _governing_speaker(doc: Doc, first: int, last: int, quotes: QuoteIndex, by_head: dict[int, M]) -> M | None:
    """`When Zakaria asked Peskov if there had been “any collaboration”`: the speech
    verb the quoted words hang from, outside the quote, names the speaker."""
    inside = [t for t in doc[first : last + 1] if not t.is_punct and not t.is_space]
    if not inside:
        return None
    root = min(inside, key=lambda t: len(list(t.ancestors)))
    for anc in root.ancestors:
        if quotes.region_of(anc.idx) != -1:
            continue
        if anc.lemma_.lower() in SPEECH_VERBS and anc.pos_ in ("VERB", "AUX"):
            return _argument(anc, ("nsubj", "nsubjpass"), by_head)
    return None


def _according_to(doc: Doc, first: int, by_head: dict[int, M]) -> M | None:
    """`According to Peskov, ... "bilateral relations," The Hill reported`: the source
    named by "according to" speaks, not the outlet that reported it."""
    for tok in doc[first].sent:
        if tok.i >= first:
            break
        if tok.lower_ == "according":
            to = next((c for c in tok.children if c.lower_ == "to"), None)
            obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
            if obj is not None and obj.i in by_head:
                return by_head[obj.i]
    return None


def _subject_mention(
    doc: Doc, tokens: range, quotes: QuoteIndex, by_head: dict[int, M], nearest_last: bool = False
) -> M | None:
    verbs = _speech_verbs(doc, tokens, quotes)
    for verb in reversed(verbs) if nearest_last else verbs:
        found = _argument(verb, ("nsubj", "nsubjpass"), by_head)
        if found is not None:
            return found
    return None


def _exchanges(doc: Doc, tokens: range, quotes: QuoteIndex, by_head: dict[int, M]) -> list[tuple[int, int]]:
    """(subject, object) of speech verbs: `Peskov told him`, `Zakaria questioned Peskov`."""
    pairs = []
    for verb in _speech_verbs(doc, tokens, quotes):
        subj = _argument(verb, ("nsubj",), by_head)
        obj = _argument(verb, ("dobj", "dative"), by_head)
        if subj is not None and obj is not None:
            pairs.append((subj.idx, obj.idx))
    return pairs


@dataclass(slots=True)
class Attribution:
    """Per top-level quote: the mention naming its speaker, and speech exchanges around
    it from which the person spoken to can be found once clusters exist."""

    speakers: list[int | None]
    exchanges: list[list[tuple[int, int]]]


def attribute_speakers(doc: Doc, quotes: QuoteIndex, mentions: list[M]) -> Attribution:
    by_head: dict[int, M] = {}
    for m in mentions:
        if m.quote == -1:
            by_head.setdefault(m.head, m)
    tok_at = {t.idx: t.i for t in doc}
    speakers: list[int | None] = []
    exchanges: list[list[tuple[int, int]]] = []
    for qi, region in enumerate(quotes.regions):
        first = _token_at(doc, tok_at, region.start)
        last = _token_at(doc, tok_at, max(region.start, region.end - 1))
        # The attribution may be parsed as the next sentence (`...?" Zakaria asked.`).
        stop = doc[last + 1].sent.end if last + 1 < len(doc) else len(doc)
        if qi + 1 < len(quotes.regions):
            stop = min(stop, _token_at(doc, tok_at, quotes.regions[qi + 1].start))
        after = _after_window(doc, last + 1, stop, quotes)
        before = _before_window(doc, doc[first - 1].sent.start, first) if first > 0 else range(0)
        previous = _previous_sentence(doc, first)
        exchanges.append(_exchanges(doc, after, quotes, by_head) + _exchanges(doc, previous, quotes, by_head))
        found = _according_to(doc, first, by_head) or _governing_speaker(doc, first, last, quotes, by_head)
        if found is None:
            found = _subject_mention(doc, after, quotes, by_head)
        if found is None:
            found = _subject_mention(doc, before, quotes, by_head, nearest_last=True)
        if found is None and speakers and qi > 0:
            prev = quotes.regions[qi - 1]
            between = doc.text[prev.end : region.start]
            if between.count("\n\n") <= 1 and len(between) < 400:
                speakers.append(speakers[-1])  # the speaker carries on
                continue
        speakers.append(found.idx if found else None)
    return Attribution(speakers, exchanges)


def _previous_sentence(doc: Doc, first: int) -> range:
    """The last sentence with words before token ``first``, across a paragraph break."""
    i = first - 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    if i < 0:
        return range(0)
    sent = doc[i].sent
    return range(sent.start, min(first, sent.end))


def _token_at(doc: Doc, tok_at: dict[int, int], offset: int) -> int:
    while offset > 0 and offset not in tok_at:
        offset -= 1
    return tok_at.get(offset, 0)
