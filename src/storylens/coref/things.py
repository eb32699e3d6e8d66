"""`it` and `they`: pronouns for things, organisations and groups.

They are clustered (so entity labels and the benchmarks see them) but never
rendered: a wrong `it` is cheap in a cluster and costly in the resolved text.
Pleonastic `it` (`it is clear that`) is skipped; the antecedent is the closest
agreeing mention in the pronoun's sentence or the one before, subjects first,
after Hobbs (1978) and the salience weights of Lappin and Leass (1994).
"""

from __future__ import annotations

from spacy.tokens import Token

from storylens.coref.context import Context
from storylens.coref.mentions import M
from storylens.nlp.vocab import SUBJECT_DEPS

# Salience of the candidate's grammatical role (Lappin and Leass's weights, scaled).
ROLE_WEIGHT = {"nsubj": 3.0, "nsubjpass": 3.0, "dobj": 2.0, "attr": 1.5, "pobj": 1.0, "poss": 1.0, "appos": 1.0}
_CLAUSAL = frozenset({"ccomp", "xcomp", "csubj", "advcl"})
_WEATHER = frozenset({"rain", "snow", "seem", "appear", "happen", "take"})


def pleonastic(tok: Token) -> bool:
    """`it is likely that`, `it was decided to`, `it seems`, `it rains`."""
    if tok.dep_ == "expl":
        return True
    if tok.dep_ not in SUBJECT_DEPS:
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
    cfg = ctx.settings
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
            if m.sent < p.sent - cfg.thing_window_sentences:
                break
            if m.ext_start <= p.start < m.ext_end or m.end > p.start:
                continue  # i-within-i: `the company and its chief`
            if m.pron is not None and (m.pron.person != 3 or len(ctx.cl.mentions_of(m.idx)) == 1):
                continue
            if (m.quote == -1) != (p.quote == -1) or not _agrees(ctx, p, m):
                continue
            mtok = doc[m.head]
            if mtok.head.i == ptok.head.i and mtok.dep_ in SUBJECT_DEPS and not info.possessive:
                continue  # binding: `the firm sued it`
            score = ROLE_WEIGHT.get(mtok.dep_, 0.0) - cfg.thing_sentence_penalty * (p.sent - m.sent)
            score += cfg.thing_pronoun_bonus * (m.pron is not None) + cfg.thing_cluster_bonus * min(
                len(ctx.cl.mentions_of(m.idx)), cfg.thing_cluster_cap
            )
            if best is None or score > best[0]:
                best = (score, m.idx)
        if best is not None:
            ctx.cl.union(best[1], p.idx)
