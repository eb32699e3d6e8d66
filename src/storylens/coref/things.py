"""`it` and `they`: pronouns for things, organisations and groups.

They are clustered (so entity labels and the benchmarks see them) but never
rendered: a wrong `it` is cheap in a cluster and costly in the resolved text.
Pleonastic `it` (`it is clear that`) is skipped; the antecedent is the closest
agreeing mention in the pronoun's sentence or the one before, subjects first,
after Hobbs (1978) and the salience weights of Lappin and Leass (1994).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from storylens.coref.mentions import M

if TYPE_CHECKING:
    from storylens.coref.sieve import Context

WINDOW_SENTENCES = 1
# Salience of the candidate's grammatical role (Lappin and Leass's weights, scaled).
ROLE_WEIGHT = {"nsubj": 3.0, "nsubjpass": 3.0, "dobj": 2.0, "attr": 1.5, "pobj": 1.0, "poss": 1.0, "appos": 1.0}
SENTENCE_PENALTY = 2.5
_CLAUSAL = frozenset({"ccomp", "xcomp", "csubj", "advcl"})
_WEATHER = frozenset({"rain", "snow", "seem", "appear", "happen", "take"})


def pleonastic(tok: Token) -> bool:
    """`it is likely that`, `it was decided to`, `it seems`, `it rains`."""
    if tok.dep_ == "expl":
        return True
    if tok.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = tok.head
    if verb.lemma_.lower() in _WEATHER:
        return True
    return any(c.dep_ in _CLAUSAL and c.i > tok.i for c in verb.children) and (
        verb.lemma_ == "be" or (verb.dep_ == "ROOT" and tok.dep_ == "nsubjpass")
    )


def _agrees(ctx: Context, p: M, m: M) -> bool:
    root = ctx.cl.find(m.idx)
    if ctx.cl.is_person(root) or ctx.cl.genders(root):
        # Organisations and groups of people are `they`; a person is never `it`.
        return p.number == "pl" and m.number == "pl"
    if p.number == "sg":
        return m.number == "sg" and m.label != "NORP"
    return m.number == "pl" or m.label in ("ORG", "NORP")


def resolve_things(ctx: Context) -> None:
    doc = ctx.doc
    for p in ctx.ms:
        info = p.pron
        if info is None or info.person != 3 or info.gender not in ("n", "u") or info.reflexive:
            continue
        if len(ctx.cl.mentions_of(p.idx)) > 1 or p.nested_quote:
            continue
        ptok = doc[p.head]
        if info.number == "sg" and pleonastic(ptok):
            continue
        best: tuple[float, int] | None = None
        for m in reversed(ctx.ms[: p.idx]):
            if m.sent < p.sent - WINDOW_SENTENCES:
                break
            if m.ext_start <= p.start < m.ext_end or m.end > p.start:
                continue  # i-within-i: `the company and its chief`
            if m.pron is not None and (m.pron.person != 3 or len(ctx.cl.mentions_of(m.idx)) == 1):
                continue
            if (m.quote == -1) != (p.quote == -1) or not _agrees(ctx, p, m):
                continue
            mtok = doc[m.head]
            if mtok.head.i == ptok.head.i and mtok.dep_ in ("nsubj", "nsubjpass") and not info.possessive:
                continue  # binding: `the firm sued it`
            score = ROLE_WEIGHT.get(mtok.dep_, 0.0) - SENTENCE_PENALTY * (p.sent - m.sent)
            score += 0.5 * (m.pron is not None) + 0.3 * min(len(ctx.cl.mentions_of(m.idx)), 4)
            if best is None or score > best[0]:
                best = (score, m.idx)
        if best is not None:
            ctx.cl.union(best[1], p.idx)
