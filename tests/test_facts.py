"""Facts (statements clustered by the event they report), verdicts and their invariants."""

from __future__ import annotations

from storylens.align.conflicts import find_conflicts, number_conflicts, outcome_conflicts
from storylens.align.fact_pairs import HAND, FactModel
from storylens.align.facts import FactGraph, average_linkage, build_facts
from storylens.align.verdicts import contradictions, judge_verdicts, label
from storylens.model import Article, Claim

MODEL = FactModel(weights=HAND.weights, merge=0.5, reports=0.5, partial=0.2, absent=0.2)


def _claim(article: str, start: int, text: str, **kw) -> Claim:
    return Claim(article, start, start + len(text), text, text, None, **kw)


def test_average_linkage_does_not_chain_look_alikes() -> None:
    # a~b and b~c are strong, a~c unscored: single linkage would join all three.
    groups = average_linkage(3, {(0, 1): 0.9, (1, 2): 0.8}, 0.6)
    assert sorted(groups) == [[0, 1], [2]]
    assert average_linkage(3, {(0, 1): 0.9, (1, 2): 0.8, (0, 2): 0.7}, 0.6) == [[0, 1, 2]]


def test_an_article_that_states_a_fact_twice_keeps_both_statements_in_it() -> None:
    claims = [
        _claim("a", 0, "Port workers strike over pay"),
        _claim("a", 40, "Workers at the port went on strike on Tuesday over pay."),
        _claim("b", 0, "Dockworkers walked off the job on Tuesday."),
        _claim("c", 0, "The mayor opened a new library."),
    ]
    probs = {(0, 1): 0.7, (0, 2): 0.6, (1, 2): 0.8, (2, 3): 0.05}
    facts, group_of = build_facts(FactGraph(claims, probs), MODEL)
    strike = facts[0]
    assert strike.articles == ["a", "b"] and len(strike.claims) == 3
    assert len(group_of) == 4 and group_of[id(claims[3])] is facts[1]


def test_a_fact_needs_a_statement_in_the_writers_voice() -> None:
    claims = [
        _claim("a", 0, "“We will strike,” he said.", quoted=True),
        _claim("b", 0, "“We strike,” she said.", quoted=True),
    ]
    facts, group_of = build_facts(FactGraph(claims, {(0, 1): 0.9}), MODEL)
    assert facts == [] and len(group_of) == 2


def _three_outlets() -> tuple[list[Article], list[Claim], FactGraph]:
    arts = [Article(x, "", "") for x in ("a", "b", "c")]
    claims = [
        _claim("a", 0, "Workers went on strike on Tuesday."),
        _claim("b", 0, "Dockworkers walked off the job on Tuesday."),
        _claim("c", 0, "The union's members stopped work this week, citing pay."),
        _claim("c", 80, "The mayor opened a new library."),
    ]
    # c's first statement agrees with the fact, but not enough to join it.
    graph = FactGraph(claims, {(0, 1): 0.9, (0, 2): 0.3, (1, 2): 0.3, (1, 3): 0.01})
    return arts, claims, graph


def test_verdicts_come_from_the_whole_article_with_evidence() -> None:
    arts, claims, graph = _three_outlets()
    facts, _ = build_facts(graph, MODEL)
    verdicts = {(v.fact, v.article): v for v in judge_verdicts(arts, facts, graph, MODEL)}
    strike = facts[0]
    assert verdicts[(strike.id, "a")].verdict == "reports"
    assert verdicts[(strike.id, "c")].verdict == "partial"
    assert verdicts[(strike.id, "c")].evidence == [claims[2]]
    library = next(f for f in facts if f.claims == [claims[3]])
    assert verdicts[(library.id, "a")].verdict == "absent"
    assert verdicts[(library.id, "c")].verdict == "reports"
    assert all(0.0 <= v.confidence <= 1.0 for v in verdicts.values())


def test_the_minority_number_contradicts_the_fact() -> None:
    arts = [Article(x, "", "") for x in ("a", "b", "c")]
    claims = [
        _claim("a", 0, "The ambassador visited the White House 22 times."),
        _claim("b", 0, "The ambassador went to the White House 22 times."),
        _claim("c", 0, "The ambassador visited the White House 20 times."),
    ]
    graph = FactGraph(claims, {(0, 1): 0.9, (0, 2): 0.8, (1, 2): 0.8})
    facts, _ = build_facts(graph, MODEL)
    conflicts = number_conflicts(facts)
    assert conflicts and conflicts[0]["values"] == {"a": ["22"], "b": ["22"], "c": ["20"]}
    assert conflicts[0]["spans"]["c"] == [0, len(claims[2].text)]
    against = contradictions(conflicts, facts)
    assert list(against[facts[0].id]) == ["c"]
    verdicts = {v.article: v.verdict for v in judge_verdicts(arts, facts, graph, MODEL, conflicts)}
    assert verdicts == {"a": "reports", "b": "reports", "c": "contradicts"}


def test_excluding_outcomes_of_one_case_stay_two_facts_and_conflict() -> None:
    convicted = _claim("a", 0, "A jury convicted Smith of fraud.", verb="convict", args=("fraud", "jury", "smith"))
    acquitted = _claim("b", 0, "A jury acquitted Smith of fraud.", verb="acquit", args=("fraud", "jury", "smith"))
    other = _claim("b", 50, "Smith's lawyer spoke to reporters.", verb="speak", args=("lawyer", "reporter"))
    graph = FactGraph([convicted, acquitted, other], {(0, 1): 0.3, (0, 2): 0.3})
    facts, _ = build_facts(graph, MODEL)
    assert len(facts) == 3
    found = outcome_conflicts(facts, graph, near=0.2)
    assert [(c["kind"], c["of"]) for c in found] == [("outcome", "convict / acquit")]
    assert find_conflicts(facts, [], graph, 0.2) == found
    arts = [Article("a", "", ""), Article("b", "", "")]
    verdicts = {(v.fact, v.article): v.verdict for v in judge_verdicts(arts, facts, graph, MODEL, found)}
    fact_a = next(f for f in facts if f.claims == [convicted])
    assert verdicts[(fact_a.id, "b")] == "contradicts"


def test_label_prefers_the_writers_voice() -> None:
    quoted = _claim("a", 0, "“Workers went on strike on Tuesday,” the union said.", quoted=True)
    plain = _claim("b", 0, "Dockworkers walked off the job on Tuesday.")
    graph = FactGraph([quoted, plain], {(0, 1): 0.9})
    facts, _ = build_facts(graph, MODEL)
    assert label(facts[0], graph) is plain


def test_the_invariant_check_catches_a_wrong_verdict_and_a_wrong_span() -> None:
    from dataclasses import replace
    from types import SimpleNamespace

    from storylens.align.verdicts import Verdict, check_invariants

    arts, claims, graph = _three_outlets()
    arts = [Article(a.id, "", " ".join(c.text for c in claims if c.article_id == a.id)) for a in arts]
    for c in claims:
        c.start = next(a.text for a in arts if a.id == c.article_id).index(c.text)
        c.end = c.start + len(c.text)
    facts, _ = build_facts(graph, MODEL)
    strike, library = facts[0], next(f for f in facts if f.claims == [claims[3]])
    bad = [
        Verdict(strike.id, "a", "reports", 1.0, [claims[0]]),
        Verdict(strike.id, "b", "reports", 1.0, [claims[1]]),
        # c's statement agrees at 0.3: "absent" is wrong, and so is "only here" for a and b's fact.
        Verdict(strike.id, "c", "absent", 0.7, [claims[2]]),
        Verdict(library.id, "a", "absent", 1.0, [replace(claims[0], start=claims[0].start + 1)]),
        Verdict(library.id, "b", "absent", 1.0, []),
        Verdict(library.id, "c", "reports", 1.0, [claims[3]]),
    ]
    only_strike = SimpleNamespace(
        articles=arts,
        verdicts=bad,
        graph=graph,
        fact_model=FactModel(weights=HAND.weights, merge=0.5, reports=0.25, partial=0.2, absent=0.2),
        unique_claims=lambda a: [strike] if a == "a" else [],
        omitted_claims=lambda a: [strike] if a == "c" else [],
    )
    problems = check_invariants(only_strike)
    assert any("only in a" in p and "b's statement" in p for p in problems)
    assert any("c leaves out" in p for p in problems)
    assert any("does not quote its text" in p for p in problems)
