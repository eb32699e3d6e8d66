"""Precision-ordered clustering passes, after the multi-pass sieve (Lee et al. 2013).

Each pass is a plain function over a ``Context``; the strongest evidence (the
same name) runs first, so later, weaker passes see clusters that already carry
names, roles and genders. ``PASSES`` lists them in order.
"""

from __future__ import annotations

from collections.abc import Callable

from storylens.coref.context import Context, Observer, Scorer
from storylens.coref.descriptions import link_descriptions
from storylens.coref.mentions import M
from storylens.coref.pronouns import resolve_pronouns
from storylens.coref.things import resolve_things
from storylens.nlp.vocab import ALIAS_LABELS, PERSON, SPEECH_VERBS, SUBJECT_DEPS


def exact_name_match(ctx: Context) -> None:
    first: dict[tuple[str, ...], int] = {}
    for m in ctx.ms:
        if m.kind != "name" or not m.name_key:
            continue
        if m.name_key in first:
            ctx.cl.union(first[m.name_key], m.idx)
        else:
            first[m.name_key] = m.idx


def name_alias_match(ctx: Context) -> None:
    """`Putin`, `President Putin` and `Vladimir Putin`; `Hillary` and `Hillary Clinton`."""
    full = [m for m in ctx.ms if m.kind == "name" and m.label == PERSON and len(m.name_key) >= 2]
    for m in ctx.ms:
        if m.kind != "name" or not m.name_key or m.label not in ALIAS_LABELS:
            continue
        key = m.name_key
        targets: dict[int, M] = {}
        for f in full:
            if f.idx == m.idx or (len(f.name_key) <= len(key) and f.name_key != key):
                continue
            fk = f.name_key
            if (len(key) == 1 and key[0] in (fk[0], fk[-1])) or (
                len(key) >= 2 and key[0] == fk[0] and key[-1] == fk[-1]
            ):
                targets.setdefault(ctx.cl.find(f.idx), f)
        if len(targets) == 1:
            ((root, f),) = targets.items()
            if len(ctx.cl.genders(root) | ctx.cl.genders(m.idx)) <= 1:
                ctx.cl.union(root, m.idx)


_ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "&", "de"})


def acronym_match(ctx: Context) -> None:
    """`DH` after `Digital Humanities`, `NATO` after `the North Atlantic Treaty
    Organization`: an all-capitals word spelled by a name's initials."""
    initials: dict[str, int] = {}
    for m in ctx.ms:
        if m.kind != "name" or m.label == PERSON:
            continue
        words = [t.text for t in ctx.doc[m.start_tok : m.end_tok] if t.is_alpha]
        if len(words) == 1 and words[0].isupper() and 2 <= len(words[0]) <= 6:
            root = initials.get(words[0])
            if root is not None and ctx.cl.compatible(root, m.idx):
                ctx.cl.union(root, m.idx)
            continue
        spelled = "".join(w[0] for w in words if w.lower() not in _ACRONYM_SKIP and w[0].isupper())
        if len(spelled) >= 2:
            initials.setdefault(spelled, m.idx)


def appositive_match(ctx: Context) -> None:
    """`Trump's national security adviser, Michael Flynn` and `the other candidate, Donald Trump`."""
    heads = ctx.by_head()
    for tok in ctx.doc:
        if tok.dep_ != "appos":
            continue
        a = _largest(heads.get(tok.head.i, []))
        b = _largest(heads.get(tok.i, []))
        if a is None or b is None or a.pron or b.pron:
            continue
        name, nominal = (a, b) if a.kind == "name" else (b, a)
        if name.kind != "name" or nominal.kind != "nominal":
            continue
        if ctx.cl.compatible(name.idx, nominal.idx):
            ctx.cl.union(name.idx, nominal.idx)
            if nominal.role:
                ctx.cl.learn_role(name.idx, nominal.role, nominal.role_mods)


def predicate_roles(ctx: Context) -> None:
    """`Flynn was the national security adviser`: learn the role, link nothing."""
    heads = ctx.by_head()
    for tok in ctx.doc:
        if tok.dep_ != "attr" or tok.head.lemma_ != "be" or tok.pos_ != "NOUN":
            continue
        subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
        m = _largest(heads.get(subj.i, [])) if subj is not None else None
        if m is not None and m.kind == "name" and m.label == PERSON:
            ctx.cl.learn_role(m.idx, tok.lemma_.lower())


def lead_role_introduction(ctx: Context) -> None:
    """News leads name a person by role first (`Putin's spokesman said ...`) and by
    name later (`Dmitry Peskov told CNN`): link the role to the first person who is
    then introduced speaking."""
    leads = [
        m
        for m in ctx.ms
        if m.kind == "nominal"
        and m.animate
        and m.sent <= 1
        and m.quote == -1
        and m.number == "sg"
        and (not m.definite or m.has_name_inside)
    ]
    speakers = _speaking_mentions(ctx)
    for lead in leads:
        if len(ctx.cl.mentions_of(lead.idx)) > 1 or ctx.doc[lead.head].dep_ not in SUBJECT_DEPS:
            continue
        for m in ctx.ms:
            if m.start <= lead.end or m.kind != "name" or m.label != PERSON or ctx.first_mention(m) is not m:
                continue
            if m.sent > lead.sent + ctx.settings.lead_window_sentences:
                break
            roles = ctx.cl.roles(m.idx)
            if m.idx not in speakers or (roles and lead.role not in roles):
                continue
            if ctx.cl.compatible(m.idx, lead.idx):
                ctx.cl.union(m.idx, lead.idx)
                if lead.role:
                    ctx.cl.learn_role(m.idx, lead.role, lead.role_mods)
            break


def role_descriptions(ctx: Context) -> None:
    """`the Russian ambassador`, `the spokesman`: a role this article gave one named person."""
    named = {ctx.cl.find(m.idx) for m in ctx.ms if m.kind == "name" and m.label == PERSON}
    for d in ctx.ms:
        if d.kind != "nominal" or not d.animate or d.has_name_inside or d.number != "sg":
            continue
        if not d.definite or len(ctx.cl.mentions_of(d.idx)) > 1 or ctx.has_possessor(d):
            continue
        fits: list[tuple[int, bool, bool]] = []  # root, modifiers match, modifiers clash
        for root in named:
            mods = ctx.cl.roles(root).get(d.role or "")
            if mods is None or not ctx.cl.compatible(root, d.idx):
                continue
            known = mods | _name_words(ctx, root)
            fits.append((root, d.role_mods <= known, bool(d.role_mods and mods and not d.role_mods & known)))
        exact = [r for r, ok, _ in fits if ok]
        if len(exact) == 1:
            ctx.cl.union(exact[0], d.idx)
        elif len(fits) == 1 and not fits[0][2]:
            # The only person with this role, described with words we never saw (`the Kremlin spokesman`).
            ctx.cl.union(fits[0][0], d.idx)


_PERSON_GROUPS = {
    "i": "I",
    "me": "I",
    "my": "I",
    "mine": "I",
    "myself": "I",
    "we": "we",
    "us": "we",
    "our": "we",
    "ours": "we",
    "ourselves": "we",
    "you": "you",
    "your": "you",
    "yours": "you",
    "yourself": "you",
    "yourselves": "you",
}


def discourse_persons(ctx: Context) -> None:
    """Outside quotes the writer's `I`s are one person, their `we`s one group and
    their `you`s one addressee (the speaker sieve of Lee et al.); inside quotes,
    the `we`s of one speaker go together. Runs after pronouns, whose quote
    speakers it needs."""
    first: dict[tuple[object, str], int] = {}
    for m in ctx.ms:
        group = _PERSON_GROUPS.get(m.text.lower()) if m.pron is not None else None
        if group is None or m.nested_quote:
            continue
        if m.quote == -1:
            key: tuple[object, str] = ("writer", group)
        elif group == "we" and ctx.speakers[m.quote] is not None:
            key = (ctx.cl.find(ctx.speakers[m.quote]), group)  # type: ignore[arg-type]
        else:
            continue
        if key in first:
            ctx.cl.union(first[key], m.idx)
        else:
            first[key] = m.idx


PASSES: tuple[Callable[[Context], None], ...] = (
    exact_name_match,
    name_alias_match,
    acronym_match,
    appositive_match,
    predicate_roles,
    lead_role_introduction,
    role_descriptions,
)


PASSES_BY_NAME: dict[str, Callable[[Context], None]] = {p.__name__: p for p in PASSES}


def passes_named(names: list[str] | tuple[str, ...] | None) -> tuple[Callable[[Context], None], ...]:
    """The passes called ``names``, in ``PASSES`` order (all of them for None)."""
    if names is None:
        return PASSES
    unknown = sorted(set(names) - set(PASSES_BY_NAME))
    if unknown:
        raise ValueError(f"unknown coreference pass(es) {', '.join(unknown)}; known: {', '.join(PASSES_BY_NAME)}")
    return tuple(p for p in PASSES if p.__name__ in names)


def run_passes(
    ctx: Context,
    scorer: Scorer | None = None,
    observer: Observer | None = None,
    description_scorer: Scorer | None = None,
    description_observer: Observer | None = None,
    passes: tuple[Callable[[Context], None], ...] = PASSES,
) -> None:
    """The clustering passes in order, definite descriptions (ranked by
    ``description_scorer``, else the strict head-match rule), then pronouns
    (ranked by ``scorer``)."""
    for p in passes:
        p(ctx)
    link_descriptions(ctx, description_scorer, description_observer)
    resolve_pronouns(ctx, scorer, observer=observer)
    discourse_persons(ctx)
    resolve_things(ctx)


# helpers ----------------------------------------------------------------


def _largest(ms: list[M]) -> M | None:
    return max(ms, key=lambda m: m.end - m.start) if ms else None


def _name_words(ctx: Context, root: int) -> set[str]:
    return {w for m in ctx.cl.mentions_of(root) if m.kind == "name" for w in m.name_key}


def _speaking_mentions(ctx: Context) -> set[int]:
    """Mentions that are the subject of a speech verb or a quote's attributed speaker."""
    out = {s for s in ctx.speakers if s is not None}
    heads = ctx.by_head()
    for tok in ctx.doc:
        if tok.dep_ in SUBJECT_DEPS and tok.head.lemma_.lower() in SPEECH_VERBS:
            for m in heads.get(tok.i, []):
                out.add(m.idx)
    return out
