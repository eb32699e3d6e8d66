"""Reported speech: what a speaker said, in the writer's words.

Three shapes, read off the dependency parse:

- a speech verb with its clausal complement: `Peskov said (that) it is ...`,
  `told reporters the talks ...`, also spread over a sentence (`..., she said.`,
  where the parser may hang the verb off the content instead);
- `according to X, ...` (the rest of the sentence is what X says);

Content that is mostly a direct quote is left to ``regions`` (it is a direct
quote with its cue). Works on token indices, like ``speakers``.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from storylens.nlp.vocab import SPEECH_VERBS, VERB_POS
from storylens.quotes.regions import QuoteIndex
from storylens.quotes.settings import DEFAULT, QuoteSettings

# Verbs that report a statement without being in SPEECH_VERBS, which also drives
# direct-quote speakers (where `believe` next to a quote is rarely its cue).
REPORTING_VERBS: frozenset[str] = SPEECH_VERBS | frozenset(
    {"accuse", "allege", "assure", "boast", "charge", "concede", "disclose", "hint", "indicate", "insist"}
    | {"reiterate", "repeat", "reveal", "signal", "urge", "contend", "mention", "pledge", "estimate"}
)
_COMPLEMENT_DEPS = ("ccomp",)
# A verb hung off its content by the parser (`The talks failed, he said.`).
_TRAILING_DEPS = ("parataxis",)
_EDGE_PUNCT = " ,;:—–-\n"
# A transcript speaker label (`MIKE PENCE:`) is a short name.
_TURN_MAX_NAME_TOKENS = 3


@dataclass(frozen=True, slots=True)
class Reported:
    """One reported statement: content and cue as character offsets, the speaker as
    the head token of its phrase (None when the sentence names none)."""

    start: int
    end: int
    cue_start: int
    cue_end: int
    speaker: int | None


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in _EDGE_PUNCT:
        end -= 1
    return start, end


def _subject(verb: Token) -> Token | None:
    """The verb's own subject, or the one it shares (`stood up and said ...`)."""
    for tok in (verb, verb.head) if verb.dep_ in ("conj", "xcomp") else (verb,):
        for child in tok.children:
            if child.dep_ == "nsubj":
                return child
    return None


def _quoted_share(quotes: QuoteIndex, start: int, end: int, text: str) -> float:
    inside = sum(1 for i in range(start, end) if not text[i].isspace() and quotes.region_of(i) != -1)
    letters = sum(1 for i in range(start, end) if not text[i].isspace())
    return inside / letters if letters else 1.0


def _cue_end(verb: Token) -> int:
    """`told reporters` and `pointed out` read as one cue."""
    end = verb.idx + len(verb.text)
    for child in verb.children:
        if child.i > verb.i and child.dep_ in ("prt", "dative", "dobj") and child.i - verb.i <= 2:
            end = max(end, child.right_edge.idx + len(child.right_edge.text))
    return end


def _according_to(sent: Span, text: str) -> Reported | None:
    for tok in sent:
        if tok.lower_ != "according":
            continue
        to = next((c for c in tok.children if c.lower_ == "to"), None)
        source = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        if source is None:
            continue
        phrase_end = tok.right_edge.idx + len(tok.right_edge.text)
        last = sent[-1] if not sent[-1].is_space else sent[-2] if len(sent) > 1 else sent[-1]
        if tok.left_edge.i == sent.start:
            start, end = phrase_end, last.idx if last.is_punct else last.idx + len(last.text)
        else:
            start, end = sent.start_char, tok.left_edge.idx
        start, end = _trim(text, start, end)
        cue_end = to.idx + len(to.text)
        return Reported(start, end, tok.idx, cue_end, source.i)
    return None


def _transcript_turns(doc: Doc, quotes: QuoteIndex) -> list[Reported]:
    """`PENCE: Well, look, ...`: a paragraph opened by a name and a colon is that
    speaker's turn in a transcript, up to the paragraph's end."""
    text = doc.text
    out = []
    for tok in doc:
        if tok.text != ":" or quotes.region_of(tok.idx) != -1:
            continue
        first = tok.i
        while first > 0 and tok.i - first < _TURN_MAX_NAME_TOKENS and "\n" not in doc[first - 1].text:
            first -= 1
        at_paragraph_start = first == 0 or "\n" in doc[first - 1].text
        words = doc[first : tok.i]
        if not at_paragraph_start or not len(words) or not all(t.pos_ == "PROPN" for t in words):
            continue
        end = text.find("\n", tok.idx)
        s, e = _trim(text, tok.idx + 1, len(text) if end == -1 else end)
        if e > s:
            out.append(Reported(s, e, tok.idx, tok.idx + 1, words[-1].i))
    return out


def find_reported(doc: Doc, quotes: QuoteIndex, settings: QuoteSettings = DEFAULT) -> list[Reported]:
    text = doc.text
    out: list[Reported] = _transcript_turns(doc, quotes)
    for sent in doc.sents:
        found = _according_to(sent, text)
        if found is not None:
            out.append(found)
        for verb in sent:
            if verb.pos_ not in VERB_POS or verb.lemma_.lower() not in REPORTING_VERBS:
                continue
            if quotes.region_of(verb.idx) != -1:
                continue  # a verb inside a quote is the quoted speaker's own words
            complement = next((c for c in verb.children if c.dep_ in _COMPLEMENT_DEPS), None)
            if complement is not None:
                start = complement.left_edge.idx
                end = complement.right_edge.idx + len(complement.right_edge.text)
            elif verb.dep_ in _TRAILING_DEPS and verb.head.i < verb.i and verb.head.pos_ in VERB_POS:
                start = max(verb.head.left_edge.idx, sent.start_char)
                end = verb.left_edge.idx
            else:
                continue
            start, end = _trim(text, start, end)
            if len(text[start:end].split()) < settings.reported_min_words:
                continue
            if _quoted_share(quotes, start, end, text) >= settings.reported_max_quoted:
                continue
            subject = _subject(verb)
            out.append(Reported(start, end, verb.idx, _cue_end(verb), subject.i if subject is not None else None))
    return _outermost(out)


def _outermost(found: list[Reported]) -> list[Reported]:
    """`He said she told them it failed`: one statement, the outer report's."""
    found = sorted(found, key=lambda r: (r.start, -r.end))
    out: list[Reported] = []
    for r in found:
        if out and r.start < out[-1].end:
            continue
        out.append(r)
    return out
