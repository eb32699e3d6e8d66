"""Aligned claims that disagree: numbers compared like for like, negation, the doer."""

from __future__ import annotations

import re

from storylens.align.claims import ClaimGroup
from storylens.model import Claim, Entity

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


def _wordings(claims: list[Claim]) -> dict[str, str]:
    return {c.article_id: c.text for c in claims}


def number_conflicts(groups: list[ClaimGroup]) -> list[dict]:
    """Aligned claims that state different numbers for the same thing (a date
    against a date, a count of visits against a count of visits)."""
    out = []
    for g in groups:
        if len(g.claims) < 2:
            continue
        found = {c.article_id: quantities(c.text) for c in g.claims}
        for key in sorted({k for q in found.values() for k in q}):
            values = {a: sorted(q[key]) for a, q in found.items() if key in q}
            if len(values) > 1 and len({tuple(v) for v in values.values()}) > 1:
                kind, what = key
                having = [c for c in g.claims if c.article_id in values]
                out.append({"claim": g.id, "kind": kind, "of": what, "values": values, "wordings": _wordings(having)})
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
            if len({c.negated for c in claims}) > 1:
                values = {c.article_id: ["negated" if c.negated else "affirmed"] for c in claims}
                out.append(
                    {
                        "claim": g.id,
                        "kind": "negation",
                        "of": claims[0].verb,
                        "values": values,
                        "wordings": _wordings(claims),
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
                # A pronoun doer leans on coreference; a wrong link would invent a conflict.
                if m.kind != "pronoun":
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
            known = {c.article_id: (c, e) for c in claims if (e := doer(c)) is not None}
            if len({e.id for _, e in known.values()}) > 1:
                values = {a: [e.canonical] for a, (_, e) in known.items()}
                out.append(
                    {
                        "claim": g.id,
                        "kind": "agent",
                        "of": claims[0].verb,
                        "values": values,
                        "wordings": _wordings([c for c, _ in known.values()]),
                    }
                )
    return out


def find_conflicts(groups: list[ClaimGroup], entities: list[Entity]) -> list[dict]:
    """Aligned claims that disagree: on a number, on negation or on who did it.
    Like is compared with like; each conflict carries every outlet's wording.
    A pointer for a reader, never a verdict."""
    return number_conflicts(groups) + negation_conflicts(groups) + agent_conflicts(groups, entities)
