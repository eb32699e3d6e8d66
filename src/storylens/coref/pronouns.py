"""Pronoun resolution: agreement and binding filter candidates, salience ranks them.

Inside a direct quote, a first-person singular pronoun is the quote's speaker and
a third-person pronoun is never the speaker.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from spacy.tokens import Token

from storylens.coref.lexicon import SPEECH_VERBS
from storylens.coref.mentions import M

if TYPE_CHECKING:
    from storylens.coref.sieve import Context

WINDOW_SENTENCES = 3
# A second, wider look when nothing agrees in the window.
WIDE_WINDOW_SENTENCES = 6
SPEAKER_CONTINUITY = 1.5
CONTROL = 1.0
MIN_SCORE = -3.0
_SUBJ = ("nsubj", "nsubjpass")
_ROLE_WEIGHT = {"nsubj": 2.0, "nsubjpass": 2.0, "dobj": 1.0, "attr": 0.8, "dative": 1.0, "pobj": 0.5, "poss": 0.5}


def resolve_pronouns(ctx: Context) -> None:
    pronouns = [m for m in ctx.ms if m.pron is not None]
    speaker_idx = {s for s in ctx.speakers if s is not None}
    # Speakers first: a quote's pronouns are judged against who says it.
    ordered = [p for p in pronouns if p.idx in speaker_idx] + [p for p in pronouns if p.idx not in speaker_idx]
    for p in ordered:
        info = p.pron
        assert info is not None
        if info.person == 1:
            if p.quote != -1 and not p.nested_quote and info.number == "sg":
                speaker = ctx.speakers[p.quote]
                if speaker is not None:
                    ctx.cl.union(speaker, p.idx)
            continue
        if info.person != 3 or info.gender not in ("m", "f"):
            continue
        best = _best_antecedent(ctx, p, WINDOW_SENTENCES, speaker_idx)
        if best is None:
            best = _best_antecedent(ctx, p, WIDE_WINDOW_SENTENCES, speaker_idx)
        if best is not None:
            ctx.cl.union(best, p.idx)


_CLAUSE_DEPS = frozenset({"ROOT", "ccomp", "xcomp", "advcl", "relcl", "acl", "csubj", "conj", "parataxis"})


def _clause_verb(tok: Token) -> Token:
    """The predicate of the clause ``tok`` belongs to (a subject's head is its predicate)."""
    t = tok.head if tok.dep_ != "ROOT" else tok
    while t.dep_ not in _CLAUSE_DEPS and t.pos_ not in ("VERB", "AUX") and t.head.i != t.i:
        t = t.head
    return t


def _lca_depth(a: Token, b: Token) -> int:
    anc_a = [a, *a.ancestors]
    anc_b = {t.i for t in [b, *b.ancestors]}
    for t in anc_a:
        if t.i in anc_b:
            return sum(1 for _ in t.ancestors)
    return 0


def _controller(pverb: Token) -> int | None:
    """`X questioned Y, adding he was not aware`: the reporter of a subjectless
    participle is the subject of the clause it hangs from."""
    verb = pverb.head if pverb.dep_ == "ccomp" else None
    if verb is None or verb.tag_ != "VBG" or verb.lemma_.lower() not in SPEECH_VERBS:
        return None
    if any(c.dep_ in _SUBJ for c in verb.children):
        return None
    subj = next((c for c in verb.head.children if c.dep_ in _SUBJ), None)
    return subj.i if subj is not None else None


def _predicate_role(tok: Token) -> str | None:
    """`he was a presidential candidate` -> "candidate"."""
    if tok.dep_ != "nsubj" or tok.head.lemma_ != "be":
        return None
    attr = next((c for c in tok.head.children if c.dep_ == "attr" and c.pos_ == "NOUN"), None)
    return attr.lemma_.lower() if attr is not None else None


def _best_antecedent(ctx: Context, p: M, window: int, speaker_idx: set[int]) -> int | None:
    doc = ctx.doc
    info = p.pron
    assert info is not None
    ptok = doc[p.head]
    pverb = _clause_verb(ptok)
    speaker = ctx.speakers[p.quote] if p.quote != -1 and not p.nested_quote else None
    speaker_root = ctx.cl.find(speaker) if speaker is not None else None
    addressee_root = ctx.addressee(p.quote) if speaker is not None else None
    # `“...,” he said`: the pronoun names a speaker, most likely one already quoted.
    speaking_roots = {ctx.cl.find(s) for s in speaker_idx if s != p.idx} if p.idx in speaker_idx else set()
    pred_role = _predicate_role(ptok)
    controller = _controller(pverb)
    scores: dict[int, float] = {}
    for m in ctx.ms:
        if m.start >= p.start:
            break
        if m.sent < p.sent - window or (m.end > p.start and m.start <= p.start):
            continue
        root = ctx.cl.find(m.idx)
        if root in (speaker_root, addressee_root, ctx.cl.find(p.idx)):
            continue
        if m.pron is not None and len(ctx.cl.mentions_of(m.idx)) == 1:
            continue  # an unresolved pronoun carries no information
        if m.pron is not None and m.pron.person != 3:
            continue
        if not ctx.cl.is_person(root) or ctx.cl.is_nonperson(root) or m.number != "sg":
            continue
        genders = ctx.cl.genders(root)
        if genders and genders != {info.gender}:
            continue
        mtok = doc[m.head]
        same_clause_subj = mtok.dep_ in _SUBJ and mtok.head.i == pverb.i
        if info.reflexive and not same_clause_subj:
            continue
        if same_clause_subj and not info.possessive and not info.reflexive:
            continue  # binding: `Peskov told him` - him is not Peskov
        score = -1.0 * (p.sent - m.sent)
        score += _ROLE_WEIGHT.get(mtok.dep_, 0.3)
        if m.sent == p.sent:
            score += 0.5 * _lca_depth(ptok, mtok)
        elif mtok.dep_ in _SUBJ and mtok.head.dep_ == "ROOT":
            score += 0.5
        if mtok.i == controller:
            score += CONTROL
        if info.possessive and same_clause_subj:
            score += 2.0
        if mtok.dep_ == ptok.dep_:
            score += 0.5
        if pred_role is not None:
            roles = ctx.cl.roles(root)
            if pred_role in roles:
                score += 3.0
            elif roles:
                score -= 0.5
        if p.quote != -1:
            score += 0.5 if m.quote == p.quote else 0.0
        elif m.quote != -1:
            score -= 0.5
        score += 0.3 * math.log(len(ctx.cl.mentions_of(root)))
        if root in speaking_roots:
            score += SPEAKER_CONTINUITY
        if score > scores.get(root, -math.inf):
            scores[root] = score
    if not scores:
        return None
    root, score = max(scores.items(), key=lambda kv: kv[1])
    return root if score >= MIN_SCORE else None
