"""Every JSON shape storylens prints, built here and nowhere else (see docs/json.md).

``tests/test_json_shapes.py`` checks these against the examples in docs/json.md.
"""

from __future__ import annotations

import json
from typing import Any

from storylens.align.compare import Comparison
from storylens.align.entities import entity_labels
from storylens.align.quote_groups import word_diff
from storylens.align.verdicts import label
from storylens.model import Article, Claim, Cluster, Edit, Mention, Quote, Resolution
from storylens.textedit import marked_span


def edit_json(e: Edit) -> dict[str, Any]:
    return {"start": e.start, "end": e.end, "original": e.original, "replacement": e.replacement}


def cleaning_edit_json(e: Edit) -> dict[str, Any]:
    """A cleaning edit keeps the rule that made it."""
    return {**edit_json(e), "rule": e.rule}


def edits_from_json(rows: list[dict[str, Any]]) -> list[Edit]:
    """The inverse of ``edit_json`` / ``cleaning_edit_json`` (for stored edits)."""
    return [Edit(e["start"], e["end"], e["original"], e["replacement"], e.get("rule", "")) for e in rows]


def mention_json(m: Mention) -> dict[str, Any]:
    out: dict[str, Any] = {"start": m.start, "end": m.end, "text": m.text, "kind": m.kind}
    if m.extent != (m.start, m.end):
        out["extent"] = list(m.extent)
    return out


def cluster_json(c: Cluster) -> dict[str, Any]:
    return {"id": c.id, "canonical": c.canonical, "type": c.type, "mentions": [mention_json(m) for m in c.mentions]}


def quote_json(q: Quote) -> dict[str, Any]:
    return {
        "start": q.start,
        "end": q.end,
        "text": q.text,
        "kind": q.kind,
        "cue": q.cue or None,
        "cue_start": q.cue_start if q.cue else None,
        "cue_end": q.cue_end if q.cue else None,
        "speaker": q.speaker,
        "speaker_start": q.speaker_start if q.speaker_start >= 0 else None,
        "speaker_end": q.speaker_end if q.speaker_start >= 0 else None,
        "partial": q.partial,
    }


def claim_json(c: Claim) -> dict[str, Any]:
    return {"start": c.start, "end": c.end, "text": c.text, "resolved": c.resolved, "speaker": c.speaker}


def resolution_json(res: Resolution) -> dict[str, Any]:
    """`storylens resolve --json`."""
    return {
        "article": res.article.id,
        "text": res.article.text,
        "resolved": res.resolved,
        "clusters": [cluster_json(c) for c in res.clusters],
        "edits": [edit_json(e) for e in res.edits],
        "quotes": [quote_json(q) for q in res.quotes],
    }


def clean_json(article: Article) -> dict[str, Any]:
    """`storylens clean --json`."""
    return {
        "article": article.id,
        "title": article.title,
        "text": article.text,
        "removed": [{**edit_json(e), "rule": e.rule} for e in article.cleaning],
        "warnings": article.warnings,
    }


def comparison_json(cmp: Comparison) -> dict[str, Any]:
    """`storylens compare --json`."""
    outlet_of = cmp.outlet_of
    quotes = []
    for g in cmp.quotes:
        longest = max(g.segments, key=lambda s: len(s.text))
        quotes.append(
            {
                "id": g.id,
                "kind": g.kind,
                "speaker": g.speaker,
                "status": g.status,
                "outlets": sorted({outlet_of[a] for a in g.articles}),
                "occurrences": [
                    {
                        "article": s.article_id,
                        "outlet": outlet_of[s.article_id],
                        "start": s.start,
                        "end": s.end,
                        "text": s.text,
                        "kind": s.kind,
                        "diff": word_diff(longest.text, s.text) if s is not longest else [],
                    }
                    for s in g.segments
                ],
            }
        )
    facts = facts_json(cmp)
    verdicts = verdicts_json(cmp)
    return {
        "articles": [
            {
                "id": a.id,
                "outlet": outlet_of[a.id],
                "title": a.title,
                "url": a.url,
                "unique_claims": [g.id for g in cmp.unique_claims(a.id)],
                "omitted_claims": [g.id for g in cmp.omitted_claims(a.id)],
            }
            for a in cmp.articles
        ],
        "entities": [
            {"id": e.id, "canonical": e.canonical, "type": e.type, "labels": entity_labels(e, outlet_of)}
            for e in cmp.entities
        ],
        "quotes": quotes,
        "claims": facts,
        "verdicts": verdicts,
        "summary": summary_json(cmp, facts, verdicts),
        "framing": cmp.framing,
        "conflicts": cmp.conflicts,
        "problems": cmp.problems,
    }


def span_json(c: Claim, outlet_of: dict[str, str] | None = None) -> dict[str, Any]:
    """Where a statement is: article id and offsets into its cleaned text, and its own words."""
    out: dict[str, Any] = {"article": c.article_id}
    if outlet_of is not None:
        out["outlet"] = outlet_of[c.article_id]
    return {**out, "start": c.start, "end": c.end, "text": c.text}


def facts_json(cmp: Comparison) -> list[dict[str, Any]]:
    """The story's facts (``claims`` of `compare --json`): label, reporters and every statement."""
    outlet_of = cmp.outlet_of
    table = cmp.verdict_table()
    edits = {a: r.edits for a, r in cmp.resolutions.items()}
    text_of = {a.id: a.text for a in cmp.articles}
    out = []
    for g in cmp.claims:
        reporters = cmp.reporters(g.id)
        lead = label(g, cmp.graph) if cmp.graph is not None else g.claims[0]
        partial = [c for v in table.get(g.id, {}).values() if v.verdict == "partial" for c in v.evidence[:1]]
        out.append(
            {
                "id": g.id,
                "label": lead.text,
                "text": g.text,
                "articles": reporters,
                "outlets": [outlet_of[a] for a in reporters],
                "central": cmp.is_central(g.id),
                "speaker": next((c.speaker for c in g.claims if c.speaker), None),
                "occurrences": [
                    {
                        **span_json(c, outlet_of),
                        "quoted": c.quoted,
                        "resolved": marked_span(text_of[c.article_id], edits.get(c.article_id, ()), c.start, c.end),
                    }
                    for c in g.claims
                ],
                "partial": [span_json(c) for c in partial],
            }
        )
    return out


def verdicts_json(cmp: Comparison) -> list[dict[str, Any]]:
    """One row per fact and article: the verdict, its confidence and its evidence."""
    outlet_of = cmp.outlet_of
    return [
        {
            "fact": v.fact,
            "article": v.article,
            "outlet": outlet_of[v.article],
            "verdict": v.verdict,
            "confidence": v.confidence,
            "evidence": [span_json(c) for c in v.evidence],
        }
        for v in cmp.verdicts
    ]


def summary_json(cmp: Comparison, facts: list[dict[str, Any]], verdicts: list[dict[str, Any]]) -> dict[str, Any]:
    """What every surface shows first: the facts all outlets report, and per
    outlet the facts it alone reports and the central facts it does not."""
    outlet_of = cmp.outlet_of
    by_id = {f["id"]: f for f in facts}
    evidence: dict[tuple[str, str], list[dict[str, Any]]] = {
        (v["fact"], v["article"]): [{**e, "outlet": v["outlet"]} for e in v["evidence"][:1]] for v in verdicts
    }
    n = len(cmp.articles)

    def item(fact_id: str, article: str | None = None) -> dict[str, Any]:
        f = by_id[fact_id]
        where = [article] if article else f["articles"]
        return {"fact": fact_id, "label": f["label"], "evidence": [e for a in where for e in evidence[(fact_id, a)]]}

    table = cmp.verdict_table()
    return {
        "outlets": n,
        "all_report": [item(f["id"]) for f in facts if len(f["articles"]) == n],
        "by_outlet": [
            {
                "article": a.id,
                "outlet": outlet_of[a.id],
                "only_here": [item(g.id, a.id) for g in cmp.unique_claims(a.id)],
                "leaves_out": [
                    {
                        **item(g.id),
                        "confidence": table[g.id][a.id].confidence,
                        "reported_by": by_id[g.id]["outlets"],
                    }
                    for g in cmp.omitted_claims(a.id)
                ],
            }
            for a in cmp.articles
        ],
        "conflicts": cmp.conflicts,
    }


def dumps(obj: Any, lines: bool = False) -> str:
    """Pretty JSON; with ``lines`` one compact line (for JSON Lines)."""
    if lines:
        return json.dumps(obj, ensure_ascii=False)
    return json.dumps(obj, ensure_ascii=False, indent=2)
