"""Each outlet's verdict on each fact, from every statement of its article.

An article *reports* a fact when one of its statements is in the fact, or when
its best statement (headline, narration or quotation, wherever it was grouped)
agrees with one of the fact's statements as strongly as statements are joined
into facts; it *reports part* of it above the ``partial`` threshold (chosen on
ECB+ dev) or when a statement's main clause states the fact (partial
support); it *contradicts* it when a conflict puts one of its statements on
the other side; otherwise it *does not report* it (``absent``), with the
confidence that its best statement is another event. Every verdict carries
its evidence: offsets into the article's cleaned text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from storylens.align.claims import ClaimGroup
from storylens.align.fact_pairs import FactModel
from storylens.align.facts import FactGraph
from storylens.model import Article, Claim

VERDICTS = ("reports", "partial", "contradicts", "absent")


@dataclass(slots=True)
class Verdict:
    fact: str
    article: str
    verdict: str
    confidence: float
    evidence: list[Claim] = field(default_factory=list)


def support(k: int, members: Sequence[int], neighbours: Sequence[dict[int, float]], claims: Sequence[Claim]) -> float:
    """How strongly statement ``k`` states a fact: its highest probability with
    one of the fact's statements of other articles (0 for unscored pairs). The
    highest, not the mean: a fact told in many words by many outlets is
    reported by whoever states one of its versions."""
    me = claims[k].article_id
    return max((neighbours[k].get(m, 0.0) for m in members if claims[m].article_id != me), default=0.0)


def contradictions(conflicts: Sequence[dict], facts: Sequence[ClaimGroup]) -> dict[str, dict[str, list[Claim]]]:
    """Fact id -> article id -> the statements by which that article contradicts the fact.

    Within a fact, the articles whose value is held by fewer articles than the
    most common one (no side when the two are tied); across two facts (an
    outcome that excludes the other's), each side contradicts the other fact.
    """
    by_id = {f.id: f for f in facts}
    out: dict[str, dict[str, list[Claim]]] = {}

    def statement(fact: ClaimGroup, article: str, span: Sequence[int]) -> Claim | None:
        return next((c for c in fact.claims if (c.article_id, c.start, c.end) == (article, *span)), None)

    for conflict in conflicts:
        spans = conflict.get("spans", {})
        if "other" in conflict:
            for fact_id, other_id in ((conflict["claim"], conflict["other"]), (conflict["other"], conflict["claim"])):
                fact, other = by_id.get(fact_id), by_id.get(other_id)
                if fact is None or other is None:
                    continue
                for article, span in spans.items():
                    c = statement(other, article, span)
                    if c is not None and article not in fact.articles:
                        out.setdefault(fact_id, {}).setdefault(article, []).append(c)
            continue
        fact = by_id.get(conflict["claim"])
        if fact is None:
            continue
        counts = Counter(tuple(v) for v in conflict["values"].values())
        ranked = counts.most_common()
        if len(ranked) < 2 or ranked[0][1] == ranked[1][1]:
            continue
        for article, value in conflict["values"].items():
            if counts[tuple(value)] < ranked[0][1]:
                mine = [c for c in fact.claims if c.article_id == article]
                out.setdefault(fact.id, {}).setdefault(article, []).extend(mine)
    return out


def judge_verdicts(
    articles: Sequence[Article],
    facts: Sequence[ClaimGroup],
    graph: FactGraph,
    model: FactModel,
    conflicts: Sequence[dict] = (),
) -> list[Verdict]:
    """One verdict per fact and article, most confident evidence first."""
    claims = graph.claims
    neighbours = graph.neighbours()
    by_article: dict[str, list[int]] = {}
    for k, c in enumerate(claims):
        by_article.setdefault(c.article_id, []).append(k)
    against = contradictions(conflicts, facts)
    out = []
    for fact in facts:
        members = [graph.position(c) for c in fact.claims]
        partial_of: dict[str, Claim] = {}
        for c in fact.partial:
            partial_of.setdefault(c.article_id, c)
        contra = against.get(fact.id, {})
        for a in articles:
            mine = [k for k in members if claims[k].article_id == a.id]
            scored = sorted(
                ((support(k, members, neighbours, claims), k) for k in by_article.get(a.id, ()) if k not in mine),
                reverse=True,
            )
            best, top = scored[0] if scored else (0.0, -1)
            if a.id in contra:
                evidence = list({id(c): c for c in contra[a.id]}.values())
                out.append(Verdict(fact.id, a.id, "contradicts", round(max(best, model.partial, 0.5), 3), evidence))
            elif mine:
                strength = {k: support(k, members, neighbours, claims) for k in mine}
                mine.sort(key=lambda k: (claims[k].quoted, -strength[k], claims[k].start))
                alone = all(claims[m].article_id == a.id for m in members)
                confidence = 1.0 if alone else max(max(strength.values()), model.reports)
                out.append(Verdict(fact.id, a.id, "reports", round(confidence, 3), [claims[k] for k in mine]))
            elif best >= model.reports:
                out.append(Verdict(fact.id, a.id, "reports", round(best, 3), [claims[top]]))
            elif best >= model.partial:
                out.append(Verdict(fact.id, a.id, "partial", round(best, 3), [claims[top]]))
            elif a.id in partial_of:
                out.append(Verdict(fact.id, a.id, "partial", round(max(best, model.partial), 3), [partial_of[a.id]]))
            else:
                # The article's closest statement, so a reader can check the verdict.
                evidence = [claims[top]] if top >= 0 else []
                out.append(Verdict(fact.id, a.id, "absent", round(1.0 - best, 3), evidence))
    return out


def central(n_articles: int, reports: int) -> bool:
    """A fact most outlets report."""
    return reports * 2 > n_articles


def check_invariants(cmp) -> list[str]:
    """What no comparison may show, checked against the scored statements
    themselves rather than the verdicts' labels; an empty list when it holds.
    Read by the tests and the benchmarks.

    - a fact "only in X" has no statement of another article in it, and none
      that agrees with it at the ``partial`` threshold;
    - an article said to leave a fact out has no statement in it, and none
      that agrees with it at the ``reports`` threshold, in whatever row;
    - every evidence span quotes its article's cleaned text.
    """
    graph, model = cmp.graph, cmp.fact_model
    claims, neighbours = graph.claims, graph.neighbours()
    text_of = {a.id: a.text for a in cmp.articles}

    def strongest(fact: ClaimGroup, article: str) -> tuple[float, int]:
        """The article's best agreement with the fact (1 for a statement in it), and where."""
        members = [graph.position(c) for c in fact.claims]
        inside = [m for m in members if claims[m].article_id == article]
        if inside:
            return 1.0, claims[inside[0]].start
        scored = [
            (support(k, members, neighbours, claims), claims[k].start)
            for k, c in enumerate(claims)
            if c.article_id == article
        ]
        return max(scored, default=(0.0, -1))

    problems = []
    for a in cmp.articles:
        for f in cmp.unique_claims(a.id):
            for other in cmp.articles:
                if other.id != a.id and (found := strongest(f, other.id))[0] >= model.partial:
                    problems.append(f"{f.id} is only in {a.id}, yet {other.id}'s statement at {found[1]} states it")
        for f in cmp.omitted_claims(a.id):
            if (found := strongest(f, a.id))[0] >= model.reports:
                problems.append(f"{a.id} leaves out {f.id}, yet its statement at {found[1]} states it")
    for v in cmp.verdicts:
        for c in v.evidence:
            if text_of[c.article_id][c.start : c.end] != c.text:
                problems.append(f"evidence of {v.article} on {v.fact} does not quote its text at {c.start}-{c.end}")
    return problems


def label(fact: ClaimGroup, graph: FactGraph, max_chars: int = 220) -> Claim:
    """The fact's most central statement: in the writer's voice where one is, closest to the others."""
    neighbours = graph.neighbours()
    members = [graph.position(c) for c in fact.claims]

    def closeness(c: Claim) -> tuple[bool, bool, float, int]:
        k = graph.position(c)
        agreement = sum(neighbours[k].get(m, 0.0) for m in members if m != k)
        return (not c.quoted, len(c.text) <= max_chars, agreement, -c.start)

    return max(fact.claims, key=closeness)
