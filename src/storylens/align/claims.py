"""Claims: sentences in the writer's voice, aligned across outlets.

A claim is a sentence whose words are mostly not a direct quote. It is matched
on its resolved text (so "he" reads as the person): pairs close enough in the
sentence embedding go to the same-claim judge (``same_claim.py``). Every pair of claims is scored up to
``ClaimSettings.exact_limit`` claims (a matrix product; cheap next to embedding
them); beyond that, candidate pairs come from random-hyperplane LSH over the
embeddings, so the work grows with the number of claims times the (small)
bucket size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from spacy.tokens import Doc, Span, Token

from storylens.align.same_claim import Judge, Pair, judge_pairs
from storylens.align.settings import ClaimSettings
from storylens.model import Claim, Cluster, Resolution
from storylens.nlp.vocab import GOVERNING_VERBS, SPEECH_VERBS, SUBJECT_DEPS, VERB_POS
from storylens.quotes.regions import QuoteIndex, find_quotes
from storylens.textedit import OffsetMap

DEFAULT = ClaimSettings()


@dataclass(slots=True)
class ClaimGroup:
    id: str
    claims: list[Claim] = field(default_factory=list)
    # Claims of other articles that state part of this group's claim (or this group
    # states part of theirs): the main clauses agree, the whole sentences do not.
    partial: list[Claim] = field(default_factory=list)

    @property
    def partial_articles(self) -> list[str]:
        return sorted({c.article_id for c in self.partial} - set(self.articles))

    @property
    def articles(self) -> list[str]:
        return sorted({c.article_id for c in self.claims})

    @property
    def text(self) -> str:
        return max(self.claims, key=lambda c: len(c.resolved)).resolved


def extract_claims(res: Resolution, doc: Doc, settings: ClaimSettings = DEFAULT) -> list[Claim]:
    text = res.article.text
    quotes = res.quote_index or QuoteIndex(find_quotes(text))
    omap = OffsetMap(res.edits)
    cluster_of_head = {m.head: c for c in res.clusters for m in c.mentions if m.head >= 0}
    out = []
    for sent in doc.sents:
        for start, end in _clauses(sent, text):
            if len(text[start:end].split()) < settings.min_words or not _has_verb(sent, start, end):
                continue  # too short, or a heading or caption that asserts nothing
            quoted = sum(
                min(end, r.end) - max(start, r.start) for r in quotes.regions if r.start < end and start < r.end
            )
            is_quote = quoted > settings.max_quoted_share * (end - start)
            if is_quote and not settings.keep_quoted:
                continue
            resolved = res.resolved[omap.to_target(start) : omap.to_target(end)]
            claim = Claim(res.article.id, start, end, text[start:end], resolved, _reported_by(sent, cluster_of_head))
            claim.quoted = is_quote
            claim.core = _core(sent, start, end)
            verb = _main_verb(sent)
            if start <= verb.idx < end:
                claim.verb = verb.lemma_.lower()
                claim.negated = any(c.dep_ == "neg" for c in verb.children)
                claim.args = event_args(verb, cluster_of_head)
                agent = _agent(verb)
                if agent is not None and start <= agent.idx and agent.idx + len(agent) <= end:
                    claim.agent_start, claim.agent_end = agent.idx, agent.idx + len(agent.text)
            out.append(claim)
    return out


# Dependents that add circumstances to a claim rather than state it: `after talks
# collapsed`, `who faces an election`, `, a spokeswoman for the authority,`.
_ASIDE_DEPS = frozenset({"advcl", "relcl", "acl", "appos", "parataxis"})


def _core(sent: Span, start: int, end: int) -> str:
    """The claim's main clause: what is reported (`X said that ...` keeps the `...`),
    without adverbial and relative clauses and appositions; empty when that is
    the whole claim."""
    tokens = [t for t in sent if start <= t.idx < end]
    root = sent.root
    reported = next((c for c in root.children if c.dep_ == "ccomp"), None)
    dropped: set[int] = set()
    if reported is not None and root.lemma_.lower() in SPEECH_VERBS:
        inside = {x.i for x in reported.subtree}
        dropped.update(t.i for t in tokens if t.i not in inside)
    for t in tokens:
        if t.dep_ in _ASIDE_DEPS and t.head.i != t.i:
            dropped.update(x.i for x in t.subtree)
    if not dropped:
        return ""
    kept = [t for t in tokens if t.i not in dropped]
    words = "".join(t.text_with_ws for t in kept).strip(" ,;")
    return words if len(words.split()) >= 3 else ""


def _main_verb(sent: Span) -> Token:
    """The verb that states the claim: the root, or what it reports (`X said that ...`),
    or the verb it governs (`was forced to resign`)."""
    root = sent.root
    if root.lemma_.lower() in SPEECH_VERBS:
        reported = next((c for c in root.children if c.dep_ == "ccomp"), None)
        if reported is not None:
            root = reported
    if root.lemma_.lower() in GOVERNING_VERBS:
        governed = next((c for c in root.children if c.dep_ == "xcomp" and c.pos_ in VERB_POS), None)
        if governed is not None:
            return governed
    return root


# Dependents of the main verb that name who or what the event involves.
_ARG_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "dative", "oprd", "acomp"})


def event_args(verb: Token, cluster_of_head: dict[int, Cluster] | None = None) -> tuple[str, ...]:
    """Heads of the event's participants: subject, objects, prepositional objects
    (`arrested [him] in [Paris]`), lower-cased lemmas, names by their last word;
    a pronoun by the last word of its cluster's name; a name in apposition
    (`the adviser, Michael Flynn`) beside its head. A governed verb without a
    subject (`Flynn was forced to resign`) takes its governor's."""
    out = []
    heads = []
    for c in verb.children:
        if c.dep_ in _ARG_DEPS:
            heads.append(c)
        elif c.dep_ in ("prep", "agent"):
            heads.extend(g for g in c.children if g.dep_ == "pobj")
    if verb.dep_ == "xcomp" and not any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        heads.extend(c for c in verb.head.children if c.dep_ in SUBJECT_DEPS)
    heads += [a for h in heads for a in h.children if a.dep_ == "appos"]
    for h in heads:
        if h.pos_ in ("PRON", "DET", "PUNCT"):
            cluster = (cluster_of_head or {}).get(h.i)
            if cluster is not None and cluster.canonical:
                out.append(cluster.canonical.split()[-1].lower())
            continue
        out.append(h.text.lower() if h.pos_ == "PROPN" else h.lemma_.lower())
    return tuple(sorted(set(out)))


def _agent(verb: Token) -> Token | None:
    """The head of the verb's doer: its active subject, or the object of a passive `by`."""
    for c in verb.children:
        if c.dep_ == "nsubj":
            return c
        if c.dep_ == "agent":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def _has_verb(sent: Span, start: int, end: int) -> bool:
    return any(t.pos_ in VERB_POS for t in sent if start <= t.idx < end)


def _clauses(sent: Span, text: str) -> list[tuple[int, int]]:
    """Split `X was fired ... and Y has come under fire ...` into its two claims:
    a conjoined verb with a subject of its own starts a new one."""
    cuts = []
    main = {sent.root.i} | {t.i for t in sent.root.conjuncts}
    for tok in sent:
        if (
            tok.dep_ == "conj"
            and tok.head.i in main
            and tok.pos_ in VERB_POS
            and any(c.dep_ in SUBJECT_DEPS for c in tok.children)
            and not any(c.dep_ == "mark" for c in tok.children)
            and tok.left_edge.pos_ not in ("SCONJ", "ADP")
            and tok.left_edge.lower_ not in ("that", "whether", "which", "who")
        ):
            left = tok.left_edge
            cc = left.nbor(-1) if left.i > sent.start else None
            if cc is not None and cc.dep_ == "cc":
                cuts.append((cc.idx, left.idx))
    spans, start = [], sent.start_char
    for cut_end, next_start in sorted(cuts):
        spans.append((start, cut_end))
        start = next_start
    spans.append((start, sent.end_char))
    out = []
    for a, b in spans:
        # spaCy sentences can straddle a closing quote mark and a paragraph break.
        for piece_start, piece_end in _paragraph_pieces(text, a, b):
            while piece_end > piece_start and text[piece_end - 1] in " \n,;":
                piece_end -= 1
            while piece_start < piece_end and (text[piece_start].isspace() or text[piece_start] in '”"’'):
                piece_start += 1
            if piece_start < piece_end:
                out.append((piece_start, piece_end))
    return out


def _paragraph_pieces(text: str, a: int, b: int) -> list[tuple[int, int]]:
    pieces, start = [], a
    while (cut := text.find("\n", start, b)) != -1:
        pieces.append((start, cut))
        start = cut + 1
    pieces.append((start, b))
    return pieces


def _reported_by(sent: Span, cluster_of_head: dict[int, Cluster]) -> str | None:
    """Indirect speech (`Peskov said that ...`): the claim is attributed to the
    subject, named by the cluster its head word belongs to (`A spokesman for
    Putin said` is the spokesman's claim, not Putin's), else by its own words."""
    root = sent.root
    if root.lemma_.lower() not in SPEECH_VERBS:
        return None
    subj = next((c for c in root.children if c.dep_ == "nsubj"), None)
    if subj is None:
        return None
    cluster = cluster_of_head.get(subj.i)
    if cluster is not None and cluster.canonical:
        return cluster.canonical
    return sent.doc[subj.left_edge.i : subj.right_edge.i + 1].text


def candidate_pairs(
    vectors: np.ndarray, min_cosine: float, settings: ClaimSettings = DEFAULT, seed: int = 13
) -> set[tuple[int, int]]:
    """Pairs that may reach ``min_cosine``: every such pair up to ``exact_limit``
    claims (one matrix product per block), LSH buckets beyond it."""
    n = len(vectors)
    if n < 2:
        return set()
    if n <= settings.exact_limit:
        pairs: set[tuple[int, int]] = set()
        for start in range(0, n, settings.exact_block):
            sims = vectors[start : start + settings.exact_block] @ vectors.T
            for a, b in zip(*np.nonzero(sims >= min_cosine), strict=True):
                i, j = start + int(a), int(b)
                if i < j:
                    pairs.add((i, j))
        return pairs
    rng = np.random.default_rng(seed)
    lsh_pairs: set[tuple[int, int]] = set()
    weights = 1 << np.arange(settings.lsh_bits)
    for _ in range(settings.lsh_tables):
        planes = rng.standard_normal((vectors.shape[1], settings.lsh_bits)).astype(np.float32)
        keys = ((vectors @ planes) > 0).astype(np.int64) @ weights
        buckets: dict[int, list[int]] = {}
        for i, k in enumerate(keys.tolist()):
            buckets.setdefault(k, []).append(i)
        for members in buckets.values():
            for a in range(len(members)):
                for b in range(a + 1, len(members)):
                    lsh_pairs.add((members[a], members[b]))
    return lsh_pairs


# Sentence vectors and token vectors of texts, in order (``Embedder.encode_with_tokens``).
Encoder = Callable[[list[str]], tuple[np.ndarray, list[np.ndarray]]]


def search_core(claim: Claim, settings: ClaimSettings = DEFAULT) -> str:
    """The main clause that partial support is searched by (its own vector), or
    "" when the claim has none or it is most of the sentence, whose vector then
    stands for it."""
    return claim.core if claim.core and len(claim.core) < settings.core_search_share * len(claim.resolved) else ""


def link_partial(
    claims: list[Claim],
    vectors: np.ndarray,
    accepted: set[tuple[int, int]],
    judge: Judge,
    group_of: dict[int, ClaimGroup],
    encode: Encoder,
    settings: ClaimSettings,
) -> None:
    """Pairs in different facts whose main clauses state the same thing (`went on
    strike on Tuesday` / `walked off the job on Tuesday after talks collapsed`):
    each group records the other's claim as partial support. Candidates are found
    by main-clause vectors too, since a long sentence's extra clauses pull its
    whole-sentence cosine below the prefilter."""
    with_core = [k for k, c in enumerate(claims) if search_core(c, settings)]
    core_texts = list(dict.fromkeys(claims[k].core for k in with_core))
    core_vectors = encode(core_texts)[0]
    row = {t: k for k, t in enumerate(core_texts)}
    mains = vectors.copy()
    for k in with_core:
        mains[k] = core_vectors[row[claims[k].core]]
    n = len(claims)
    # Whole sentences and main clauses in one search: a row k >= n is claim k - n's main clause.
    found = {
        (a % n, b % n)
        for a, b in candidate_pairs(np.concatenate([vectors, mains]), settings.prefilter_cosine, settings)
    }
    todo = [
        (i, j)
        for i, j in sorted({(min(a, b), max(a, b)) for a, b in found if a != b})
        if (i, j) not in accepted
        and claims[i].article_id != claims[j].article_id
        and group_of[id(claims[i])] is not group_of[id(claims[j])]
        and (claims[i].core or claims[j].core)
    ]
    if not todo:
        return
    texts = list(dict.fromkeys(claims[k].core or claims[k].resolved for pair in todo for k in pair))
    vecs, toks = encode(texts)
    at = {t: k for k, t in enumerate(texts)}
    pairs = []
    for i, j in todo:
        a, b = at[claims[i].core or claims[i].resolved], at[claims[j].core or claims[j].resolved]
        pairs.append(Pair(texts[a], texts[b], float(vecs[a] @ vecs[b]), toks[a], toks[b]))
    for (i, j), p in zip(todo, judge_pairs(judge, pairs, settings.prefilter_cosine), strict=True):
        if p >= judge.threshold:
            group_of[id(claims[i])].partial.append(claims[j])
            group_of[id(claims[j])].partial.append(claims[i])
