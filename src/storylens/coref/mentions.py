"""Mention detection from a spaCy parse: names, nominal phrases and pronouns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from storylens.coref.gender import GenderGuesser
from storylens.coref.lexicon import (
    DETERMINERS_DEFINITE,
    NEUTRAL_MODIFIERS,
    PERSON_NOUNS,
    PRONOUNS,
    TITLES,
    PronounInfo,
)
from storylens.nlp.vocab import MISLABELLED_PEOPLE, NAME_LABELS
from storylens.quotes.regions import QuoteIndex

_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
_TITLE_DEPS = frozenset({"compound", "amod", "nmod", "npadvmod"})
# Labels the small English model often gives to people's names.


@dataclass(slots=True)
class M:
    """One mention with the features the passes read."""

    idx: int
    start_tok: int
    end_tok: int
    head: int
    start: int
    end: int
    text: str
    kind: str  # "name" | "nominal" | "pronoun"
    sent: int
    quote: int = -1
    nested_quote: bool = False
    label: str = ""
    gender: str = "u"
    number: str = "sg"
    animate: bool | None = None
    name_key: tuple[str, ...] = ()
    name_start: int = -1  # first token of the bare name, titles skipped
    role: str | None = None
    role_mods: frozenset[str] = field(default_factory=frozenset)
    definite: bool = False
    has_name_inside: bool = False
    pron: PronounInfo | None = None
    ext_start: int = -1  # characters of the full noun phrase (see ``_extent``)
    ext_end: int = -1

    @property
    def is_person(self) -> bool:
        return self.label == "PERSON" or bool(self.animate)


def _trim(toks: Sequence[Token], start: int, end: int) -> tuple[int, int]:
    while end > start and (toks[end - 1].text in _POSSESSIVE or toks[end - 1].is_punct):
        end -= 1
    while start < end and (toks[start].is_punct or toks[start].is_space):
        start += 1
    return start, end


def _breaks_phrase(text: str) -> bool:
    return "\n" in text or text in (":", ";")


# Children that start a new phrase rather than belong to the head's noun phrase.
_OUTSIDE_NP = frozenset({"conj", "cc", "preconj", "punct"})


def _extent(toks: Sequence[Token], head: int, start: int, end: int) -> tuple[int, int]:
    """The maximal noun phrase headed by ``head``: modifiers, possessive marker,
    prepositional phrases, relative clauses and appositions, but not coordinated
    phrases (`Trump and Putin` holds two mentions)."""
    tok = toks[head]
    left, right = min(start, head), max(end, head + 1)
    for child in tok.children:
        if child.dep_ in _OUTSIDE_NP or child.tag_ == "PRP":
            continue  # `his daughter himself`: an intensifier is not part of the phrase
        left = min(left, child.left_edge.i)
        right = max(right, child.right_edge.i + 1)
    # A phrase never runs over a line break or a colon (`Image: David Titley`, a
    # heading parsed into the next sentence).
    for i in range(head - 1, left - 1, -1):
        if _breaks_phrase(toks[i].text):
            left = i + 1
            break
    for i in range(head + 1, right):
        if _breaks_phrase(toks[i].text):
            right = i
            break
    # An internal comma may belong to an apposition; edges never keep punctuation.
    while right > left + 1 and (toks[right - 1].is_punct and toks[right - 1].text not in (")", "]", '"', "”")):
        right -= 1
    while left < right - 1 and toks[left].is_punct and toks[left].text not in ("(", "[", '"', "“"):
        left += 1
    return left, right


def _person_tokens(doc: Doc) -> set[int]:
    return {t.i for e in doc.ents if e.label_ == "PERSON" for t in e}


def _extend_titles(toks: Sequence[Token], start: int, end: int, persons: set[int]) -> int:
    """Grow a person name leftwards over its title words (`Russian Ambassador`)."""
    while start > 0:
        tok = toks[start - 1]
        if tok.i in persons or tok.text in _POSSESSIVE or tok.is_punct or tok.pos_ not in ("PROPN", "NOUN", "ADJ"):
            break
        if tok.dep_ not in _TITLE_DEPS or not (start <= tok.head.i < end):
            break
        start -= 1
    return start


def _name_key(titles: list[Token], name: list[Token]) -> tuple[tuple[str, ...], str | None, frozenset[str], int]:
    """Split a name mention into its bare name words and the role its titles give.

    ``titles`` are the words grown in front of the entity (`Port authority
    spokeswoman`); a title the tagger kept inside the entity (`President Putin`)
    moves over to them.
    """
    words = [t for t in name if not t.is_punct and t.lower_ not in ("the", "a", "an")]
    lead = list(titles)
    while len(words) > 1 and words[0].lower_ in TITLES:
        lead.append(words.pop(0))
    nouns = [t for t in lead if t.lower_ in TITLES or t.pos_ == "NOUN"]
    role = nouns[-1].lower_.rstrip(".") if nouns else None
    mods = frozenset(t.lower_ for t in lead if t.lower_.rstrip(".") != role) - NEUTRAL_MODIFIERS
    start = words[0].i if words else name[0].i
    return tuple(t.lower_ for t in words), role, mods, start


def _promote_surnames(doc: Doc, ms: list[M]) -> None:
    """A lone capitalised word the tagger took for a common noun (`Sessions stated`)
    is a name when the article already gave a person that surname."""
    people = [m for m in ms if m.kind == "name" and m.label == "PERSON" and len(m.name_key) >= 2]
    surnames = {m.name_key[-1]: m for m in people}
    for m in ms:
        if m.kind != "nominal" or m.end_tok - m.start_tok != 1 or not m.text[:1].isupper():
            continue
        known = surnames.get(m.text.lower())
        if known is None:
            continue
        m.kind, m.label, m.name_key, m.name_start = "name", "PERSON", (m.text.lower(),), m.start_tok
        m.gender, m.animate, m.number, m.role = known.gender, True, "sg", None


class MentionFinder:
    def __init__(self, genders: GenderGuesser) -> None:
        self.genders = genders

    def find(self, doc: Doc, quotes: QuoteIndex) -> list[M]:
        # Token objects once: ``doc[i]`` builds a new one on every call.
        toks = list(doc)
        text = doc.text
        sent_of = [0] * len(doc)
        for si, sent in enumerate(doc.sents):
            for t in sent:
                sent_of[t.i] = si
        persons = _person_tokens(doc)
        out: list[M] = []
        seen: set[tuple[int, int]] = set()
        ent_spans: set[tuple[int, int]] = set()

        def add(start: int, end: int, head: int, kind: str, **kw: object) -> M | None:
            if start >= end or (start, end) in seen:
                return None
            seen.add((start, end))
            first, last = toks[start], toks[end - 1]
            start_char, end_char = first.idx, last.idx + len(last)
            m = M(
                idx=len(out),
                start_tok=start,
                end_tok=end,
                head=head,
                start=start_char,
                end=end_char,
                text=text[start_char:end_char],
                kind=kind,
                sent=sent_of[head],
                quote=quotes.region_of(start_char),
                nested_quote=quotes.in_nested(start_char),
                **kw,  # type: ignore[arg-type]
            )
            out.append(m)
            return m

        for ent in doc.ents:
            if ent.label_ not in NAME_LABELS:
                continue
            start, end = _trim(toks, ent.start, ent.end)
            if start >= end:
                continue
            if ent.label_ == "NORP" and toks[end - 1].tag_ not in ("NNPS", "NNS"):
                continue  # "Russian" as an adjective is not a mention
            ent_spans.add((start, end))
            head = doc[start:end].root.i
            ent_start = start
            if ent.label_ == "PERSON":
                start = _extend_titles(toks, start, end, persons)
            key, role, mods, name_start = _name_key(toks[start:ent_start], toks[ent_start:end])
            label = ent.label_
            gender = self.genders.for_name(key, role) if label in ("PERSON", *MISLABELLED_PEOPLE) else "u"
            if label in MISLABELLED_PEOPLE and gender != "u" and len(key) >= 2:
                label = "PERSON"  # `Gary Suter` tagged ORG: a known first name outvotes the tagger
            if label != "PERSON":
                gender = "u"
            add(
                start,
                end,
                head,
                "name",
                label=label,
                gender=gender,
                number="pl" if label == "NORP" else "sg",
                animate=label == "PERSON" or None,
                name_key=key,
                role=role,
                role_mods=mods,
                name_start=name_start,
            )

        # spaCy's noun-chunk iterator is Python over the whole parse: run it once.
        noun_chunks = list(doc.noun_chunks)
        possessors = [doc[t.left_edge.i : t.i + 1] for t in toks if t.dep_ == "poss" and t.pos_ == "PROPN"]
        for chunk in [*noun_chunks, *possessors]:
            # Proper-noun phrases the NER missed (`Mayor Elena Ruiz`, `McNeill's memoir`).
            root = chunk.root
            if root.pos_ != "PROPN" or root.ent_type_ or (chunk.start, chunk.end) in seen:
                continue
            start, end = _trim(toks, chunk.start, chunk.end)
            while start < end and toks[start].pos_ not in ("PROPN",) and toks[start].lower_ not in TITLES:
                start += 1
            tokens = toks[start:end]
            if not tokens or any(t.ent_type_ for t in tokens):
                continue
            key, role, mods, name_start = _name_key([], tokens)
            gender = self.genders.for_name(key, role)
            person = (role is not None and role in TITLES) or gender != "u"
            add(
                start,
                end,
                root.i,
                "name",
                label="PERSON" if person else "",
                gender=gender,
                animate=person or None,
                name_key=key,
                role=role,
                role_mods=mods,
                name_start=name_start,
            )

        for tok in toks:
            if tok.tag_ not in ("PRP", "PRP$") or tok.lower_ not in PRONOUNS:
                continue
            info = PRONOUNS[tok.lower_]
            if tok.lower_ == "her" and tok.tag_ == "PRP$":
                info = PronounInfo(3, "sg", "f", possessive=True)
            add(
                tok.i,
                tok.i + 1,
                tok.i,
                "pronoun",
                pron=info,
                gender=info.gender,
                number=info.number,
                animate=info.gender in ("m", "f") or info.person in (1, 2) or None,
            )

        for span in self._nominal_spans(doc, noun_chunks):
            start, end = _trim(toks, span.start, span.end)
            if start >= end or (start, end) in ent_spans:
                continue
            root = doc[start:end].root
            if root.pos_ not in ("NOUN",) or root.ent_type_ in ("PERSON", "ORG", "GPE"):
                continue
            lemma = root.lemma_.lower()
            mods = (
                frozenset(
                    c.lower_ for c in root.children if c.dep_ in ("amod", "compound", "nmod") and start <= c.i < end
                )
                - NEUTRAL_MODIFIERS
            )
            first = toks[start].lower_
            definite = first in DETERMINERS_DEFINITE or any(c.dep_ == "poss" for c in root.children)
            # A person's name inside (`Putin's spokesman`) makes this more than a description;
            # an organisation or place modifier (`the Kremlin spokesman`) does not.
            inside = any(t.ent_type_ == "PERSON" or t.dep_ == "poss" for t in toks[start:end] if t.i != root.i)
            add(
                start,
                end,
                root.i,
                "nominal",
                label="",
                gender=PERSON_NOUNS.get(lemma, "u"),
                number="pl" if root.tag_ in ("NNS", "NNPS") else "sg",
                animate=True if lemma in PERSON_NOUNS else None,
                role=lemma,
                role_mods=mods,
                definite=definite,
                has_name_inside=inside,
            )
        _promote_surnames(doc, out)
        for m in out:
            left, right = _extent(toks, m.head, m.start_tok, m.end_tok) if m.pron is None else (m.start_tok, m.end_tok)
            m.ext_start, m.ext_end = toks[left].idx, toks[right - 1].idx + len(toks[right - 1])
        out.sort(key=lambda m: (m.start, -m.end))
        for i, m in enumerate(out):
            m.idx = i
        return out

    @staticmethod
    def _nominal_spans(doc: Doc, noun_chunks: list[Span]) -> list[Span]:
        spans = list(noun_chunks)
        for tok in doc:
            if tok.dep_ == "poss" and tok.pos_ == "NOUN":
                spans.append(doc[tok.left_edge.i : tok.i + 1])
        return spans
