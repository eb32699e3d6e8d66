"""Statements of one event that disagree: numbers compared like for like,
negation, the doer, and outcomes that exclude each other."""

from __future__ import annotations

import re

from storylens.align.claims import ClaimGroup
from storylens.align.facts import FactGraph
from storylens.model import Claim, Entity

# Main events that cannot both be the outcome of one event (lemma pairs, either order).
EXCLUSIVE_OUTCOMES: frozenset[frozenset[str]] = frozenset(
    frozenset(pair)
    for pair in (
        ("convict", "acquit"),
        ("approve", "reject"),
        ("accept", "reject"),
        ("pass", "reject"),
        ("win", "lose"),
        ("confirm", "deny"),
        ("admit", "deny"),
        ("survive", "die"),
        ("rise", "fall"),
        ("increase", "decrease"),
        ("open", "close"),
        ("hire", "fire"),
        ("arrest", "release"),
        ("agree", "refuse"),
        ("support", "oppose"),
    )
)

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTHS})\b", re.IGNORECASE)
_MONTH_DAY = re.compile(rf"\b({_MONTHS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s*\d{{3}})", re.IGNORECASE)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_COUNT = re.compile(r"\b(\d[\d,.]*)\s+(?:more\s+|fewer\s+|other\s+)?([a-z][a-z-]+)")


def quantities(text: str) -> dict[tuple[str, str], set[str]]:
    """Numbers in ``text`` by what they measure: ("date", month), ("year", ""),
    or ("count", the word counted: `22 times`, `17 people`)."""
    out: dict[tuple[str, str], set[str]] = {}
    used: list[tuple[int, int]] = []
    for m in _DAY_MONTH.finditer(text):
        out.setdefault(("date", m.group(2).lower()[:3]), set()).add(m.group(1))
        used.append(m.span())
    for m in _MONTH_DAY.finditer(text):
        out.setdefault(("date", m.group(1).lower()[:3]), set()).add(m.group(2))
        used.append(m.span())
    for m in _YEAR.finditer(text):
        if not any(a <= m.start() < b for a, b in used):
            out.setdefault(("year", ""), set()).add(m.group(1))
            used.append(m.span())
    for m in _COUNT.finditer(text.lower()):
        if not any(a <= m.start() < b for a, b in used):
            out.setdefault(("count", m.group(2).rstrip("s")), set()).add(m.group(1).rstrip(".,"))
    return out


def _evidence(claims: list[Claim]) -> dict[str, dict]:
    """Each article's first wording among ``claims``, and where it is (offsets into the cleaned text)."""
    first: dict[str, Claim] = {}
    for c in claims:
        first.setdefault(c.article_id, c)
    return {
        "wordings": {a: c.text for a, c in first.items()},
        "spans": {a: [c.start, c.end] for a, c in first.items()},
    }


def number_conflicts(groups: list[ClaimGroup]) -> list[dict]:
    """Statements of one fact that state different numbers for the same thing
    (a date against a date, a count of visits against a count of visits). An
    article's values are those of all its statements of the fact."""
    out = []
    for g in groups:
        if len(g.articles) < 2:
            continue
        found: dict[str, dict[tuple[str, str], set[str]]] = {}
        having: dict[tuple[str, str], list[Claim]] = {}
        for c in g.claims:
            for key, vals in quantities(c.text).items():
                found.setdefault(c.article_id, {}).setdefault(key, set()).update(vals)
                having.setdefault(key, []).append(c)
        for key in sorted({k for q in found.values() for k in q}):
            values = {a: sorted(q[key]) for a, q in sorted(found.items()) if key in q}
            if len(values) > 1 and len({tuple(v) for v in values.values()}) > 1:
                kind, what = key
                out.append({"claim": g.id, "kind": kind, "of": what, "values": values, **_evidence(having[key])})
    return out


def outcome_conflicts(groups: list[ClaimGroup], graph: FactGraph, near: float) -> list[dict]:
    """Statements of two outlets about one event (the pair model scores them at
    ``near`` or above and they share a participant) whose main events exclude
    each other (`convicted` / `acquitted`), or are the same verb once negated
    and once not, when the two fell into different facts."""
    fact_of = {id(c): g for g in groups for c in g.claims}
    out = []
    seen: set[tuple[str, str, str]] = set()
    for (i, j), p in sorted(graph.probs.items()):
        a, b = graph.claims[i], graph.claims[j]
        fa, fb = fact_of.get(id(a)), fact_of.get(id(b))
        if p < near or a.article_id == b.article_id or fa is None or fb is None or fa is fb:
            continue
        if not (a.verb and b.verb and set(a.args) & set(b.args)):
            continue
        if frozenset((a.verb, b.verb)) in EXCLUSIVE_OUTCOMES:
            kind, of, values = "outcome", f"{a.verb} / {b.verb}", {a.article_id: [a.verb], b.article_id: [b.verb]}
        elif a.verb == b.verb and a.negated != b.negated:
            kind, of = "negation", a.verb
            values = {c.article_id: ["negated" if c.negated else "affirmed"] for c in (a, b)}
        else:
            continue
        key = (min(fa.id, fb.id), max(fa.id, fb.id), kind)
        if key in seen:
            continue
        seen.add(key)
        out.append(
            {
                "claim": fa.id,
                "other": fb.id,
                "kind": kind,
                "of": of,
                "values": dict(sorted(values.items())),
                **_evidence([a, b]),
            }
        )
    return out


def _same_verb(claims: list[Claim]) -> list[list[Claim]]:
    """Claims of a group by main verb: only claims built the same way are compared
    for negation and doer (`X met Y` with `X met Y`, not with `Z said X met Y`)."""
    by_verb: dict[str, list[Claim]] = {}
    for c in claims:
        if c.verb:
            by_verb.setdefault(c.verb, []).append(c)
    return [cs for _, cs in sorted(by_verb.items()) if len(cs) > 1]


def negation_conflicts(groups: list[ClaimGroup]) -> list[dict]:
    """Aligned claims where one outlet negates the main verb and another does not."""
    out = []
    for g in groups:
        for claims in _same_verb(g.claims):
            states: dict[str, set[str]] = {}
            for c in claims:
                states.setdefault(c.article_id, set()).add("negated" if c.negated else "affirmed")
            if len(states) > 1 and len({frozenset(v) for v in states.values()}) > 1:
                values = {a: sorted(v) for a, v in sorted(states.items())}
                out.append(
                    {
                        "claim": g.id,
                        "kind": "negation",
                        "of": claims[0].verb,
                        "values": values,
                        **_evidence(claims),
                    }
                )
    return out


def agent_conflicts(groups: list[ClaimGroup], entities: list[Entity]) -> list[dict]:
    """Aligned claims whose doers are different entities of the story (`police
    arrested him` against `the FBI arrested him`). Only doers named or described
    in the claim and linked to an entity are compared: two unlinked descriptions
    may still be one doer."""
    where: dict[str, list[tuple[int, int, Entity]]] = {}
    for e in entities:
        for c in e.clusters:
            for m in c.mentions:
                # Only names: a pronoun or a description leans on coreference, and a wrong link would invent a conflict.
                if m.kind == "name":
                    where.setdefault(c.article_id, []).append((m.start, m.end, e))

    def doer(c: Claim) -> Entity | None:
        if c.agent_start < 0:
            return None
        for start, end, e in where.get(c.article_id, ()):
            if start <= c.agent_start and c.agent_end <= end:
                return e
        return None

    out = []
    for g in groups:
        for claims in _same_verb(g.claims):
            if claims[0].verb == "be":  # a copula has no doer
                continue
            known = {c.article_id: (c, e) for c in claims if (e := doer(c)) is not None}
            if len({e.id for _, e in known.values()}) > 1:
                values = {a: [e.canonical] for a, (_, e) in known.items()}
                out.append(
                    {
                        "claim": g.id,
                        "kind": "agent",
                        "of": claims[0].verb,
                        "values": values,
                        **_evidence([c for c, _ in known.values()]),
                    }
                )
    return out


def find_conflicts(
    groups: list[ClaimGroup], entities: list[Entity], graph: FactGraph | None = None, near: float = 1.0
) -> list[dict]:
    """Statements of one event that disagree: on a number, on negation, on who
    did it, or on the outcome (across facts, through ``graph``). Like is
    compared with like; each conflict carries every outlet's wording."""
    found = number_conflicts(groups) + negation_conflicts(groups) + agent_conflicts(groups, entities)
    if graph is not None:
        found += outcome_conflicts(groups, graph, near)
    return found
