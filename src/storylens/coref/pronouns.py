"""Pronoun resolution: hard constraints filter candidates, a scorer ranks them.

Constraints (never learned): number and gender agreement, animacy, binding
(`Peskov told him`: him is not Peskov), and quotes (a first-person singular
pronoun in a quote is its speaker; a third-person one is neither the speaker nor
the person spoken to). Everything else is a feature: the ranker that weighs
them is learned (``ranker.py``, trained by ``scripts/train_coref.py``) and falls
back to hand-set weights when no trained model ships.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from spacy.tokens import Token

from storylens.coref.context import Candidate, Context, Observer, Scorer
from storylens.coref.mentions import M
from storylens.coref.ranker import LinearRanker, default_model_path
from storylens.nlp.vocab import NEVER_PEOPLE, SPEECH_VERBS, SUBJECT_DEPS

MODEL_FILE = "pronoun_ranker.json"
_CLAUSE_DEPS = frozenset({"ROOT", "ccomp", "xcomp", "advcl", "relcl", "acl", "csubj", "conj", "parataxis"})
_ROLES = ("nsubj", "dobj", "pobj", "poss", "attr", "appos")

FEATURES: tuple[str, ...] = (
    "bias",
    "sent_dist",
    "sent_dist_0",
    "sent_dist_1",
    "log_token_dist",
    *(f"cand_{r}" for r in _ROLES),
    *(f"pron_{r}" for r in _ROLES),
    "same_role",
    "cand_main_subject",
    "lca_depth",
    "possessive_same_clause_subject",
    "controller",
    "pred_role_match",
    "pred_role_clash",
    "same_quote",
    "cand_in_other_quote",
    "pron_in_quote",
    "speaker_continuity",
    "log_cluster_size",
    "cluster_names",
    "entity_rank_0",
    "first_mention_early",
    "cand_name",
    "cand_nominal",
    "cand_pronoun",
    "gender_known",
    "pron_possessive",
    "cand_first_in_sentence",
    "intervening_persons",
    "cand_unlabelled",
    "cataphoric",
    "cand_tagged_nonperson",
    "cand_in_pronoun_clause",
)
_INDEX = {name: i for i, name in enumerate(FEATURES)}

# Hand-set weights, used when no trained ranker is available.
HAND_WEIGHTS: dict[str, float] = {
    "sent_dist": -1.0,
    "cand_nsubj": 2.0,
    "cand_dobj": 1.0,
    "cand_attr": 0.8,
    "cand_pobj": 0.5,
    "cand_poss": 0.5,
    "cand_appos": 0.3,
    "lca_depth": 0.5,
    "cand_main_subject": 0.5,
    "possessive_same_clause_subject": 2.0,
    "same_role": 0.5,
    "controller": 1.0,
    "pred_role_match": 3.0,
    "pred_role_clash": -0.5,
    "same_quote": 0.5,
    "cand_in_other_quote": -0.5,
    "log_cluster_size": 0.3,
    "speaker_continuity": 1.5,
    "bias": 3.0,
    "cand_tagged_nonperson": -4.0,
    "cand_in_pronoun_clause": 1.0,
}


# The hand weights as a ranker, so every scorer is a LinearRanker.
hand_scorer = LinearRanker(HAND_WEIGHTS, meta={"source": "hand weights"}, features=FEATURES)


def shipped_ranker() -> LinearRanker | None:
    """The trained pronoun ranker shipped in the package, or None (hand weights apply)."""
    return LinearRanker.load(default_model_path(MODEL_FILE), FEATURES)


def resolve_pronouns(
    ctx: Context,
    scorer: Scorer | None = None,
    threshold: float = 0.0,
    observer: Observer | None = None,
) -> None:
    scorer = scorer or hand_scorer
    pronouns = [m for m in ctx.ms if m.pron is not None]
    speaker_idx = {s for s in ctx.speakers if s is not None}
    # Speakers first: a quote's pronouns are judged against who says it.
    ordered = [p for p in pronouns if p.idx in speaker_idx] + [p for p in pronouns if p.idx not in speaker_idx]
    salience = _salience(ctx)
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
        candidates = candidates_for(ctx, p, speaker_idx, salience)
        if observer is not None:
            observer(ctx, p, candidates)
        if not candidates:
            continue
        # The learned weights come from text with few quotes; inside a quote the
        # hand weights (speaker, addressee, continuity) decide.
        rows = [c.features for c in candidates]
        scores = (hand_scorer if p.quote != -1 else scorer)(rows)
        best = max(range(len(candidates)), key=lambda i: scores[i])
        if scores[best] >= threshold:
            ctx.cl.union(candidates[best].root, p.idx)


def _salience(ctx: Context) -> dict[int, int]:
    """Rank of each named person by mention count: the article's topic comes first."""
    counts: dict[str, int] = {}
    for m in ctx.ms:
        if m.kind == "name" and m.label == "PERSON" and m.name_key:
            counts[m.name_key[-1]] = counts.get(m.name_key[-1], 0) + 1
    order = sorted(counts, key=lambda k: -counts[k])
    return {
        i: order.index(m.name_key[-1])
        for i, m in enumerate(ctx.ms)
        if m.kind == "name" and m.label == "PERSON" and m.name_key
    }


def _clause_verb(tok: Token) -> Token:
    """The predicate of the clause ``tok`` belongs to (a subject's head is its predicate)."""
    t = tok.head if tok.dep_ != "ROOT" else tok
    while t.dep_ not in _CLAUSE_DEPS and t.pos_ not in ("VERB", "AUX") and t.head.i != t.i:
        t = t.head
    return t


def _lca_depth(a: Token, b: Token) -> int:
    anc_b = {t.i for t in [b, *b.ancestors]}
    for t in [a, *a.ancestors]:
        if t.i in anc_b:
            return sum(1 for _ in t.ancestors)
    return 0


def _controller(pverb: Token) -> int | None:
    """`X questioned Y, adding he was not aware`: the reporter of a subjectless
    participle is the subject of the clause it hangs from."""
    verb = pverb.head if pverb.dep_ == "ccomp" else None
    if verb is None or verb.tag_ != "VBG" or verb.lemma_.lower() not in SPEECH_VERBS:
        return None
    if any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        return None
    subj = next((c for c in verb.head.children if c.dep_ in SUBJECT_DEPS), None)
    return subj.i if subj is not None else None


def _predicate_role(tok: Token) -> str | None:
    """`he was a presidential candidate` -> "candidate"."""
    if tok.dep_ != "nsubj" or tok.head.lemma_ != "be":
        return None
    attr = next((c for c in tok.head.children if c.dep_ == "attr" and c.pos_ == "NOUN"), None)
    return attr.lemma_.lower() if attr is not None else None


def _role(dep: str) -> str:
    return "nsubj" if dep in SUBJECT_DEPS else dep


def candidates_for(ctx: Context, p: M, speaker_idx: set[int], salience: dict[int, int]) -> list[Candidate]:
    """Every preceding mention of a compatible cluster, with features; the scorer's
    best mention decides for its cluster."""
    doc = ctx.doc
    info = p.pron
    assert info is not None
    ptok = doc[p.head]
    pverb = _clause_verb(ptok)
    speaker = ctx.speakers[p.quote] if p.quote != -1 and not p.nested_quote else None
    excluded = {ctx.cl.find(p.idx)}
    if speaker is not None:
        excluded.add(ctx.cl.find(speaker))
        addressee = ctx.addressee(p.quote)
        if addressee is not None:
            excluded.add(addressee)
    speaking_roots = {ctx.cl.find(s) for s in speaker_idx if s != p.idx} if p.idx in speaker_idx else set()
    pred_role = _predicate_role(ptok)
    controller = _controller(pverb)
    out: list[Candidate] = []
    persons_between: dict[int, int] = {}
    # Clusters do not change while one pronoun's candidates are gathered, and
    # most clusters have several mentions in the window: their facts once each.
    facts: dict[int, _ClusterFacts] = {}
    for m in reversed(ctx.ms[: p.idx]):
        if m.sent < p.sent - ctx.settings.pronoun_window_sentences:
            break
        if m.start >= p.start or (m.end > p.start and m.start <= p.start):
            continue
        root = ctx.cl.find(m.idx)
        if root in excluded:
            continue
        if m.pron is not None and (len(ctx.cl.members[root]) == 1 or m.pron.person != 3):
            continue  # an unresolved pronoun carries no information
        fact = facts.get(root)
        if fact is None:
            fact = facts[root] = _ClusterFacts.of(ctx, root, salience)
        if not fact.eligible(m, info.gender):
            continue
        genders = fact.genders
        mtok = doc[m.head]
        same_clause_subj = mtok.dep_ in SUBJECT_DEPS and mtok.head.i == pverb.i
        if info.reflexive and not same_clause_subj:
            continue
        if same_clause_subj and not info.possessive and not info.reflexive:
            continue  # binding: `Peskov told him` - him is not Peskov
        persons_between.setdefault(root, len(persons_between))
        f = [0.0] * len(FEATURES)
        dist = p.sent - m.sent
        role, prole = _role(mtok.dep_), _role(ptok.dep_)
        values = {
            "bias": 1.0,
            "sent_dist": float(dist),
            "sent_dist_0": float(dist == 0),
            "sent_dist_1": float(dist == 1),
            "log_token_dist": math.log1p(p.head - m.head),
            f"cand_{role}": 1.0,
            f"pron_{prole}": 1.0,
            "same_role": float(role == prole),
            "cand_main_subject": float(dist > 0 and mtok.dep_ in SUBJECT_DEPS and mtok.head.dep_ == "ROOT"),
            "lca_depth": float(_lca_depth(ptok, mtok)) if dist == 0 else 0.0,
            # Hobbs: the pronoun's own clause is searched first (`while Putin did prefer
            # Trump, he did not ...`: Putin sits in a clause hanging from he's verb).
            "cand_in_pronoun_clause": float(dist == 0 and pverb.left_edge.i <= mtok.i <= pverb.right_edge.i),
            "possessive_same_clause_subject": float(info.possessive and same_clause_subj),
            "controller": float(mtok.i == controller),
            "same_quote": float(p.quote != -1 and m.quote == p.quote),
            "cand_in_other_quote": float(m.quote != -1 and m.quote != p.quote),
            "pron_in_quote": float(p.quote != -1),
            "speaker_continuity": float(root in speaking_roots),
            "log_cluster_size": fact.log_size,
            "cluster_names": float(fact.names),
            "entity_rank_0": float(fact.rank_0),
            "first_mention_early": float(fact.early),
            "cand_name": float(m.kind == "name"),
            "cand_nominal": float(m.kind == "nominal"),
            "cand_pronoun": float(m.kind == "pronoun"),
            "gender_known": float(bool(genders)),
            "pron_possessive": float(info.possessive),
            "cand_first_in_sentence": float(m.start_tok == ctx.sentence_start(m.head)),
            "intervening_persons": float(persons_between[root]),
        }
        if pred_role is not None:
            roles = ctx.cl.roles(root)
            values["pred_role_match"] = float(pred_role in roles)
            values["pred_role_clash"] = float(bool(roles) and pred_role not in roles)
        values["cand_unlabelled"] = float(not fact.person and not fact.nonperson)
        values["cand_tagged_nonperson"] = float(fact.nonperson)
        for name, v in values.items():
            if name in _INDEX:
                f[_INDEX[name]] = v
        out.append(Candidate(root, m, f))
    cataphor = _cataphoric_subject(ctx, p)
    if cataphor is not None:
        root = ctx.cl.find(cataphor.idx)
        fact = facts.get(root) or _ClusterFacts.of(ctx, root, salience)
        if root not in excluded and fact.eligible(cataphor, info.gender):
            f = [0.0] * len(FEATURES)
            for name, v in (
                ("bias", 1.0),
                ("cataphoric", 1.0),
                ("cand_nsubj", 1.0),
                ("cand_name", 1.0),
                ("log_cluster_size", fact.log_size),
                ("gender_known", float(bool(fact.genders))),
                ("pron_possessive", float(info.possessive)),
                ("cand_unlabelled", float(not fact.person)),
            ):
                f[_INDEX[name]] = v
            out.append(Candidate(root, cataphor, f))
    return out


@dataclass(slots=True)
class _ClusterFacts:
    """What ranking a pronoun's candidates asks of one cluster."""

    genders: set[str]
    person: bool
    nonperson: bool
    never_person: bool  # no name, or a name of a kind that is never a person
    log_size: float
    names: bool
    rank_0: bool
    early: bool

    @staticmethod
    def of(ctx: Context, root: int, salience: dict[int, int]) -> _ClusterFacts:
        ms = ctx.cl.mentions_of(root)
        names = [x for x in ms if x.kind == "name"]
        return _ClusterFacts(
            genders=ctx.cl.genders(root),
            person=ctx.cl.is_person(root),
            nonperson=ctx.cl.is_nonperson(root),
            never_person=not names or any(x.label in NEVER_PEOPLE for x in names),
            log_size=math.log(len(ms)),
            names=bool(names),
            rank_0=any(salience.get(x.idx) == 0 for x in ms),
            early=min(x.sent for x in ms) == 0,
        )

    def eligible(self, m: M, gender: str) -> bool:
        """A singular person, or a single name the tagger labelled otherwise (surnames
        are often tagged ORG or GPE; the ranker weighs that label), of a compatible gender."""
        if m.number != "sg":
            return False
        if not self.person and self.never_person:
            return False
        return not self.genders or self.genders == {gender}


def _cataphoric_subject(ctx: Context, p: M) -> M | None:
    """`After his retirement, Smith moved to Ohio`: a pronoun in a phrase fronted before
    the main clause may point forward to that clause's subject."""
    ptok = ctx.doc[p.head]
    root = ptok.sent.root
    subj = next((c for c in root.children if c.dep_ in SUBJECT_DEPS and c.i > ptok.i), None)
    if subj is None:
        return None
    fronted = next((c for c in root.children if c.i < subj.i and c.left_edge.i <= ptok.i <= c.right_edge.i), None)
    if fronted is None or fronted.dep_ not in ("prep", "advcl", "npadvmod", "advmod", "pcomp"):
        return None
    return next((m for m in ctx.ms if m.head == subj.i and m.kind == "name"), None)
