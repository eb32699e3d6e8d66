"""Who speaks each direct quote: the subject of a speech verb next to it.

Works on token indices: given the head tokens of the mentions that could speak
(``heads``), it names, per top-level quote, the head token of its speaker, and
the (subject, object) head tokens of speech verbs around it, from which the
person spoken to can be found once coreference clusters exist.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from storylens.nlp.vocab import OBJECT_DEPS, SPEECH_VERBS, SUBJECT_DEPS, VERB_POS
from storylens.quotes.regions import QuoteIndex
from storylens.quotes.settings import DEFAULT, QuoteSettings

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
        if doc[i].lemma_.lower() in SPEECH_VERBS and doc[i].pos_ in VERB_POS and quotes.region_of(doc[i].idx) == -1
    ]


def _argument(verb: Token, deps: tuple[str, ...], heads: Collection[int]) -> int | None:
    for child in verb.children:
        if child.dep_ in deps and child.i in heads:
            return child.i
    return None


Found = tuple[int, int | None] | None  # (speaker head, cue verb) or nothing


def _governing_speaker(doc: Doc, first: int, last: int, quotes: QuoteIndex, heads: Collection[int]) -> Found:
    """`When Zakaria asked Peskov if there had been “any collaboration”`: the speech
    verb the quoted words hang from, outside the quote, names the speaker."""
    inside = [t for t in doc[first : last + 1] if not t.is_punct and not t.is_space]
    if not inside:
        return None
    root = min(inside, key=lambda t: len(list(t.ancestors)))
    for anc in root.ancestors:
        if quotes.region_of(anc.idx) != -1:
            continue
        if anc.lemma_.lower() in SPEECH_VERBS and anc.pos_ in VERB_POS:
            who = _argument(anc, SUBJECT_DEPS, heads)
            return None if who is None else (who, anc.i)
    return None


def _according_to(doc: Doc, first: int, heads: Collection[int]) -> Found:
    """`According to Peskov, ... "bilateral relations," The Hill reported`: the source
    named by "according to" speaks, not the outlet that reported it."""
    for tok in doc[first].sent:
        if tok.i >= first:
            break
        if tok.lower_ == "according":
            to = next((c for c in tok.children if c.lower_ == "to"), None)
            obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
            if obj is not None and obj.i in heads:
                return obj.i, tok.i
    return None


def _subject_mention(
    doc: Doc, tokens: range, quotes: QuoteIndex, heads: Collection[int], nearest_last: bool = False
) -> Found:
    verbs = _speech_verbs(doc, tokens, quotes)
    for verb in reversed(verbs) if nearest_last else verbs:
        found = _argument(verb, SUBJECT_DEPS, heads)
        if found is not None:
            return found, verb.i
    return None


def _exchanges(doc: Doc, tokens: range, quotes: QuoteIndex, heads: Collection[int]) -> list[tuple[int, int]]:
    """(subject, object) of speech verbs: `Peskov told him`, `Zakaria questioned Peskov`."""
    pairs = []
    for verb in _speech_verbs(doc, tokens, quotes):
        subj = _argument(verb, ("nsubj",), heads)
        obj = _argument(verb, OBJECT_DEPS, heads)
        if subj is not None and obj is not None:
            pairs.append((subj, obj))
    return pairs


@dataclass(slots=True)
class Attribution:
    """Per top-level quote: the head token of the mention naming its speaker, the
    (subject, object) head tokens of speech verbs around it, and the token of the
    cue that names the speaker (None when carried over from the previous quote)."""

    speakers: list[int | None]
    exchanges: list[list[tuple[int, int]]]
    cues: list[int | None]


def attribute_speakers(
    doc: Doc, quotes: QuoteIndex, heads: Collection[int], settings: QuoteSettings = DEFAULT
) -> Attribution:
    """``heads``: head tokens of the mentions outside quotes that could be speakers."""
    tok_at = {t.idx: t.i for t in doc}
    text = doc.text  # spaCy joins every token to build it: once, not per quote
    speakers: list[int | None] = []
    exchanges: list[list[tuple[int, int]]] = []
    cues: list[int | None] = []
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
        exchanges.append(_exchanges(doc, after, quotes, heads) + _exchanges(doc, previous, quotes, heads))
        found = _according_to(doc, first, heads)
        if found is None:
            found = _governing_speaker(doc, first, last, quotes, heads)
        if found is None:
            found = _subject_mention(doc, after, quotes, heads)
        if found is None:
            found = _subject_mention(doc, before, quotes, heads, nearest_last=True)
        if found is None and speakers and qi > 0:
            prev = quotes.regions[qi - 1]
            between = text[prev.end : region.start]
            if between.count("\n\n") <= settings.carry_max_paragraph_breaks and len(between) < settings.carry_max_chars:
                speakers.append(speakers[-1])  # the speaker carries on
                cues.append(None)
                continue
        speakers.append(None if found is None else found[0])
        cues.append(None if found is None else found[1])
    return Attribution(speakers, exchanges, cues)


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
