"""``storylens_quotes``: direct quotes and their speakers as a spaCy component.

    nlp.add_pipe("storylens_quotes")
    doc.spans["quotes"]            # one span per quote (label QUOTE) or reported statement (REPORTED)
    span._.speaker                 # who says it (a name, or the speaker's words), or None
    span._.kind, span._.cue        # "direct" or "indirect"; the attributing words (`said`), or ""
    doc.spans["quote_speakers"]    # the mentions naming the speakers

After ``storylens_coref`` it reuses that component's quotes, whose speakers are
named by their coreference cluster (`he` in `he said` becomes `Dmitry Peskov`);
on its own it names the noun phrase that speaks.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from storylens.model import Quote
from storylens.nlp.vocab import NOMINAL_POS
from storylens.quotes.extract import build_quotes, build_reported
from storylens.quotes.regions import QuoteIndex, find_quotes
from storylens.quotes.reported import find_reported
from storylens.quotes.speakers import attribute_speakers

for _name, _default in (("speaker", None), ("kind", "direct"), ("cue", "")):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=_default)
for _name in ("coref_quotes", "quote_index"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def _own_quotes(doc: Doc) -> list[Quote]:
    quotes = doc._.quote_index or QuoteIndex(find_quotes(doc.text))
    heads = {t.i for t in doc if t.pos_ in NOMINAL_POS and quotes.region_of(t.idx) == -1}
    attribution = attribute_speakers(doc, quotes, heads)
    spans = [None if head is None else _phrase(doc, head) for head in attribution.speakers]
    cues = [None if t is None else (doc[t].idx, doc[t].idx + len(doc[t].text)) for t in attribution.cues]
    found = build_quotes(doc.text, quotes, spans, [], "", cues=cues)
    reported = find_reported(doc, quotes)
    speakers = [None if r.speaker is None else _phrase(doc, r.speaker) for r in reported]
    return sorted(found + build_reported(doc.text, reported, speakers, [], ""), key=lambda q: (q.start, q.kind))


def _phrase(doc: Doc, head: int) -> tuple[int, int]:
    phrase = doc[doc[head].left_edge.i : head + 1]
    return phrase.start_char, phrase.end_char


class QuotesComponent:
    def __init__(self, name: str = "storylens_quotes") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if doc._.coref_quotes is not None:
            quotes: list[Quote] = doc._.coref_quotes
        else:
            quotes = _own_quotes(doc)
        found, speakers = [], []
        for q in quotes:
            label = "QUOTE" if q.kind == "direct" else "REPORTED"
            span = doc.char_span(q.start, q.end, label=label, alignment_mode="expand")
            if span is None:
                continue
            span._.speaker, span._.kind, span._.cue = q.speaker, q.kind, q.cue
            found.append(span)
            if q.speaker_start >= 0:
                who = doc.char_span(q.speaker_start, q.speaker_end, label="SPEAKER", alignment_mode="expand")
                if who is not None:
                    speakers.append(who)
        doc.spans["quotes"] = found
        doc.spans["quote_speakers"] = speakers
        return doc


@Language.factory(
    "storylens_quotes",
    assigns=["doc.spans", "span._.speaker", "span._.kind", "span._.cue"],
    requires=["token.dep", "token.pos", "token.lemma", "token.is_sent_start"],
)
def make_quotes(nlp: Language, name: str) -> QuotesComponent:
    return QuotesComponent(name)
